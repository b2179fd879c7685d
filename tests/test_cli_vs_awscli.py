"""``ssm-sessions describe-sessions`` prints what ``aws ssm describe-sessions`` prints.

Each case runs the real AWS CLI v1 (``aws``, from the awscli package) and
``python -m ssm_sessions`` with the same arguments against the same local emulator, and
compares stdout, stderr and the exit code byte for byte. No user configuration leaks
in: HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE point at empty temporary files
and credentials come from the environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from ssm_sessions import testing
from tls_proxy import https_front

# The AWS CLI is a test dependency (pip install '.[test]'): the reference these tests need.
AWS = str(Path(sys.executable).with_name("aws"))
if not Path(AWS).exists():
    AWS = shutil.which("aws") or AWS

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
EVERY_FIELD = {
    "SessionId": "full-0123456789abcdef0",
    "Target": "i-0123456789abcdef0",
    "Status": "Terminated",
    "StartDate": datetime(2026, 11, 19, 8, 30, 15, 338000, tzinfo=timezone.utc),
    "EndDate": datetime(2026, 11, 19, 9, 0, tzinfo=timezone.utc),
    "DocumentName": "SSM-SessionManagerRunShell",
    "Owner": "arn:aws:sts::123456789012:assumed-role/Admin/Jané",
    "Reason": 'Investigating: a "quoted" reason, with commas\tand a tab',
    "Details": "Everything set 日本",
    "OutputUrl": {"S3OutputUrl": "s3://logs/full.log", "CloudWatchOutputUrl": "cw://full"},
    "MaxSessionDuration": "60",
    "AccessType": "JustInTime",
}
NO_OPTIONAL_FIELD = {"SessionId": "bare-0123456789abcdef0", "Status": "Connected"}


@pytest.fixture(scope="module")
def emulator() -> Iterator[object]:
    sessions = [EVERY_FIELD, NO_OPTIONAL_FIELD]
    with testing.LocalSsm(sessions, generate=(7, 23), seed=11, now=NOW) as running:
        yield running


@pytest.fixture(scope="module")
def environment(emulator: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    (home / "config").write_text("")
    (home / "credentials").write_text("")
    credentials = emulator.credentials  # type: ignore[attr-defined]
    keep = {key: os.environ[key] for key in ("PATH", "SYSTEMROOT") if key in os.environ}
    return {
        **keep,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_ACCESS_KEY_ID": credentials.access_key_id,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_access_key,
        "TZ": "UTC",
        "PYTHONIOENCODING": "utf-8",
    }


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[str, str, int]:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, timeout=120)
    return done.stdout.decode(), done.stderr.decode(), done.returncode


def both(
    args: list[str],
    emulator: object,
    env: dict[str, str],
    cwd: Path,
    before_each: Callable[[], None] = lambda: None,
) -> tuple[tuple[str, str, int], tuple[str, str, int]]:
    endpoint = ["--endpoint-url", emulator.endpoint_url, "--region", "us-east-1"]  # type: ignore[attr-defined]
    full = [*endpoint, *args]
    before_each()
    aws = run([AWS, "ssm", "describe-sessions", *full], env, cwd)
    before_each()
    ours = run([sys.executable, "-m", "ssm_sessions", "describe-sessions", *full], env, cwd)
    return aws, ours


FILTER_CASES = {
    "owner shorthand": [
        "--filters",
        "key=Owner,value=arn:aws:sts::123456789012:assumed-role/Admin/Jané",
    ],
    "owner json": [
        "--filters",
        '[{"key": "Owner", "value": "arn:aws:iam::123456789012:user/walter"}]',
    ],
    "target shorthand": ["--filters", "key=Target,value=i-0123456789abcdef0"],
    "status json objects": ["--filters", '{"key": "Status", "value": "Terminated"}'],
    "session id shorthand": ["--filters", "key=SessionId,value=full-0123456789abcdef0"],
    "invoked after shorthand": ["--filters", "key=InvokedAfter,value=2026-11-15T00:00:00Z"],
    "invoked before json": [
        "--filters",
        '[{"key":"InvokedBefore","value":"2026-11-10T00:00:00Z"}]',
    ],
    "access type shorthand": ["--filters", "key=AccessType,value=JustInTime"],
    "two filters": ["--filters", "key=Status,value=Terminated", "key=AccessType,value=Standard"],
}

CASES = {
    "active json": ["--state", "Active"],
    "history json": ["--state", "History"],
    "history text": ["--state", "History", "--output", "text"],
    "history table": ["--state", "History", "--output", "table"],
    "active table with colour": ["--state", "Active", "--output", "table", "--color", "on"],
    "active text": ["--state", "Active", "--output", "text"],
    **{f"filter {name}": ["--state", "History", *args] for name, args in FILTER_CASES.items()},
    **{
        f"filter {name} text": ["--state", "History", "--output", "text", *args]
        for name, args in list(FILTER_CASES.items())[:3]
    },
    "query json": [
        "--state",
        "History",
        "--query",
        "Sessions[?Status=='Terminated'].[SessionId, Owner]",
    ],
    "query text per page": [
        "--state",
        "History",
        "--output",
        "text",
        "--query",
        "Sessions[].SessionId",
    ],
    "query text truncated prints None": [
        "--state",
        "History",
        "--output",
        "text",
        "--max-items",
        "3",
        "--query",
        "Sessions[].Target",
    ],
    "query table": ["--state", "History", "--output", "table", "--query", "Sessions[0]"],
    "max items json": ["--state", "History", "--max-items", "5"],
    "max items with page size json": ["--state", "History", "--max-items", "5", "--page-size", "2"],
    "max items with page size text": [
        "--state",
        "History",
        "--output",
        "text",
        "--max-items",
        "5",
        "--page-size",
        "3",
    ],
    "page size only table": ["--state", "History", "--output", "table", "--page-size", "4"],
    "max items exactly a page": ["--state", "History", "--max-items", "4", "--page-size", "4"],
    "no paginate json": ["--state", "History", "--no-paginate"],
    "no paginate text": ["--state", "History", "--no-paginate", "--output", "text"],
    "max results switches pagination off": ["--state", "History", "--max-results", "3"],
    "cli input json": [
        "--cli-input-json",
        '{"State": "History", "Filters": [{"key": "Status", "value": "Terminated"}]}',
    ],
    "command line overrides cli input json": [
        "--cli-input-json",
        '{"State": "History"}',
        "--state",
        "Active",
    ],
    "skeleton output json": ["--state", "Active", "--generate-cli-skeleton", "output"],
    "skeleton output text": [
        "--state",
        "Active",
        "--generate-cli-skeleton",
        "output",
        "--output",
        "text",
    ],
    "skeleton output table": [
        "--state",
        "Active",
        "--generate-cli-skeleton",
        "output",
        "--output",
        "table",
    ],
    "skeleton output with paging option": [
        "--state",
        "Active",
        "--generate-cli-skeleton",
        "output",
        "--max-items",
        "1",
    ],
    "missing state": [],
    "unknown option": ["--state", "Active", "--bogus"],
    "stray positional": ["--state", "Active", "extra"],
    "ambiguous abbreviation": ["--st", "Active"],
    "abbreviated option": ["--sta", "Active", "--out", "text"],
    "invalid skeleton choice": ["--generate-cli-skeleton", "both"],
    "max items not an integer": ["--state", "Active", "--max-items", "many"],
    "max results not an integer": ["--state", "Active", "--max-results", "many"],
    "filter missing value": ["--state", "Active", "--filters", "key=Owner"],
    "filter empty value": ["--state", "Active", "--filters", "key=Owner,value="],
    "filter unknown member": ["--state", "Active", "--filters", "key=Owner,value=x,extra=1"],
    "filter value list": ["--state", "Active", "--filters", "key=Owner,value=a,b"],
    "filter capitalised members": ["--state", "Active", "--filters", "Key=Owner,Value=x"],
    "filter duplicate key": ["--state", "Active", "--filters", "key=Owner,key=Target"],
    "filter shorthand syntax error": [
        "--state",
        "Active",
        "--filters",
        "key=Owner,value='unterminated",
    ],
    "filter bad json": ["--state", "Active", "--filters", "[{bad"],
    "filter empty json list": ["--state", "Active", "--filters", "[]"],
    "filter json then shorthand": [
        "--state",
        "Active",
        "--filters",
        '{"key":"Owner","value":"a"}',
        "key=a",
    ],
    "filter missing file": ["--state", "Active", "--filters", "file:///nonexistent/filters.json"],
    "filters without values": ["--state", "Active", "--filters"],
    "page size zero": ["--state", "Active", "--page-size", "0"],
    "no paginate with paging options": [
        "--state",
        "Active",
        "--no-paginate",
        "--max-items",
        "2",
        "--starting-token",
        "x",
    ],
    "bad query": ["--state", "Active", "--query", "Sessions[?"],
    "bad read timeout": ["--state", "Active", "--cli-read-timeout", "1.5"],
    "bad endpoint url": ["--state", "Active", "--endpoint-url", "localhost"],
    "bad cli input json": ["--cli-input-json", "{bad"],
    "cli input json unknown and wrong types": [
        "--cli-input-json",
        '{"State": 1, "Foo": 2, "MaxResults": "x"}',
    ],
    "cli input json missing state": ["--cli-input-json", "{}"],
    "service error invalid next token": [
        "--state",
        "Active",
        "--starting-token",
        "bm90LWEtdG9rZW4=",
    ],
}


@pytest.mark.parametrize("args", list(CASES.values()), ids=list(CASES))
def test_same_output_as_aws(
    args: list[str], emulator: object, environment: dict[str, str], tmp_path: Path
) -> None:
    """stdout, stderr and exit code are those of ``aws ssm describe-sessions``."""
    aws, ours = both(args, emulator, environment, tmp_path)
    assert ours == aws


def test_cli_input_json_from_a_file(
    emulator: object, environment: dict[str, str], tmp_path: Path
) -> None:
    """``--cli-input-json file://...`` reads the file, as ``aws`` does."""
    (tmp_path / "input.json").write_text('{"State": "History", "MaxResults": 3}')
    aws, ours = both(
        ["--cli-input-json", "file://input.json", "--output", "text"],
        emulator,
        environment,
        tmp_path,
    )
    assert ours == aws


