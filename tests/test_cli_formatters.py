"""The json, text and table formatters write what the AWS CLI's own formatters write.

Synthetic responses (every optional field absent or present, wide and narrow values,
non-ASCII text, with and without a NextToken) go through awscli.formatter in-process and
through ours; the bytes must be equal. The streaming json writer must equal the
buffered ``json.dump`` for any split of the sessions into pages.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import random
from typing import Any

import awscli.formatter as awscli_formatter
import jmespath
import pytest
from ssm_sessions.cli.output_json import JsonOutput
from ssm_sessions.cli.output_table import TableOutput
from ssm_sessions.cli.output_text import TextOutput


def make_session(index: int, rng: random.Random, full: bool) -> dict[str, Any]:
    session: dict[str, Any] = {
        "SessionId": f"user-{index:05d}-0abc",
        "Target": f"i-{index:017x}",
        "Status": rng.choice(["Connected", "Terminated"]),
        "StartDate": 1700000000.0 + index * 1.5,
        "EndDate": 1700000100 + index,
    }
    if full:
        session.update(
            {
                "DocumentName": "SSM-SessionManagerRunShell",
                "Owner": "arn:aws:sts::123456789012:assumed-role/Admin/Jané 日本",
                "Reason": "debugging, prod",
                "Details": "x" * rng.randint(1, 120),
                "OutputUrl": {"S3OutputUrl": "s3://b/k", "CloudWatchOutputUrl": "cw"}
                if index % 3
                else {},
                "MaxSessionDuration": "60",
                "AccessType": "Standard",
            }
        )
    return session


def responses() -> list[tuple[str, dict[str, Any]]]:
    rng = random.Random(1)
    cases = []
    for count in (0, 1, 3, 7):
        for full in (False, True):
            for token in (None, "eyJOZXh0VG9rZW4iOiAiYWJjIn0="):
                response: dict[str, Any] = {
                    "Sessions": [make_session(i, rng, full or bool(i % 2)) for i in range(count)]
                }
                if token:
                    response["NextToken"] = token
                fields = "all" if full else "some"
                state = "truncated" if token else "complete"
                name = f"{count} sessions, {fields} fields, {state}"
                cases.append((name, response))
    return cases


RESPONSES = responses()
QUERIES = [None, "Sessions[].SessionId", "Sessions[0]"]
FORMATS = {"json": JsonOutput, "text": TextOutput, "table": TableOutput}


@pytest.mark.parametrize("query", QUERIES, ids=["no query", "list query", "first session"])
@pytest.mark.parametrize("output", list(FORMATS))
@pytest.mark.parametrize("response", [r for _, r in RESPONSES], ids=[n for n, _ in RESPONSES])
def test_formatter_matches_awscli(response: dict[str, Any], output: str, query: str | None) -> None:
    """One response printed by awscli's formatter and by ours: identical text."""
    args = argparse.Namespace(query=jmespath.compile(query) if query else None, color="off")
    expected = io.StringIO()
    awscli_formatter.get_formatter(output, args)(
        "DescribeSessions", copy.deepcopy(response), expected
    )
    actual = io.StringIO()
    extra = {"color": "off"} if output == "table" else {}
    FORMATS[output](actual, args.query, **extra).single(copy.deepcopy(response))  # type: ignore[arg-type]
    assert actual.getvalue() == expected.getvalue()


@pytest.mark.parametrize("response", [r for _, r in RESPONSES], ids=[n for n, _ in RESPONSES])
@pytest.mark.parametrize("split", [0, 1, 2, 5])
def test_streamed_json_equals_buffered_json(response: dict[str, Any], split: int) -> None:
    """Streaming page by page writes exactly ``json.dump(result, indent=4)``."""
    sessions = response["Sessions"]
    pages = [{"Sessions": sessions[:split]}, {"Sessions": sessions[split:]}]
    streamed = io.StringIO()
    JsonOutput(streamed).paginated(iter(pages), lambda: response.get("NextToken"))
    assert streamed.getvalue() == json.dumps(response, indent=4, ensure_ascii=False) + "\n"


def test_listing_without_sessions_or_token_prints_nothing() -> None:
    """Like aws, an empty result (``{}``) prints nothing at all in json."""
    streamed = io.StringIO()
    JsonOutput(streamed).paginated(iter([{}]), lambda: None)
    assert streamed.getvalue() == ""
