"""DescribeSessions responses as botocore parses them: model members only, model order."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "SESSION_MEMBERS",
    "TimestampParser",
    "full_result",
    "parse_response",
    "timestamp_parser",
]

SESSION_MEMBERS = (
    "SessionId",
    "Target",
    "Status",
    "StartDate",
    "EndDate",
    "DocumentName",
    "Owner",
    "Reason",
    "Details",
    "OutputUrl",
    "MaxSessionDuration",
    "AccessType",
)
"""The members of a Session, in the service model's order."""

_OUTPUT_URL_MEMBERS = ("S3OutputUrl", "CloudWatchOutputUrl")
_TIMESTAMPS = frozenset(("StartDate", "EndDate"))

TimestampParser = Callable[[Any], Any]
"""Turns a timestamp as sent on the wire into what the CLI prints."""


def _iso8601(value: Any) -> Any:
    """``cli_timestamp_format = iso8601``: ISO 8601 in the local time zone."""
    from datetime import datetime

    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value).astimezone().isoformat()
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone().isoformat()


def timestamp_parser(timestamp_format: str) -> TimestampParser | None:
    """The parser for a ``cli_timestamp_format`` value (None: keep the wire value).

    Raises ValueError with the AWS CLI's message for an unknown format.
    """
    if timestamp_format in ("wire", "none"):
        return None
    if timestamp_format == "iso8601":
        return _iso8601
    raise ValueError(
        f"Unknown cli_timestamp_format value: {timestamp_format}, valid values are: wire or iso8601"
    )


def _structure(raw: Any, members: tuple[str, ...]) -> Any:
    if not isinstance(raw, dict):
        return raw
    return {name: raw[name] for name in members if raw.get(name) is not None}


def _session(raw: Any, parse_time: TimestampParser | None) -> Any:
    if not isinstance(raw, dict):
        return raw
    session: dict[str, Any] = {}
    for name in SESSION_MEMBERS:
        value = raw.get(name)
        if value is None:
            continue
        if name == "OutputUrl":
            value = _structure(value, _OUTPUT_URL_MEMBERS)
        elif parse_time is not None and name in _TIMESTAMPS:
            value = parse_time(value)
        session[name] = value
    return session


def parse_response(
    body: bytes, parse_time: TimestampParser | None = None, start: int = 0, stop: int | None = None
) -> dict[str, Any]:
    """Parse a DescribeSessions response body as botocore does for the AWS CLI.

    Only model members are kept, in model order; ``null`` members are dropped; with
    ``start``/``stop`` only that slice of the sessions is parsed and kept.
    """
    raw = json.loads(body.decode("utf-8")) if body else {}
    response: dict[str, Any] = {}
    sessions = raw.get("Sessions")
    if sessions is not None:
        response["Sessions"] = [_session(item, parse_time) for item in sessions[start:stop]]
    token = raw.get("NextToken")
    if token is not None:
        response["NextToken"] = token
    return response


def full_result(
    pages: Iterable[dict[str, Any]], resume_token: Callable[[], str | None]
) -> dict[str, Any]:
    """The whole listing as one dict, as botocore's ``build_full_result`` returns it."""
    result: dict[str, Any] = {}
    for page in pages:
        sessions = page.get("Sessions")
        if sessions is not None:
            result.setdefault("Sessions", []).extend(sessions)
    token = resume_token()
    if token is not None:
        result["NextToken"] = token
    return result
