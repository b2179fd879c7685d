"""Type stubs of the native module ``ssm_sessions._core``."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol, final

from typing_extensions import Self

class _FrozenCredentials(Protocol):
    access_key: str
    secret_key: str
    token: str | None

class _CredentialsSource(Protocol):
    def get_frozen_credentials(self) -> Any: ...

@final
class Credentials:
    """AWS credentials: an access key id, a secret access key and an optional session
    token. The repr hides the secret and the token."""

    def __new__(
        cls, access_key_id: str, secret_access_key: str, session_token: str | None = None
    ) -> Self: ...
    @property
    def access_key_id(self) -> str:
        """The access key id (not secret: it appears in logs and reprs)."""
    @property
    def secret_access_key(self) -> str:
        """The secret access key."""
    @property
    def session_token(self) -> str | None:
        """The session token of temporary credentials, or None."""
    def get_frozen_credentials(self) -> Credentials:
        """These credentials themselves, so they can stand where a botocore credentials
        object is expected."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class OutputUrl:
    """Where a session's output is logged."""

    __match_args__: ClassVar[tuple[str, str]]
    def __new__(
        cls, s3_output_url: str | None = None, cloudwatch_output_url: str | None = None
    ) -> Self: ...
    @property
    def s3_output_url(self) -> str | None:
        """The S3 bucket URL of the session's output."""
    @property
    def cloudwatch_output_url(self) -> str | None:
        """The CloudWatch Logs URL of the session's output."""
    def to_dict(self) -> dict[str, str]:
        """As boto3 returns it: ``{"S3OutputUrl": ..., "CloudWatchOutputUrl": ...}``,
        present keys only."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Session:
    """One Session Manager session, as DescribeSessions returns it.

    Frozen and dataclass-like: every API field as a snake_case attribute (None when the
    service did not send it), timezone-aware UTC datetimes, ``==``, ``hash``, pickling,
    ``replace()``, ``to_dict()`` (the dict boto3 returns) and ``Session.from_dict()``.
    ``region`` and ``profile`` say where it was listed and take no part in ``==``,
    ``hash`` or ``to_dict()``.
    """

    __match_args__: ClassVar[tuple[str, ...]]
    def __new__(
        cls,
        session_id: str | None = None,
        target: str | None = None,
        status: str | None = None,
        start_date: datetime | None = None,
        end_date: datetime | None = None,
        document_name: str | None = None,
        owner: str | None = None,
        reason: str | None = None,
        details: str | None = None,
        output_url: OutputUrl | Mapping[str, str] | None = None,
        max_session_duration: str | None = None,
        access_type: str | None = None,
        region: str | None = None,
        profile: str | None = None,
    ) -> Self: ...
    @property
    def session_id(self) -> str | None:
        """The session's id."""
    @property
    def target(self) -> str | None:
        """The instance or managed node the session connects to."""
    @property
    def status(self) -> str | None:
        """Connected, Connecting, Disconnected, Terminated, Terminating, Failed (or a
        newer value)."""
    @property
    def start_date(self) -> datetime | None:
        """When the session began (UTC)."""
    @property
    def end_date(self) -> datetime | None:
        """When the session ended (UTC); None while it is active."""
    @property
    def document_name(self) -> str | None:
        """The Session Manager document the session runs."""
    @property
    def owner(self) -> str | None:
        """The ARN of the principal that started the session."""
    @property
    def reason(self) -> str | None:
        """The reason given when the session was started."""
    @property
    def details(self) -> str | None:
        """Reserved for future use by the service."""
    @property
    def output_url(self) -> OutputUrl | None:
        """Where the session's output is logged."""
    @property
    def max_session_duration(self) -> str | None:
        """The longest the session may last, in minutes, as the service's string."""
    @property
    def access_type(self) -> str | None:
        """Standard or JustInTime (or a newer value)."""
    @property
    def region(self) -> str | None:
        """The region the session was listed from (not compared)."""
    @property
    def profile(self) -> str | None:
        """The profile the session was listed with, when one was named (not compared)."""
    def to_dict(self) -> dict[str, Any]:
        """The session as the dict boto3 returns for it (only the keys the service sent)."""
    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, region: str | None = None, profile: str | None = None
    ) -> Session:
        """Builds a session from the dict boto3 returns (or ``to_dict()`` made)."""
    def replace(self, **changes: Any) -> Session:
        """A copy with some fields changed, like ``dataclasses.replace``."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Page:
    """One page of a listing."""

    @property
    def sessions(self) -> list[Session]:
        """The page's sessions (only those within ``max_items`` and after the starting
        token)."""
    @property
    def next_token(self) -> str | None:
        """The token that continues right after this page, or None after the last one."""
    def __len__(self) -> int: ...

@final
class RawPage:
    """One service response, as sent."""

    @property
    def body(self) -> bytes:
        """The raw JSON body of the DescribeSessions response."""
    @property
    def start(self) -> int:
        """Index in the body's ``Sessions`` of the first session of this listing."""
    @property
    def stop(self) -> int:
        """Index in the body's ``Sessions`` just past the last session of this listing."""

