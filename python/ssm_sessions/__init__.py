"""List AWS Systems Manager Session Manager sessions (DescribeSessions), fast.

>>> import ssm_sessions as ssm
>>> owner = "arn:aws:sts::123456789012:assumed-role/Admin/Jane"
>>> for s in ssm.describe_sessions("History", owner=owner):
...     print(s.session_id, s.target, s.start_date)

A Rust core runs the paginated requests one page ahead of you with the GIL released;
sessions arrive as frozen :class:`Session` objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ssm_sessions import errors
from ssm_sessions._core import (
    Client,
    Credentials,
    OutputUrl,
    Page,
    RawPage,
    Session,
    SessionPager,
)
from ssm_sessions.errors import (
    AccessDeniedError,
    ConnectTimeoutError,
    CredentialsError,
    EndpointConnectionError,
    Error,
    InternalServerError,
    InvalidFilterKeyError,
    InvalidNextTokenError,
    InvalidParameterError,
    NoRegionError,
    PaginationError,
    ReadTimeoutError,
    ServiceError,
    SSLError,
    ThrottlingError,
    ValidationError,
)

__all__ = [
    "AccessDeniedError",
    "Client",
    "ConnectTimeoutError",
    "Credentials",
    "CredentialsError",
    "EndpointConnectionError",
    "Error",
    "InternalServerError",
    "InvalidFilterKeyError",
    "InvalidNextTokenError",
    "InvalidParameterError",
    "NoRegionError",
    "OutputUrl",
    "Page",
    "PaginationError",
    "RawPage",
    "ReadTimeoutError",
    "SSLError",
    "ServiceError",
    "Session",
    "SessionPager",
    "ThrottlingError",
    "ValidationError",
    "__version__",
    "describe_sessions",
    "errors",
]


def __getattr__(name: str) -> str:
    # importlib.metadata costs ~25 ms: resolve the version only when asked for, so the
    # command line starts fast.
    if name == "__version__":
        from importlib.metadata import version

        return version("ssm-sessions")
    raise AttributeError(f"module 'ssm_sessions' has no attribute {name!r}")


def describe_sessions(
    state: str,
    *,
    invoked_after: datetime | str | None = None,
    invoked_before: datetime | str | None = None,
    target: str | None = None,
    owner: str | None = None,
    status: str | None = None,
    session_id: str | None = None,
    access_type: str | None = None,
    filters: list[dict[str, Any]] | dict[str, Any] | None = None,
    page_size: int | None = None,
    max_items: int | None = None,
    starting_token: str | None = None,
    client: Client | None = None,
    **client_options: Any,
) -> SessionPager:
    """List the sessions in ``state`` (``"Active"`` or ``"History"``), lazily.

    Filters: the keyword shortcuts (``invoked_after``/``invoked_before`` take a datetime,
    naive meaning UTC, or an ISO-8601 string; the others a string sent as given) and
    ``filters`` (``[{"key": "Owner", "value": ...}]`` or ``{"Owner": ...}``) all AND
    together; a key given twice is an :class:`InvalidParameterError`.

    ``page_size`` is the MaxResults of each request (1..200, the service's default when
    None), ``max_items`` caps the total, ``starting_token`` resumes a listing (a token from
    ``resume_token``, from boto3's paginator or from ``aws ... --max-items``).

    Pass ``client=`` a :class:`Client`, or its options as keywords (``region=``,
    ``profile=``, ``endpoint_url=``, ``credentials=``...). Every argument is checked before
    any request: bad ones raise :class:`InvalidParameterError`.
    """
    if client is None:
        client = Client(**client_options)
    elif client_options:
        raise InvalidParameterError(
            f"pass either client= or client options, not both (got {sorted(client_options)})"
        )
    return client.describe_sessions(
        state,
        invoked_after=invoked_after,
        invoked_before=invoked_before,
        target=target,
        owner=owner,
        status=status,
        session_id=session_id,
        access_type=access_type,
        filters=filters,
        page_size=page_size,
        max_items=max_items,
        starting_token=starting_token,
    )
