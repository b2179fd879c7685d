"""``ssm-sessions``: a drop-in for ``aws ssm describe-sessions`` that starts fast.

``ssm-sessions describe-sessions ...`` takes the options of ``aws ssm describe-sessions``
and AWS CLI v1's global options, and prints what AWS CLI v1 prints, byte for byte:
output, usage errors, error messages and exit codes. ``--demo`` runs against an
in-process emulator with generated sessions; ``ssm-sessions serve-local`` runs the
emulator as a server. Only what a command needs is imported (argparse and json to start
with; jmespath only with ``--query``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ssm_sessions.cli.errors import CliError, no_region

__all__ = ["main"]

_LOG_FORMAT = "%(asctime)s - %(threadName)s - %(name)s - %(levelname)s - %(message)s"
_DEMO_SIZE = (25, 250)
_DEMO_SEED = 42


def _version() -> str:
    import platform

    try:
        from importlib.metadata import version

        own = version("ssm-sessions")
    except Exception:
        own = "0+unknown"
    python = platform.python_version()
    return f"ssm-sessions/{own} Python/{python} {platform.system()}/{platform.release()}"


def _compile_query(expression: str | None) -> Any:
    if expression is None:
        return None
    import jmespath  # type: ignore[import-untyped]

    try:
        return jmespath.compile(expression)
    except Exception as error:
        raise CliError(f"Bad value for --query {expression}: {error}") from None


def _check_endpoint(url: str | None) -> None:
    if url is None:
        return
    from urllib.parse import urlsplit

    if not urlsplit(url).scheme:
        raise CliError(
            f'Bad value for --endpoint-url "{url}": scheme is missing.  Must be of the form '
            "http://<hostname>/ or https://<hostname>/"
        )


def _configure_debug_logging(argv: Sequence[str]) -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    logger = logging.getLogger("ssm_sessions")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.debug("CLI version: %s", _version())
    logger.debug("Arguments entered to CLI: %s", list(argv))


def _describe_sessions(
    options: argparse.Namespace, remaining: list[str], argv: Sequence[str]
) -> int:
    from ssm_sessions.cli import arguments, params, run
    from ssm_sessions.cli.config import Config
    from ssm_sessions.cli.model import timestamp_parser

    query = _compile_query(options.query)
    _check_endpoint(options.endpoint_url)
    run.timeout_seconds(options.read_timeout)
    run.timeout_seconds(options.connect_timeout)
    config = Config(options.profile)
    if options.debug:
        _configure_debug_logging(argv)
    try:
        parse_time = timestamp_parser(config.timestamp_format)
    except ValueError as error:
        raise CliError(str(error)) from None
    try:
        args = arguments.parse_operation_arguments(remaining)
    except arguments.UnknownOptionsError as error:
        sys.stderr.write(f"usage: {arguments.USAGE}\n{error}\n")
        return 255
    if args.help == "help":
        sys.stdout.write(_HELP)
        return 0
    if not options.demo:
        config.check_profile()
    paginate = params.check_pagination(args, options.paginate)
    call = params.build_call_parameters(args)
    if args.generate_cli_skeleton == "input":
        from ssm_sessions.cli.skeleton import input_skeleton

        sys.stdout.write(input_skeleton())
        return 0
    output = run.make_output(options.output or config.output, query, options.color)
    if args.generate_cli_skeleton == "output":
        return _print_output_skeleton(options, config, call, output)
    if options.demo:
        return _run_demo(options, config, call, paginate, output, parse_time)
    run.run_listing(options, config, call, paginate, output, parse_time, {})
    return 0


def _print_output_skeleton(options: argparse.Namespace, config: Any, call: Any, output: Any) -> int:
    from ssm_sessions.cli.params import validate
    from ssm_sessions.cli.skeleton import output_skeleton

    if not (options.region or config.region or options.demo):
        raise no_region()
    validate(call.for_validation())
    output.single(output_skeleton())
    return 0


def _run_demo(
    options: argparse.Namespace,
    config: Any,
    call: Any,
    paginate: bool,
    output: Any,
    parse_time: Any,
) -> int:
    from ssm_sessions.cli.run import run_listing
    from ssm_sessions.testing import LocalSsm

    with LocalSsm(generate=_DEMO_SIZE, seed=_DEMO_SEED) as emulator:
        endpoint = {
            "endpoint_url": emulator.endpoint_url,
            "credentials": emulator.credentials,
            "region": emulator.region,
        }
        run_listing(options, config, call, paginate, output, parse_time, endpoint)
    return 0


_HELP = """\
ssm-sessions describe-sessions --state Active|History
    [--filters key=string,value=string ...] [--cli-input-json JSON]
    [--starting-token TOKEN] [--page-size N] [--max-items N]
    [--generate-cli-skeleton [input|output]]
  Global options: --debug --endpoint-url URL --no-verify-ssl --no-paginate
    --output json|text|table|yaml|yaml-stream|off --query JMESPATH --profile NAME
    --region NAME --version --color on|off|auto --no-sign-request --ca-bundle PATH
    --cli-read-timeout N --cli-connect-timeout N --demo
ssm-sessions serve-local [--host H] [--port P] [--active N] [--history N] [--seed S] ...
"""


def _dispatch(argv: Sequence[str]) -> int:
    from ssm_sessions.cli.arguments import parse_global_arguments

    options, remaining = parse_global_arguments(argv)
    if options.version:
        sys.stdout.write(_version() + "\n")
        return 0
    if options.command == "serve-local":
        from ssm_sessions.cli.serve import serve_local

        return serve_local(remaining)
    return _describe_sessions(options, remaining, argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (the AWS CLI's codes)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(argv)
    except CliError as error:
        sys.stdout.flush()
        error.write(sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:
        sys.stdout.flush()
        sys.stderr.write(f"\n{error}\n")
        return 255
