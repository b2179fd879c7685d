"""`ssm-sessions serve-local` and `--demo`: the emulator as its own process, and the
README's first command."""

from __future__ import annotations

import json
import subprocess
import sys

import ssm_sessions as ssm


def test_serve_local_prints_its_endpoint_first_then_its_credentials():
    command = [sys.executable, "-m", "ssm_sessions", "serve-local", "--history", "12"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        endpoint_url = server.stdout.readline().strip()
        variables = dict(server.stdout.readline().strip().split("=", 1) for _ in range(2))
        client = ssm.Client(
            endpoint_url=endpoint_url,
            region="us-east-1",
            credentials=ssm.Credentials(
                variables["AWS_ACCESS_KEY_ID"], variables["AWS_SECRET_ACCESS_KEY"]
            ),
        )
        assert endpoint_url.startswith("http://127.0.0.1:")
        assert len(client.describe_sessions("History").to_list()) == 12
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_demo_lists_generated_sessions_with_no_aws_account():
    command = [sys.executable, "-m", "ssm_sessions", "--demo", "describe-sessions"]
    arguments = ["--state", "History", "--max-items", "3"]
    done = subprocess.run(command + arguments, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert len(output["Sessions"]) == 3
    assert all(
        session["Status"] in {"Terminated", "Terminating", "Failed"}
        for session in output["Sessions"]
    )
    assert "NextToken" in output