def test_filters_from_a_file(emulator: object, environment: dict[str, str], tmp_path: Path) -> None:
    """``--filters file://...`` reads the JSON from the file."""
    (tmp_path / "filters.json").write_text('[{"key": "Status", "value": "Terminated"}]')
    aws, ours = both(
        ["--state", "History", "--filters", "file://filters.json"], emulator, environment, tmp_path
    )
    assert ours == aws


STANDARD = {"AWS_RETRY_MODE": "standard"}


@pytest.mark.parametrize(
    ("settings", "throttles", "arguments", "said"),
    [
        ({**STANDARD, "AWS_MAX_ATTEMPTS": "2"}, 2, [], "(reached max retries: 1)"),
        (STANDARD, 3, [], "(reached max retries: 2)"),  # standard mode's 3 attempts
        ({}, 5, [], "(reached max retries: 4)"),  # v1's default, legacy mode: 5 attempts
        # legacy mode says no max was reached when the last answer would not be retried
        (
            {"AWS_MAX_ATTEMPTS": "2"},
            1,
            ["--filters", "key=InvokedAfter,value=last tuesday"],
            "(ValidationException) when calling the DescribeSessions operation: ",
        ),
    ],
    ids=["standard, 2 attempts", "standard", "legacy", "legacy, final answer"],
)
def test_retries_end_like_aws(
    settings: dict[str, str],
    throttles: int,
    arguments: list[str],
    said: str,
    emulator: object,
    environment: dict[str, str],
    tmp_path: Path,
) -> None:
    """As many attempts as ``aws`` makes, and the same words when none is left."""
    aws, ours = both(
        ["--state", "History", *arguments],
        emulator,
        {**environment, **settings},
        tmp_path,
        before_each=lambda: emulator.fail_next(throttles, "throttle"),  # type: ignore[attr-defined]
    )
    assert ours == aws
    assert said in aws[1]


