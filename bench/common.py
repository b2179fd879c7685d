"""Shared pieces of the benchmarks: a `serve-local` emulator in its own process, timing."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    """A running `ssm-sessions serve-local` process."""

    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    region: str = "us-east-1"

    def environ(self) -> dict[str, str]:
        """Environment that points boto3 and the AWS CLI at this server."""
        return {
            **os.environ,
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_DEFAULT_REGION": self.region,
        }


@contextmanager
def serve_local(*arguments: str) -> Iterator[Server]:
    """Runs `python -m ssm_sessions serve-local ARGUMENTS` until the block ends."""
    command = [sys.executable, "-m", "ssm_sessions", "serve-local", *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        endpoint_url = process.stdout.readline().strip()
        variables = dict(process.stdout.readline().strip().split("=", 1) for _ in range(2))
        yield Server(
            endpoint_url,
            variables["AWS_ACCESS_KEY_ID"],
            variables["AWS_SECRET_ACCESS_KEY"],
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Runs `run` `repeat` times; returns the median wall time and the last result."""
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result
