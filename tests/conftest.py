"""Shared fixtures for the API tests: emulators, and boto3 pointed at them as the reference.

Nothing here talks to AWS: every service is a `ssm_sessions.testing.LocalSsm`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from ssm_sessions.testing import LocalSsm

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.timezone.utc)
"""A fixed "now", so that generated sessions are the same in every emulator and every run."""


@pytest.fixture
def emulator() -> Iterator[Callable[..., LocalSsm]]:
    """Starts LocalSsm emulators (`emulator(generate=(5, 20), ...)`), stopped after the test."""
    started: list[LocalSsm] = []

    def start(*sessions: Any, **options: Any) -> LocalSsm:
        options.setdefault("now", NOW)
        ssm = LocalSsm(*sessions, **options).start()
        started.append(ssm)
        return ssm

    yield start
    for ssm in started:
        ssm.stop()


@pytest.fixture(scope="session")
def listing_emulators() -> Iterator[dict[bool, LocalSsm]]:
    """Two read-only emulators with the same 15 active and 80 historical sessions, keyed by
    `filter_after_limit` (True: filtered pages can be empty while a NextToken is set, as on
    the real service). Shared by many tests: never use their `.requests` or `fail_next`."""
    started = {
        flag: LocalSsm(generate=(15, 80), seed=7, now=NOW, filter_after_limit=flag).start()
        for flag in (True, False)
    }
    yield started
    for ssm in started.values():
        ssm.stop()


def boto3_client(ssm: LocalSsm, *, max_attempts: int = 1, retry_mode: str = "standard") -> Any:
    """A boto3 SSM client for `ssm`; no retries unless asked, so every request is visible."""
    return boto3.client(
        "ssm",
        endpoint_url=ssm.endpoint_url,
        region_name=ssm.region,
        aws_access_key_id=ssm.credentials.access_key_id,
        aws_secret_access_key=ssm.credentials.secret_access_key,
        config=Config(
            retries={"mode": retry_mode, "total_max_attempts": max_attempts},
            connect_timeout=5,
            read_timeout=10,
        ),
    )


def boto3_listing(
    ssm: LocalSsm,
    state: str,
    *,
    filters: list[dict[str, str]] | None = None,
    page_size: int | None = None,
    max_items: int | None = None,
    starting_token: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """What boto3's paginator returns: the sessions and the resume token it prints."""
    config = {
        name: value
        for name, value in (
            ("PageSize", page_size),
            ("MaxItems", max_items),
            ("StartingToken", starting_token),
        )
        if value is not None
    }
    arguments: dict[str, Any] = {"State": state, "PaginationConfig": config}
    if filters:
        arguments["Filters"] = filters
    paginator = boto3_client(ssm).get_paginator("describe_sessions")
    result = paginator.paginate(**arguments).build_full_result()
    return result["Sessions"], result.get("NextToken")


def boto3_pages(ssm: LocalSsm, state: str, **config: Any) -> list[list[dict[str, Any]]]:
    """The sessions of each page boto3's paginator yields (`PageSize=`, `MaxItems=`...)."""
    paginator = boto3_client(ssm).get_paginator("describe_sessions")
    return [page["Sessions"] for page in paginator.paginate(State=state, PaginationConfig=config)]


@pytest.fixture
def boto3_reference() -> Any:
    """The boto3 helpers, as a namespace: `.client(ssm)`, `.listing(ssm, ...)`, `.pages(...)`."""

    class Reference:
        client = staticmethod(boto3_client)
        listing = staticmethod(boto3_listing)
        pages = staticmethod(boto3_pages)

    return Reference
