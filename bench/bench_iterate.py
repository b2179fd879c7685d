"""Iterating 100,000 History sessions at page size 200: ssm_sessions vs boto3's paginator.

Both read `session_id` and `start_date` of every session from the same `serve-local`
emulator running in its own process. Prints the median times and the ratio.

    python bench/bench_iterate.py [--sessions 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse

import boto3
import ssm_sessions
from common import Server, median_seconds, serve_local


def iterate_ssm_sessions(server: Server) -> int:
    client = ssm_sessions.Client(
        endpoint_url=server.endpoint_url,
        region=server.region,
        credentials=ssm_sessions.Credentials(server.access_key_id, server.secret_access_key),
    )
    count = 0
    for session in client.describe_sessions("History", page_size=200):
        session.session_id  # noqa: B018 - reading the field is the work measured
        session.start_date  # noqa: B018
        count += 1
    return count


def iterate_boto3(server: Server) -> int:
    client = boto3.client(
        "ssm",
        endpoint_url=server.endpoint_url,
        region_name=server.region,
        aws_access_key_id=server.access_key_id,
        aws_secret_access_key=server.secret_access_key,
    )
    count = 0
    pages = client.get_paginator("describe_sessions").paginate(
        State="History", PaginationConfig={"PageSize": 200}
    )
    for page in pages:
        for session in page["Sessions"]:
            session["SessionId"]
            session["StartDate"]
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with serve_local("--active", "0", "--history", str(options.sessions), "--seed", "1") as server:
        ours, ours_count = median_seconds(lambda: iterate_ssm_sessions(server), options.repeat)
        theirs, theirs_count = median_seconds(lambda: iterate_boto3(server), options.repeat)
    assert ours_count == theirs_count == options.sessions, (ours_count, theirs_count)
    print(f"sessions: {options.sessions:,} History, page size 200, median of {options.repeat}")
    print(f"ssm_sessions: {ours:8.3f} s  ({options.sessions / ours:,.0f} sessions/s)")
    print(f"boto3:        {theirs:8.3f} s  ({options.sessions / theirs:,.0f} sessions/s)")
    print(f"ratio: ssm_sessions is {theirs / ours:.1f}x faster than boto3's paginator")


if __name__ == "__main__":
    main()