@pytest.mark.parametrize("first_run", ["aws", "ssm-sessions"])
@pytest.mark.parametrize("page_size", [None, "3"], ids=["default pages", "page size 3"])
def test_resuming_from_the_printed_token(
    first_run: str,
    page_size: str | None,
    emulator: object,
    environment: dict[str, str],
    tmp_path: Path,
) -> None:
    """A NextToken printed by either program resumes the listing in both, identically."""
    paging = ["--page-size", page_size] if page_size else []
    aws, ours = both(
        ["--state", "History", "--max-items", "4", *paging], emulator, environment, tmp_path
    )
    assert ours == aws
    token = json.loads((aws if first_run == "aws" else ours)[0])["NextToken"]
    resumed = ["--state", "History", "--max-items", "5", "--starting-token", token, *paging]
    aws, ours = both(resumed, emulator, environment, tmp_path)
    assert ours == aws


def test_input_skeleton_matches_up_to_the_enum_choice(
    emulator: object, environment: dict[str, str], tmp_path: Path
) -> None:
    """The input skeleton has aws's shape; aws picks enum values at random, we the first."""
    aws, ours = both(["--generate-cli-skeleton"], emulator, environment, tmp_path)
    expected, actual = json.loads(aws[0]), json.loads(ours[0])
    assert expected["State"] in ("Active", "History")
    assert actual["State"] == "Active" and actual["Filters"][0]["key"] == "InvokedAfter"
    expected["State"], expected["Filters"][0]["key"] = actual["State"], actual["Filters"][0]["key"]
    assert json.dumps(expected, indent=4) + "\n" == ours[0]
    assert (ours[1], ours[2]) == (aws[1], aws[2])


