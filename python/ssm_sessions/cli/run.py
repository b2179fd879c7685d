"""Running ``describe-sessions``: the client, the requests and the chosen output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, Final, Protocol

from ssm_sessions.cli.config import Config
from ssm_sessions.cli.errors import CliError, from_core_error, no_region
from ssm_sessions.cli.model import TimestampParser, parse_response
from ssm_sessions.cli.params import CallParameters, validate

__all__ = ["Output", "make_output", "run_listing"]

_DEFAULT_TIMEOUT = 60
_V1_RETRY_MODE: Final = "legacy"  # botocore's, the AWS CLI v1 default (5 attempts)


class Output(Protocol):
    """What every output format offers."""

    def single(self, response: dict[str, Any]) -> None:
        """Print one response."""

    def paginated(self, pages: Any, resume_token: Any) -> None:
        """Print a whole listing, given its pages and a callable for the resume token."""


class _NoOutput:
    """``--output off``: requests are made, nothing is printed."""

    def single(self, response: dict[str, Any]) -> None:
        """Print nothing."""

    def paginated(self, pages: Any, resume_token: Any) -> None:
        """Consume the listing, print nothing."""
        for _ in pages:
            pass


def make_output(name: str, query: Any, color: str) -> Output:
    """The formatter for an ``--output`` value; the AWS CLI's error for an unknown one."""
    stream = sys.stdout
    if name == "json":
        from ssm_sessions.cli.output_json import JsonOutput

        return JsonOutput(stream, query)
    if name == "text":
        from ssm_sessions.cli.output_text import TextOutput

        return TextOutput(stream, query)
    if name == "table":
        from ssm_sessions.cli.output_table import TableOutput

        return TableOutput(stream, query, color)
    if name in ("yaml", "yaml-stream"):
        from ssm_sessions.cli.output_yaml import YamlOutput

        return YamlOutput(stream, query, streaming=name == "yaml-stream")
    if name == "off":
        return _NoOutput()
    raise CliError(f"Unknown output type: {name}")


def timeout_seconds(value: str | None) -> int:
    """A ``--cli-*-timeout`` value as ``aws`` reads it (``int()``; 60 by default)."""
    if value is None:
        return _DEFAULT_TIMEOUT
    try:
        return int(value)
    except ValueError as error:
        raise CliError(str(error)) from None


def _client(options: argparse.Namespace, config: Config, endpoint: dict[str, Any]) -> Any:
    import ssm_sessions

    return ssm_sessions.Client(
        region=options.region or config.region or endpoint.get("region"),
        profile=config.explicit_profile,
        endpoint_url=endpoint.get("endpoint_url", options.endpoint_url),
        credentials=endpoint.get("credentials"),
        sign_request=options.sign_request,
        verify_ssl=options.verify_ssl,
        ca_bundle=options.ca_bundle or config.ca_bundle,
        connect_timeout=float(timeout_seconds(options.connect_timeout)),
        read_timeout=float(timeout_seconds(options.read_timeout)),
        # AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and the profile's settings are the library's to
        # read; only v1's default mode is the command line's own.
        retry_mode=None if config.retry_mode else _V1_RETRY_MODE,
    )


def _query_arguments(call: CallParameters, paginate: bool) -> dict[str, Any]:
    params = call.params
    paging = call.pagination or {}
    if not paginate:
        return {"page_size": params.get("MaxResults"), "starting_token": params.get("NextToken")}
    max_items = paging.get("MaxItems")
    return {
        "page_size": paging.get("PageSize", params.get("MaxResults")),
        # botocore treats a non-positive MaxItems as no limit
        "max_items": max_items if max_items is not None and max_items > 0 else None,
        "starting_token": paging.get("StartingToken", params.get("NextToken")),
    }


def _pages(pager: Any, parse_time: TimestampParser | None) -> Iterator[dict[str, Any]]:
    for page in pager.raw_pages():
        response = parse_response(page.body, parse_time, page.start, page.stop)
        response.pop("NextToken", None)
        yield response


def run_listing(
    options: argparse.Namespace,
    config: Config,
    call: CallParameters,
    paginate: bool,
    output: Output,
    parse_time: TimestampParser | None,
    endpoint: dict[str, Any],
) -> None:
    """Validate, send the requests and print them; core errors become CLI errors."""
    from ssm_sessions.errors import Error

    region = options.region or config.region or endpoint.get("region")
    if not region:
        raise no_region()
    validate(call.first_request() if paginate else call.for_validation())
    try:
        client = _client(options, config, endpoint)
        filters = call.params.get("Filters")
        pager = client.describe_sessions(
            call.params["State"], filters=filters, **_query_arguments(call, paginate)
        )
        if not paginate:
            first = next(iter(pager.raw_pages()))
            output.single(parse_response(first.body, parse_time))
            return
        output.paginated(_pages(pager, parse_time), lambda: pager.resume_token)
    except Error as error:
        sys.stdout.flush()
        raise from_core_error(error) from None
