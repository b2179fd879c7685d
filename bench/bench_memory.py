"""Peak memory while streaming a million sessions, each contender in a fresh process.

- library: iterate every History session (ssm_sessions vs boto3's paginator), reading
  `session_id` of each;
- command line: `describe-sessions --output json` to /dev/null (ssm-sessions vs aws).

Prints peak resident memory (ru_maxrss) and wall time of each, against one `serve-local`.

    python bench/bench_memory.py [--sessions 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time

from common import Server, serve_local

ITERATE_SSM = """
import ssm_sessions, sys
client = ssm_sessions.Client(endpoint_url=sys.argv[1], region="us-east-1",
    credentials=ssm_sessions.Credentials(sys.argv[2], sys.argv[3]))
count = sum(1 for s in client.describe_sessions("History", page_size=200) if s.session_id)
assert count == int(sys.argv[4]), count
"""

ITERATE_BOTO3 = """
import boto3, sys
client = boto3.client("ssm", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])
pages = client.get_paginator("describe_sessions").paginate(
    State="History", PaginationConfig={"PageSize": 200})
count = sum(1 for page in pages for s in page["Sessions"] if s["SessionId"])
assert count == int(sys.argv[4]), count
"""


def peak_of(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Runs `command` to completion; its peak RSS in MiB and its wall time in seconds."""
    start = time.perf_counter()
    # A fresh interpreter per measurement, so RUSAGE_CHILDREN's maximum is this child's:
    # it wraps the command and reports the command's own peak.
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, check=True, capture_output=True, text=True
    )
    return int(done.stdout.strip()) / 1024, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    options = parser.parse_args()
    aws = shutil.which("aws")
    assert aws, "the aws command (pip install awscli) is needed"
    with serve_local("--history", str(options.sessions), "--seed", "1") as server:
        rows = measure(server, options.sessions, aws)
    print(f"{options.sessions:,} History sessions, page size 200 (library) / default (CLI)")
    for name, (peak, seconds) in rows.items():
        print(f"{name:34s} peak {peak:8.1f} MiB   {seconds:7.1f} s")


def measure(server: Server, sessions: int, aws: str) -> dict[str, tuple[float, float]]:
    secrets = [server.endpoint_url, server.access_key_id, server.secret_access_key, str(sessions)]
    env = server.environ()
    with tempfile.TemporaryDirectory() as home:
        env["HOME"] = home
        cli = ["describe-sessions", "--state", "History", "--endpoint-url", server.endpoint_url]
        return {
            "library: ssm_sessions": peak_of([sys.executable, "-c", ITERATE_SSM, *secrets], env),
            "library: boto3 paginator": peak_of(
                [sys.executable, "-c", ITERATE_BOTO3, *secrets], env
            ),
            "cli json: ssm-sessions": peak_of([sys.executable, "-m", "ssm_sessions", *cli], env),
            "cli json: aws": peak_of([aws, "ssm", *cli], env),
        }


if __name__ == "__main__":
    main()