@final
class PageIterator:
    """Iterator of :class:`Page` over a pager."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> Page: ...

@final
class RawPageIterator:
    """Iterator of :class:`RawPage` over a pager."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> RawPage: ...

@final
class SessionPager:
    """A lazy listing of sessions: iterate it, or take ``pages()``.

    Requests go out as you iterate, one page ahead of you. ``resume_token`` continues the
    listing right after the last session yielded.
    """

    def __iter__(self) -> Self: ...
    def __next__(self) -> Session: ...
    @property
    def resume_token(self) -> str | None:
        """The token that continues this listing right after the last yielded session:
        the starting token until something is yielded, None once the listing is complete."""
    def pages(self) -> PageIterator:
        """Iterates the listing page by page (each a :class:`Page` with ``sessions`` and
        ``next_token``)."""
    def raw_pages(self) -> RawPageIterator:
        """Iterates the service's responses as sent (:class:`RawPage`). Call it before
        iterating."""
    def to_list(self) -> list[Session]:
        """Every remaining session, as a list."""

@final
class Client:
    """Configuration for talking to SSM: region, profile, endpoint, credentials, TLS,
    timeouts and retries. Cheap to create; clients with equal options share one
    connection pool.

    ``max_attempts`` and ``retry_mode`` not given are read from ``AWS_MAX_ATTEMPTS`` and
    ``AWS_RETRY_MODE``, then from the profile; the default is standard mode with 3
    attempts (``"legacy"``: 5)."""

    def __new__(
        cls,
        *,
        region: str | None = None,
        profile: str | None = None,
        endpoint_url: str | None = None,
        credentials: Credentials | _CredentialsSource | None = None,
        sign_request: bool = True,
        verify_ssl: bool = True,
        ca_bundle: str | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_attempts: int | None = None,
        retry_mode: Literal["standard", "adaptive", "legacy"] | None = None,
    ) -> Self: ...
    def describe_sessions(
        self,
        state: str,
        *,
        invoked_after: datetime | str | None = None,
        invoked_before: datetime | str | None = None,
        target: str | None = None,
        owner: str | None = None,
        status: str | None = None,
        session_id: str | None = None,
        access_type: str | None = None,
        filters: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
        starting_token: str | None = None,
    ) -> SessionPager:
        """Lists sessions in ``state`` ("Active" or "History"), lazily. See
        ``ssm_sessions.describe_sessions`` for the arguments."""
    @property
    def region(self) -> str | None:
        """The region given (None: from the environment or profile)."""
    @property
    def profile(self) -> str | None:
        """The profile given, if any."""
    @property
    def endpoint_url(self) -> str | None:
        """The endpoint given, if any."""

@final
class EmulatorServer:
    """A running emulator. Use ``ssm_sessions.testing.LocalSsm`` rather than this class."""

    def __new__(
        cls,
        *,
        sessions_json: str,
        generate: tuple[int, int] | None,
        seed: int,
        now_ms: int,
        access_key_id: str,
        secret_access_key: str,
        allow_unsigned: bool,
        filter_after_limit: bool,
        default_page_size: int,
        fault_seed: int | None,
        latency_ms: int,
        throttle_rate: float,
        server_error_rate: float,
        drop_rate: float,
        host: str,
        port: int,
    ) -> Self: ...
    @property
    def endpoint_url(self) -> str:
        """The URL to send requests to."""
    def requests(self) -> list[dict[str, Any]]:
        """The requests received so far (the last 10,000), oldest first, as dicts (no
        secrets)."""
    def fail_next(self, n: int, kind: str) -> None:
        """Makes the next ``n`` requests fail with ``kind``: "throttle", "server_error" or
        "drop"."""
    def shutdown(self) -> None:
        """Stops serving. Idempotent."""

__all__ = [
    "Client",
    "Credentials",
    "EmulatorServer",
    "OutputUrl",
    "Page",
    "PageIterator",
    "RawPage",
    "RawPageIterator",
    "Session",
    "SessionPager",
]
