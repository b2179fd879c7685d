"""Fidelity of the local DescribeSessions emulator, judged by the `aws` CLI (v1)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ssm_sessions.testing import LocalSsm

# The AWS CLI is a test dependency (pip install '.[test]'): the reference these tests need.
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws") or "aws"

FIXTURE = [
    {
        "SessionId": "alice-0a1b2c3d4e5f67890",
        "Target": "i-0123456789abcdef0",
        "Status": "Terminated",
        "StartDate": 1541761816.338,
        "EndDate": 1700000000,
        "Owner": "arn:aws:iam::123456789012:user/alice",
        "Reason": 'Déploiement "urgent" 🚀',
        "OutputUrl": {},
    },
    {
        "SessionId": "bob-0fedcba9876543210",
        "Target": "i-0123456789abcdef0",
        "Status": "Failed",
        "StartDate": 1541761000,
        "Owner": "arn:aws:iam::123456789012:user/bob",
    },
]


def aws(ssm, *args, secret=None):
    """Runs `aws ssm describe-sessions ...` against the emulator, isolated from ~/.aws."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ACCESS_KEY_ID": ssm.credentials.access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret or ssm.credentials.secret_access_key,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_MAX_ATTEMPTS": "1",
        "PYTHONIOENCODING": "utf-8",
    }
    command = [AWS, "ssm", "describe-sessions", "--endpoint-url", ssm.endpoint_url, *args]
    return subprocess.run(
        command, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def test_json_output_of_fixture_sessions():
    with LocalSsm(sessions=FIXTURE) as ssm:
        done = aws(ssm, "--state", "History")
        assert done.returncode == 0, done.stderr
        # CLI v1 prints timestamps as json.loads read the wire number:
        # 1.541761816338E9 -> 1541761816.338
        assert '"StartDate": 1541761816.338,' in done.stdout
        assert '"EndDate": 1700000000.0,' in done.stdout  # the wire says 1.7E9
        assert '"StartDate": 1541761000.0' in done.stdout
        assert '"OutputUrl": {}' in done.stdout
        assert 'Déploiement \\"urgent\\" 🚀' in done.stdout
        sessions = json.loads(done.stdout)["Sessions"]
        assert [s["SessionId"] for s in sessions] == [
            "alice-0a1b2c3d4e5f67890",
            "bob-0fedcba9876543210",
        ]


def test_cli_pagination_and_starting_token():
    with LocalSsm(generate=(0, 57), seed=4) as ssm:
        full = json.loads(aws(ssm, "--state", "History", "--page-size", "5").stdout)["Sessions"]
        assert len(full) == 57
        first = json.loads(
            aws(ssm, "--state", "History", "--page-size", "5", "--max-items", "12").stdout
        )
        assert len(first["Sessions"]) == 12
        rest = json.loads(
            aws(
                ssm,
                "--state",
                "History",
                "--page-size",
                "5",
                "--starting-token",
                first["NextToken"],
            ).stdout
        )
        assert [s["SessionId"] for s in first["Sessions"] + rest["Sessions"]] == [
            s["SessionId"] for s in full
        ]


def test_cli_filters_and_text_output():
    with LocalSsm(generate=(0, 80), seed=4) as ssm:
        full = json.loads(aws(ssm, "--state", "History").stdout)["Sessions"]
        owner = full[0]["Owner"]
        done = aws(
            ssm,
            "--state",
            "History",
            "--page-size",
            "7",
            "--filters",
            f"key=Owner,value={owner}",
            "--output",
            "text",
            "--query",
            "Sessions[].SessionId",
        )
        assert done.returncode == 0, done.stderr
        got = done.stdout.split()
        assert got == [s["SessionId"] for s in full if s["Owner"] == owner]


@pytest.mark.parametrize(
    "args, code",
    [
        (["--state", "History", "--next-token", "garbage"], "InvalidNextToken"),
        (["--state", "History", "--filters", "key=Colour,value=red"], "InvalidFilterKey"),
        (
            ["--state", "History", "--page-size", "300"],
            "ValidationException",
        ),  # botocore checks only the minimum
        (
            ["--state", "History", "--filters", "key=InvokedAfter,value=yesterday"],
            "ValidationException",
        ),
    ],
)
def test_cli_service_errors(args, code):
    with LocalSsm(generate=(1, 1), seed=1) as ssm:
        done = aws(ssm, *args)
        assert done.returncode == 255
        assert (
            f"An error occurred ({code}) when calling the DescribeSessions operation: "
            in done.stderr
        )


def test_cli_wrong_secret():
    with LocalSsm(generate=(1, 1), seed=1) as ssm:
        done = aws(ssm, "--state", "Active", secret="wrong")
        assert done.returncode == 255
        assert "An error occurred (InvalidSignatureException)" in done.stderr
