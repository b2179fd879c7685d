"""The exceptions raised by ssm_sessions.

Every exception derives from :class:`Error`. An exception raised while a pager is being
iterated carries ``resume_token``: pass it as ``starting_token=`` to continue exactly after
the last session that was yielded, losing and repeating nothing.
"""

from __future__ import annotations

import builtins
from typing import Any

__all__ = [
    "AccessDeniedError",
    "ConnectTimeoutError",
    "CredentialsError",
    "EndpointConnectionError",
    "Error",
    "InternalServerError",
    "InvalidFilterKeyError",
    "InvalidNextTokenError",
    "InvalidParameterError",
    "NoRegionError",
    "PaginationError",
    "ReadTimeoutError",
    "SSLError",
    "ServiceError",
    "ThrottlingError",
    "ValidationError",
]


class Error(Exception):
    """Base class of every error raised by ssm_sessions."""

    resume_token: str | None
    """Token that resumes the listing right after the last yielded session, if any."""

    def __init__(self, message: str, *, resume_token: str | None = None) -> None:
        super().__init__(message)
        self.resume_token = resume_token


class InvalidParameterError(Error, ValueError):
    """An argument was rejected before any request was sent; the message names it."""


class PaginationError(Error):
    """The service broke the pagination contract (the same token was returned twice)."""


class CredentialsError(Error):
    """No credentials could be found, or a credentials provider failed."""


class NoRegionError(Error):
    """No region was given and none could be found in the environment or profile."""


class EndpointConnectionError(Error, builtins.ConnectionError):
    """The endpoint could not be reached (refused, reset, DNS, TLS...)."""

    endpoint_url: str | None
    """The URL that could not be reached."""

    def __init__(
        self,
        message: str,
        *,
        endpoint_url: str | None = None,
        resume_token: str | None = None,
    ) -> None:
        super().__init__(message, resume_token=resume_token)
        self.endpoint_url = endpoint_url


class SSLError(EndpointConnectionError):
    """The endpoint's TLS certificate was not trusted (see ``ca_bundle=``)."""


class ConnectTimeoutError(EndpointConnectionError, builtins.TimeoutError):
    """Connecting to the endpoint took longer than ``connect_timeout``."""


class ReadTimeoutError(Error, builtins.TimeoutError):
    """The endpoint accepted the request but sent no response within ``read_timeout``."""

    endpoint_url: str | None
    """The URL whose response timed out."""

    def __init__(
        self,
        message: str,
        *,
        endpoint_url: str | None = None,
        resume_token: str | None = None,
    ) -> None:
        super().__init__(message, resume_token=resume_token)
        self.endpoint_url = endpoint_url


class ServiceError(Error):
    """The service answered with an error.

    The attributes mirror botocore's ``ClientError``: ``code`` is
    ``response["Error"]["Code"]``, so ``except ClientError`` code ports over.
    """

    code: str
    """The service's error code, e.g. ``"ThrottlingException"``."""
    message: str
    """The service's error message."""
    request_id: str | None
    """The request id the service gave (``x-amzn-RequestId``)."""
    http_status: int | None
    """The HTTP status code of the response."""
    operation_name: str
    """Always ``"DescribeSessions"``."""
    retry_attempts: int
    """How many times the request was retried before this answer (botocore's
    ``RetryAttempts``)."""
    max_attempts_reached: bool
    """No attempt was left (``max_attempts``) when this answer came (botocore's
    ``MaxAttemptsReached``)."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        http_status: int | None = None,
        retry_attempts: int = 0,
        max_attempts_reached: bool = False,
        resume_token: str | None = None,
    ) -> None:
        retry_info = f" (reached max retries: {retry_attempts})" if max_attempts_reached else ""
        super().__init__(
            f"An error occurred ({code}) when calling the DescribeSessions operation"
            f"{retry_info}: {message}",
            resume_token=resume_token,
        )
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.retry_attempts = retry_attempts
        self.max_attempts_reached = max_attempts_reached
        self.operation_name = "DescribeSessions"

    @property
    def response(self) -> dict[str, Any]:
        """The error as botocore's ``ClientError.response`` dict."""
        metadata: dict[str, Any] = {"HTTPHeaders": {}, "RetryAttempts": self.retry_attempts}
        if self.request_id is not None:
            metadata["RequestId"] = self.request_id
        if self.http_status is not None:
            metadata["HTTPStatusCode"] = self.http_status
        if self.max_attempts_reached:
            metadata["MaxAttemptsReached"] = True
        return {
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": metadata,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        kwargs = {
            "request_id": self.request_id,
            "http_status": self.http_status,
            "retry_attempts": self.retry_attempts,
            "max_attempts_reached": self.max_attempts_reached,
            "resume_token": self.resume_token,
        }
        return (_rebuild_service_error, (type(self), self.code, self.message, kwargs))


def _rebuild_service_error(
    cls: type[ServiceError], code: str, message: str, kwargs: dict[str, Any]
) -> ServiceError:
    return cls(code, message, **kwargs)


class ValidationError(ServiceError):
    """The service rejected the request's parameters (``ValidationException``)."""


class InvalidFilterKeyError(ServiceError):
    """The service does not know a filter key (``InvalidFilterKey``)."""


class InvalidNextTokenError(ServiceError):
    """The pagination token is invalid or expired (``InvalidNextToken``)."""


class ThrottlingError(ServiceError):
    """The request was throttled even after retries (``ThrottlingException``...)."""


class AccessDeniedError(ServiceError):
    """The caller is not allowed to call DescribeSessions, or its credentials were rejected."""


class InternalServerError(ServiceError):
    """The service failed (``InternalServerError``, HTTP 5xx) even after retries."""


SERVICE_ERROR_CLASSES: dict[str, type[ServiceError]] = {
    "ValidationException": ValidationError,
    "InvalidFilterKey": InvalidFilterKeyError,
    "InvalidNextToken": InvalidNextTokenError,
    "ThrottlingException": ThrottlingError,
    "Throttling": ThrottlingError,
    "TooManyRequestsException": ThrottlingError,
    "RequestLimitExceeded": ThrottlingError,
    "AccessDeniedException": AccessDeniedError,
    "UnrecognizedClientException": AccessDeniedError,
    "InvalidSignatureException": AccessDeniedError,
    "MissingAuthenticationTokenException": AccessDeniedError,
    "ExpiredTokenException": AccessDeniedError,
    "InternalServerError": InternalServerError,
}
"""Service error codes mapped to their exception class; others raise ServiceError."""
