"""``ssm-sessions serve-local``: the local DescribeSessions emulator as a server.

The endpoint URL is the first line of stdout (flushed at once, so a parent process can
read it), followed by the credentials the emulator checks signatures against, as
``AWS_ACCESS_KEY_ID=...`` and ``AWS_SECRET_ACCESS_KEY=...`` lines. It serves until
interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["serve_local"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssm-sessions serve-local",
        description="Run the local DescribeSessions emulator until interrupted.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    add("--port", type=int, default=0, help="port to listen on (default 0: any free port)")
    add("--active", type=int, default=0, help="generated Active sessions")
    add("--history", type=int, default=0, help="generated History sessions")
    add("--seed", type=int, default=0, help="seed of generated data and injected faults")
    add("--latency-ms", type=int, default=0, help="latency added to each response")
    add("--throttle-rate", type=float, default=0.0, help="fraction of requests throttled")
    add("--error-rate", type=float, default=0.0, help="fraction of requests failing with 500")
    add("--drop-rate", type=float, default=0.0, help="fraction of connections dropped")
    add("--allow-unsigned", action="store_true", help="accept unsigned requests")
    add("--sessions-file", help="JSON file of boto3-shaped sessions to serve")
    return parser


def _load_sessions(path: str | None) -> list[dict[str, object]]:
    if path is None:
        return []
    import json

    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    sessions = data.get("Sessions", []) if isinstance(data, dict) else data
    return list(sessions)


def _wait_for_interrupt() -> None:
    import signal
    import threading

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass


def serve_local(argv: Sequence[str]) -> int:
    """Run the emulator as asked by ``argv`` until interrupted; return the exit code."""
    from ssm_sessions.testing import LocalSsm

    args = _parser().parse_args(list(argv))
    emulator = LocalSsm(
        _load_sessions(args.sessions_file),
        generate=(args.active, args.history) if args.active or args.history else None,
        seed=args.seed,
        allow_unsigned=args.allow_unsigned,
        host=args.host,
        port=args.port,
        faults={
            "latency_ms": args.latency_ms,
            "throttle_rate": args.throttle_rate,
            "server_error_rate": args.error_rate,
            "drop_rate": args.drop_rate,
        },
    )
    with emulator:
        credentials = emulator.credentials
        sys.stdout.write(emulator.endpoint_url + "\n")
        sys.stdout.write(f"AWS_ACCESS_KEY_ID={credentials.access_key_id}\n")
        sys.stdout.write(f"AWS_SECRET_ACCESS_KEY={credentials.secret_access_key}\n")
        sys.stdout.flush()
        _wait_for_interrupt()
    return 0
