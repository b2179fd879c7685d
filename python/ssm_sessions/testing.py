"""A local DescribeSessions service for tests and demos: no AWS account needed.

>>> from ssm_sessions.testing import LocalSsm
>>> with LocalSsm(generate=(5, 100), seed=7) as ssm:
...     sessions = list(ssm.client().describe_sessions("History"))

The emulator speaks the AWS JSON 1.1 protocol (boto3, the AWS CLI and any SDK work against
``endpoint_url``), checks SigV4 signatures against ``credentials``, applies every filter,
lists newest first with opaque tokens, answers with the service's error shapes and
injects faults deterministically from ``seed``. It runs in-process, in the extension's
own threads, so it works in sync and async tests alike.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from types import TracebackType
from typing import Any, Literal

from ssm_sessions._core import Client, Credentials, EmulatorServer, OutputUrl, Session
from ssm_sessions.errors import InvalidParameterError

__all__ = ["DEFAULT_CREDENTIALS", "LocalSsm"]

DEFAULT_CREDENTIALS = Credentials(
    "AKIDLOCALSSMEMULATOR", "LocalSsmEmulator/Secret+Key/EXAMPLEKEY01"
)
"""The credentials a LocalSsm checks signatures against unless given others."""

REGION = "us-east-1"

FaultName = Literal["throttle", "server_error", "drop"]


class LocalSsm:
    """An in-process DescribeSessions emulator, used as a context manager.

    ``sessions``: :class:`~ssm_sessions.Session` objects or boto3-shaped dicts (an extra
    ``"State"`` key may say which listing holds a session; by default Terminated,
    Terminating and Failed sessions are History, the rest Active). ``generate=(active,
    history)`` adds that many realistic sessions made from ``seed``, dated over the 30 days
    before ``now``. ``faults``: ``latency_ms``, ``throttle_rate``, ``server_error_rate``,
    ``drop_rate`` (fractions of requests, never two in a row). ``filter_after_limit``
    (default True, like the service) filters each page after cutting it to MaxResults, so
    pages can be empty while a NextToken is set. Timestamps have millisecond precision.
    """

    def __init__(
        self,
        sessions: Iterable[Session | Mapping[str, Any]] = (),
        *,
        generate: tuple[int, int] | None = None,
        seed: int = 0,
        now: datetime | None = None,
        credentials: Credentials = DEFAULT_CREDENTIALS,
        allow_unsigned: bool = False,
        filter_after_limit: bool = True,
        default_page_size: int = 20,
        faults: Mapping[str, float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        fault_options = _fault_options(faults or {})
        self._credentials = credentials
        self._server: EmulatorServer | None = None
        self._arguments: dict[str, Any] = {
            "sessions_json": json.dumps([_wire_session(s) for s in sessions]),
            "generate": generate,
            "seed": seed,
            "now_ms": _epoch_ms(now) if now is not None else int(time.time() * 1000),
            "access_key_id": credentials.access_key_id,
            "secret_access_key": credentials.secret_access_key,
            "allow_unsigned": allow_unsigned,
            "filter_after_limit": filter_after_limit,
            "default_page_size": default_page_size,
            "host": host,
            "port": port,
            **fault_options,
        }

    def start(self) -> LocalSsm:
        """Starts serving (``with`` does this); returns self."""
        if self._server is None:
            self._server = EmulatorServer(**self._arguments)
        return self

    def stop(self) -> None:
        """Stops serving (``with`` does this). Idempotent."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def __enter__(self) -> LocalSsm:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def endpoint_url(self) -> str:
        """The URL to send requests to, e.g. ``http://127.0.0.1:40123``."""
        return self._running().endpoint_url

    @property
    def credentials(self) -> Credentials:
        """The credentials whose signatures the emulator accepts."""
        return self._credentials

    @property
    def region(self) -> str:
        """A region to configure clients with (the emulator accepts any)."""
        return REGION

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The requests received so far (the last 10,000), oldest first: ``operation``,
        ``body`` (the request JSON), ``status``, ``error_code``, ``signed``, ``fault``. No
        secrets."""
        return self._running().requests()

    def fail_next(self, count: int = 1, kind: FaultName = "throttle") -> None:
        """Makes the next ``count`` requests fail with ``kind``: ``"throttle"``,
        ``"server_error"`` or ``"drop"`` (connection closed without a response)."""
        self._running().fail_next(count, kind)

    def client(self, **options: Any) -> Client:
        """A :class:`~ssm_sessions.Client` for this emulator; ``options`` override."""
        settings: dict[str, Any] = {
            "endpoint_url": self.endpoint_url,
            "credentials": self.credentials,
            "region": REGION,
            **options,
        }
        return Client(**settings)

    def environ(self) -> dict[str, str]:
        """Environment variables that point the AWS CLI or boto3 at this emulator."""
        return {
            "AWS_ACCESS_KEY_ID": self.credentials.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.credentials.secret_access_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def __repr__(self) -> str:
        where = self._server.endpoint_url if self._server else "stopped"
        return f"LocalSsm({where})"

    def _running(self) -> EmulatorServer:
        if self._server is None:
            raise InvalidParameterError("LocalSsm is not running: use it in a with block")
        return self._server


def _fault_options(faults: Mapping[str, float]) -> dict[str, Any]:
    known = {
        "seed": None,
        "latency_ms": 0,
        "throttle_rate": 0.0,
        "server_error_rate": 0.0,
        "drop_rate": 0.0,
    }
    unknown = set(faults) - set(known)
    if unknown:
        raise InvalidParameterError(
            f"unknown fault {sorted(unknown)[0]!r}; allowed: {', '.join(known)}"
        )
    options: dict[str, Any] = {**known, **faults}
    options["latency_ms"] = int(options["latency_ms"])
    options["fault_seed"] = options.pop("seed")
    return options


def _wire_session(session: Session | Mapping[str, Any]) -> dict[str, Any]:
    data = session.to_dict() if isinstance(session, Session) else dict(session)
    wire: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, datetime):
            wire[key] = _epoch_ms(value) / 1000
        elif isinstance(value, OutputUrl):
            wire[key] = value.to_dict()
        else:
            wire[key] = value
    return wire


def _epoch_ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return round(value.timestamp() * 1000)
