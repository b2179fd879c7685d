"""Credentials found by the standard chain over HTTP reach the service intact."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import ssm_sessions as ssm
from ssm_sessions.testing import LocalSsm

SESSION_TOKEN = "container-session-token"
OTHER_SOURCES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
)
"""Variables of credential sources the chain would try before the container's."""


class ContainerCredentials(ThreadingHTTPServer):
    """What ECS's credentials endpoint answers: the keys as JSON."""

    def __init__(self, credentials: ssm.Credentials) -> None:
        self.document = json.dumps(
            {
                "AccessKeyId": credentials.access_key_id,
                "SecretAccessKey": credentials.secret_access_key,
                "Token": SESSION_TOKEN,
                "Expiration": "2099-01-01T00:00:00Z",
            }
        ).encode()
        self.requests = 0
        super().__init__(("127.0.0.1", 0), _Answer)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/credentials"


class _Answer(BaseHTTPRequestHandler):
    server: ContainerCredentials

    def do_GET(self) -> None:
        self.server.requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.document)))
        self.end_headers()
        self.wfile.write(self.server.document)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def container_credentials(
    emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[LocalSsm, ContainerCredentials]]:
    """An emulator, and a credentials endpoint that the environment points the chain to."""
    emu = emulator(generate=(0, 4))
    server = ContainerCredentials(emu.credentials)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in OTHER_SOURCES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "empty").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "empty"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url)
    yield emu, server
    server.shutdown()
    server.server_close()


def test_container_credentials_sign_the_requests(container_credentials):
    emu, server = container_credentials
    client = ssm.Client(region=emu.region, endpoint_url=emu.endpoint_url)
    sessions = client.describe_sessions("History", page_size=2).to_list()
    assert len(sessions) == 4
    assert server.requests == 1
    assert [request["fault"] for request in emu.requests] == [None, None]


def test_a_credentials_request_is_not_counted_as_an_attempt(container_credentials):
    emu, _ = container_credentials
    emu.fail_next(1, "throttle")
    client = ssm.Client(region=emu.region, endpoint_url=emu.endpoint_url, max_attempts=1)
    with pytest.raises(ssm.ThrottlingError) as error:
        client.describe_sessions("History").to_list()
    assert error.value.retry_attempts == 0
    assert error.value.max_attempts_reached
