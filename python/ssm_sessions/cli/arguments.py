"""Command-line parsing that reproduces the AWS CLI v1's argparse behaviour.

The AWS CLI parses in two stages: a main parser for the global options (``--output``,
``--region``...) and the command name, with everything it does not know left over, then
an operation parser for the command's own options. Both stages are mirrored here,
option for option and in the same order, so that usage errors, abbreviations
(``--out text``) and ambiguity messages come out exactly as ``aws`` prints them.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, NoReturn

__all__ = [
    "COMMANDS",
    "OUTPUT_CHOICES",
    "USAGE",
    "UnknownOptionsError",
    "parse_global_arguments",
    "parse_operation_arguments",
]

_V2_NOTE = (
    "Note: AWS CLI version 2, the latest major version of the AWS CLI, is now stable "
    "and recommended for general use. For more information, see the AWS CLI version 2 "
    "installation instructions at: https://docs.aws.amazon.com/cli/latest/userguide/"
    "install-cliv2.html"
)
USAGE = (
    f"\r{_V2_NOTE}\n\n"
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n"
    "To see help text, you can run:\n\n"
    "  aws help\n"
    "  aws <command> help\n"
    "  aws <command> <subcommand> help\n"
)
"""The usage text ``aws`` prints with every usage error (it starts with a carriage return)."""

OUTPUT_CHOICES = ("json", "text", "table", "yaml", "yaml-stream", "off")
"""Values of ``--output``: v1's three, plus v2's YAML and ``off``."""

COMMANDS = ("describe-sessions", "serve-local")
"""The commands this program knows."""

_CHOICES_PER_LINE = 2


class _VersionRequested(Exception):
    """Raised by ``--version`` as soon as argparse meets it."""


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=False)

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        raise _VersionRequested


class UnknownOptionsError(Exception):
    """Arguments were left over that no parser knows (``aws`` exits 255 with usage)."""


class _AwsStyleParser(argparse.ArgumentParser):
    """An ArgumentParser whose invalid-choice message is the AWS CLI's."""

    def __init__(self) -> None:
        super().__init__(
            prog="aws",
            usage=USAGE,
            add_help=False,
            conflict_handler="resolve",
            formatter_class=argparse.RawTextHelpFormatter,
        )

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        choice_list = list(choices)
        lines = ["Invalid choice, valid choices are:\n"]
        for start in range(0, len(choice_list), _CHOICES_PER_LINE):
            chunk = choice_list[start : start + _CHOICES_PER_LINE]
            lines.append(" | ".join(f"{choice:<40}" for choice in chunk))
        close = _close_matches(value, choice_list)
        if close:
            lines.append(f"\n\nInvalid choice: {value!r}, maybe you meant:\n")
            lines.extend(f"  * {word}" for word in close)
        raise argparse.ArgumentError(action, "\n".join(lines))

    def error(self, message: str) -> NoReturn:
        """Print usage and the message like ``aws`` does, then exit with status 2."""
        self.print_usage(_stderr())
        self.exit(2, f"{self.prog}: error: {message}\n")


def _close_matches(value: str, choices: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(value, choices, cutoff=0.8)


def _stderr() -> Any:
    import sys

    return sys.stderr


def _build_global_parser() -> _AwsStyleParser:
    parser = _AwsStyleParser()
    add = parser.add_argument
    add("--debug", action="store_true")
    add("--endpoint-url")
    add("--no-verify-ssl", action="store_false", dest="verify_ssl")
    add("--no-paginate", action="store_false", dest="paginate")
    add("--output", choices=OUTPUT_CHOICES)
    add("--query")
    add("--profile")
    add("--region")
    add("--color", choices=["on", "off", "auto"], default="auto")
    add("--no-sign-request", action="store_false", dest="sign_request")
    add("--ca-bundle", dest="ca_bundle")
    add("--cli-read-timeout", dest="read_timeout")
    add("--cli-connect-timeout", dest="connect_timeout")
    add("--v2-debug", action="store_true", dest="v2_debug")
    add("--version", action=_VersionAction)
    add("--demo", action="store_true")
    add("command", choices=COMMANDS)
    return parser


def parse_global_arguments(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Parse the global options and the command; return them and what is left over.

    ``--version`` is answered before the command is required, as ``aws --version`` is.
    Usage errors exit with status 2 after printing ``aws``'s usage text.
    """
    try:
        return _build_global_parser().parse_known_args(list(argv))
    except _VersionRequested:
        return argparse.Namespace(version=True), []


def _build_operation_parser(state_required: bool) -> _AwsStyleParser:
    parser = _AwsStyleParser()
    add = parser.add_argument
    add("--state", required=state_required)
    add("--max-results")
    add("--next-token")
    add("--filters", nargs="*")
    add("--cli-input-json")
    add("--starting-token")
    add("--page-size", type=int)
    add("--max-items", type=int)
    add("--generate-cli-skeleton", nargs="?", const="input", choices=["input", "output"])
    add("help", nargs="?")
    return parser


def _state_is_required(args: Sequence[str]) -> bool:
    """``--state`` stops being required with ``--cli-input-json`` or an input skeleton."""
    if "--cli-input-json" in args:
        return False
    if "--generate-cli-skeleton" in args:
        position = list(args).index("--generate-cli-skeleton")
        following = args[position + 1] if position + 1 < len(args) else None
        return following == "output"
    return True


def parse_operation_arguments(args: Sequence[str]) -> argparse.Namespace:
    """Parse the options of ``describe-sessions`` (what the global parser left over).

    Raises :class:`UnknownOptionsError` for arguments nobody knows; usage errors exit
    with status 2.
    """
    parser = _build_operation_parser(_state_is_required(args))
    parsed, remaining = parser.parse_known_args(list(args))
    if parsed.help is not None and parsed.help != "help":
        remaining.append(parsed.help)
    if remaining:
        raise UnknownOptionsError(f"Unknown options: {', '.join(remaining)}")
    return parsed