def test_output_choices_include_v2_formats(
    emulator: object, environment: dict[str, str], tmp_path: Path
) -> None:
    """A deliberate difference: ``--output`` also accepts v2's yaml, yaml-stream and off,
    so the invalid-choice message lists six formats where aws lists three."""
    aws, ours = both(["--state", "Active", "--output", "xml"], emulator, environment, tmp_path)
    assert aws[2] == ours[2] == 2
    v1_choices = (
        "json                                     | text                                    \ntable"
    )
    v2_choices = (
        v1_choices
        + "                                    | yaml                                    \n"
    )
    assert v1_choices in aws[1]
    assert (
        v2_choices
        + "yaml-stream                              | off                                     \n"
        in ours[1]
    )


def test_non_positive_max_items_warns_like_aws(
    emulator: object, environment: dict[str, str], tmp_path: Path
) -> None:
    """Both warn the same way. What follows is, in aws's words, undefined behaviour
    (botocore cuts one item short of the first page and prints a negative truncation
    token); ssm-sessions treats a non-positive --max-items as no limit."""
    aws, ours = both(
        ["--state", "History", "--max-items", "-1", "--output", "text"],
        emulator,
        environment,
        tmp_path,
    )
    warning = "warning: Non-positive values for --max-items may result in undefined behavior.\n"
    assert aws[1] == ours[1] == warning
    assert aws[2] == ours[2] == 0


@pytest.fixture(scope="module")
def https_endpoint(emulator: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with https_front(emulator.endpoint_url, tmp_path_factory.mktemp("tls")) as endpoint:  # type: ignore[attr-defined]
        yield endpoint


@pytest.mark.parametrize("trust", ["--ca-bundle", "AWS_CA_BUNDLE", "--no-verify-ssl"])
def test_https_endpoints_list_the_same_as_aws(
    trust: str, https_endpoint: object, environment: dict[str, str], tmp_path: Path
) -> None:
    env = dict(environment)
    args = ["--endpoint-url", https_endpoint.url, "--region", "us-east-1"]  # type: ignore[attr-defined]
    args += ["--state", "History", "--max-items", "4"]
    if trust == "--ca-bundle":
        args += ["--ca-bundle", https_endpoint.ca_bundle]  # type: ignore[attr-defined]
    elif trust == "AWS_CA_BUNDLE":
        env["AWS_CA_BUNDLE"] = https_endpoint.ca_bundle  # type: ignore[attr-defined]
    else:
        args += ["--no-verify-ssl"]
    aws = run([AWS, "ssm", "describe-sessions", *args], env, tmp_path)
    ours = run([sys.executable, "-m", "ssm_sessions", "describe-sessions", *args], env, tmp_path)
    assert (ours[0], ours[2]) == (aws[0], aws[2])
    assert aws[2] == 0 and json.loads(ours[0])["Sessions"]
    if trust == "--no-verify-ssl":
        # Both warn on stderr, each in its own words (aws through urllib3).
        assert "InsecureRequestWarning" in aws[1]
        assert "not checked" in ours[1]
    else:
        assert ours[1] == aws[1]


def test_an_untrusted_certificate_fails_like_aws(
    https_endpoint: object, environment: dict[str, str], tmp_path: Path
) -> None:
    args = ["--endpoint-url", https_endpoint.url, "--region", "us-east-1", "--state", "Active"]  # type: ignore[attr-defined]
    aws = run([AWS, "ssm", "describe-sessions", *args], environment, tmp_path)
    ours = run(
        [sys.executable, "-m", "ssm_sessions", "describe-sessions", *args], environment, tmp_path
    )
    assert (ours[0], ours[2]) == (aws[0], aws[2]) == ("", 255)
    # The same first words; the reason is the TLS library's own (OpenSSL's vs rustls').
    prefix = f"\nSSL validation failed for {https_endpoint.url}/ "  # type: ignore[attr-defined]
    assert aws[1].startswith(prefix) and "CERTIFICATE_VERIFY_FAILED" in aws[1]
    assert ours[1] == prefix + "invalid peer certificate: UnknownIssuer\n"
