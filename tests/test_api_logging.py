"""Request logging: with the `ssm_sessions` logger at DEBUG when a client is made, each
attempt's request and response are logged, retries show, and no secret appears."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest


@pytest.fixture
def debug_records(caplog):
    caplog.set_level(logging.DEBUG, logger="ssm_sessions")
    return caplog


def test_requests_responses_and_retries_are_logged_without_secrets(emulator, debug_records):
    emu = emulator(generate=(0, 6), seed=2)
    client = emu.client(max_attempts=3)
    emu.fail_next(1, "throttle")
    assert len(client.describe_sessions("History", owner="nobody").to_list()) == 0
    messages = [r.getMessage() for r in debug_records.records if r.name == "ssm_sessions"]
    assert messages[0].startswith(f"DescribeSessions attempt 1: POST {emu.endpoint_url}/ ")
    assert '"State":"History"' in messages[0] and '"value":"nobody"' in messages[0]
    assert messages[1].startswith("DescribeSessions attempt 1: HTTP 400, request id ")
    assert messages[2].startswith("DescribeSessions attempt 1 failed: ")
    assert messages[3].startswith("DescribeSessions attempt 2: POST ")
    assert messages[4].startswith("DescribeSessions attempt 2: HTTP 200, request id ")
    everything = "\n".join(messages)
    assert emu.credentials.secret_access_key not in everything
    assert "Signature=" not in everything and "Authorization" not in everything


def test_a_client_made_before_debug_logging_was_enabled_logs_nothing(emulator, caplog):
    emu = emulator(generate=(0, 3))
    client = emu.client()
    caplog.set_level(logging.DEBUG, logger="ssm_sessions")
    client.describe_sessions("History").to_list()
    assert not [r for r in caplog.records if r.name == "ssm_sessions"]


def test_cli_debug_logs_requests_to_stderr(emulator):
    emu = emulator(generate=(0, 3))
    command = [sys.executable, "-m", "ssm_sessions", "--debug", "describe-sessions"]
    arguments = ["--state", "History", "--endpoint-url", emu.endpoint_url, "--region", "us-east-1"]
    environment = {
        "AWS_ACCESS_KEY_ID": emu.credentials.access_key_id,
        "AWS_SECRET_ACCESS_KEY": emu.credentials.secret_access_key,
        "PATH": "",
        "HOME": "/nonexistent",
    }
    done = subprocess.run(command + arguments, capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    assert "DescribeSessions attempt 1: POST" in done.stderr
    assert "DescribeSessions attempt 1: HTTP 200" in done.stderr
    assert emu.credentials.secret_access_key not in done.stderr
