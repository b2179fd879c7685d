"""Errors of the command line and how they are printed: the AWS CLI's text and exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ssm_sessions.errors import Error

__all__ = ["CliError", "from_core_error", "no_region", "param_error"]


class CliError(Exception):
    """An error to print on stderr before exiting with ``exit_code``.

    ``aws`` prints most errors after a blank line; a few (no region, no credentials)
    without one, and unknown options after its usage text.
    """

    def __init__(self, message: str, *, exit_code: int = 255, blank_line: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.blank_line = blank_line

    def write(self, stream: TextIO) -> None:
        """Write the error as ``aws`` does."""
        stream.write(("\n" if self.blank_line else "") + self.message + "\n")


def param_error(cli_name: str, message: str) -> CliError:
    """The AWS CLI's error for a value it could not parse."""
    return CliError(f"Error parsing parameter '{cli_name}': {message}")


def no_region() -> CliError:
    """The AWS CLI's error when no region is configured (printed without a blank line)."""
    return CliError(
        'You must specify a region. You can also configure your region by running "aws configure".',
        blank_line=False,
    )


def _request_url(endpoint_url: str | None) -> str:
    """The URL botocore names in connection errors: the endpoint with its path ("/")."""
    if not endpoint_url:
        return ""
    parts = urlsplit(endpoint_url)
    return endpoint_url if parts.path else endpoint_url + "/"


def from_core_error(error: Error) -> CliError:
    """Translate an ``ssm_sessions`` exception into what ``aws`` prints for it."""
    from ssm_sessions import errors

    if isinstance(error, errors.ServiceError):
        return CliError(str(error))  # botocore's ClientError text, retries included
    if isinstance(error, errors.NoRegionError):
        return no_region()
    if isinstance(error, errors.CredentialsError):
        return CliError(
            "Unable to locate credentials. You can configure credentials by running "
            '"aws configure".',
            blank_line=False,
        )
    if isinstance(error, errors.SSLError):
        return CliError(str(error))
    if isinstance(error, errors.ConnectTimeoutError):
        return CliError(f'Connect timeout on endpoint URL: "{_request_url(error.endpoint_url)}"')
    if isinstance(error, errors.EndpointConnectionError):
        url = _request_url(error.endpoint_url)
        return CliError(f'Could not connect to the endpoint URL: "{url}"')
    if isinstance(error, errors.ReadTimeoutError):
        return CliError(f'Read timeout on endpoint URL: "{_request_url(error.endpoint_url)}"')
    if isinstance(error, errors.PaginationError):
        return CliError(f"Error during pagination: {error}")
    return CliError(str(error))
