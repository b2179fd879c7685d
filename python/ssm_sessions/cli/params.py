"""From parsed options to DescribeSessions call parameters, as the AWS CLI builds them.

Values go through the same steps and in the same order as in ``aws``: file references,
shorthand or JSON for ``--filters``, integer conversion, ``--cli-input-json`` filling in
what the command line left out, then botocore's parameter validation, whose report
(``Parameter validation failed: ...``) is reproduced exactly.
"""

from __future__ import annotations

import argparse
import sys
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ssm_sessions.cli.errors import CliError, param_error
from ssm_sessions.cli.paramfile import ParamFileError, load_local, load_param
from ssm_sessions.cli.shorthand import ShorthandError, parse_shorthand

__all__ = ["CallParameters", "build_call_parameters", "check_pagination", "validate"]

_INPUT_MEMBERS = ("State", "MaxResults", "NextToken", "Filters")
_FILTER_MEMBERS = ("key", "value")
_PAGING_OPTIONS = ("starting_token", "page_size", "max_items")


class CallParameters:
    """The call parameters (API names) and the AWS CLI's pagination settings."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        """``State``, ``MaxResults``, ``NextToken``, ``Filters`` and anything from
        ``--cli-input-json``, in the order ``aws`` adds them."""
        self.pagination: dict[str, Any] | None = None
        """``StartingToken``, ``PageSize``, ``MaxItems`` when given (botocore's
        ``PaginationConfig``)."""

    def first_request(self) -> dict[str, Any]:
        """The parameters of the first request of a paginated listing: ``--page-size``
        becomes ``MaxResults``."""
        request = dict(self.params)
        if self.pagination is not None and "PageSize" in self.pagination:
            request["MaxResults"] = self.pagination["PageSize"]
        return request

    def for_validation(self) -> dict[str, Any]:
        """The parameters as botocore's validator sees them for a single call."""
        merged = dict(self.params)
        if self.pagination is not None:
            merged["PaginationConfig"] = self.pagination
        return merged


def check_pagination(args: argparse.Namespace, paginate: bool) -> bool:
    """Decide whether to paginate, as ``aws`` does; refuse paging options without it.

    The hidden ``--max-results`` and ``--next-token`` switch pagination off.
    """
    if args.max_results is not None or args.next_token is not None:
        paginate = False
    if not paginate:
        used = [name for name in _PAGING_OPTIONS if getattr(args, name)]
        if used:
            names = ", ".join("--" + name.replace("_", "-") for name in used)
            raise CliError(
                "Error during pagination: Cannot specify --no-paginate along with "
                f"pagination arguments: {names}"
            )
    return paginate


def _loaded(cli_name: str, value: Any) -> Any:
    """Apply ``file://``-style references to an option's value."""
    reference = value[0] if isinstance(value, list) and len(value) == 1 else value
    try:
        loaded = load_param(reference)
    except ParamFileError as error:
        raise param_error(cli_name, str(error)) from None
    return value if loaded is None else loaded


def _load_shorthand_file(value: str) -> str | None:
    loaded = load_local(value)
    return loaded if loaded is None or isinstance(loaded, str) else loaded.decode()


def _json_value(cli_name: str, text: str) -> Any:
    import json

    try:
        return json.loads(text, object_pairs_hook=OrderedDict)
    except ValueError as error:
        raise param_error(cli_name, f"Invalid JSON: {error}\nJSON received: {text}") from None


def _unpack_filter_json(value: Any) -> Any:
    """The AWS CLI's JSON path for a list-of-structures option."""
    if isinstance(value, str):
        if value.lstrip()[0] == "[":
            return _json_value("--filters", value)
    elif isinstance(value, list) and len(value) == 1:
        single = value[0].strip()
        if single and single[0] == "[":
            return _json_value("--filters", value[0])
    items = []
    for item in value:
        if item.lstrip()[0] != "{":
            raise param_error("--filters", f"Invalid JSON:\n{item}")
        items.append(_json_value("--filters", item))
    return items


def _unpack_filters(value: Any) -> Any:
    """``--filters`` in shorthand (``key=..,value=..`` ...) or JSON, as ``aws`` reads it."""
    first = value[0] if value and isinstance(value, list) else value
    if isinstance(first, str) and first.strip().startswith(("[", "{")):
        return _unpack_filter_json(value)
    try:
        if isinstance(value, list):
            return [parse_shorthand(item, _load_shorthand_file) for item in value]
        return parse_shorthand(value, _load_shorthand_file)
    except ShorthandError as error:
        raise param_error("--filters", str(error)) from None
    except ParamFileError as error:
        raise param_error("--filters", str(error)) from None


def _integer(value: Any) -> int:
    try:
        return int(value)
    except ValueError as error:
        raise CliError(str(error)) from None


def _warn_non_positive_max_items() -> None:
    sys.stderr.write(
        "warning: Non-positive values for --max-items may result in undefined behavior.\n"
    )


def _cli_input(value: str | bytes) -> dict[str, Any]:
    import json

    text = load_local(value)
    if text is None:
        text = value
    try:
        data = json.loads(text)
    except ValueError as error:
        shown = text.decode() if isinstance(text, bytes) else text
        raise param_error(
            "cli-input-json", f"Invalid JSON: {error}\nJSON received: {shown}"
        ) from None
    if not isinstance(data, dict):
        raise CliError(f"'{type(data).__name__}' object has no attribute 'keys'")
    return data


def _as_given(value: Any) -> Any:
    return value


# The operation's own options, in the order aws loads them: (option, attribute, API key,
# conversion).
_OPERATION_OPTIONS: tuple[tuple[str, str, str, Callable[[Any], Any]], ...] = (
    ("--state", "state", "State", _as_given),
    ("--max-results", "max_results", "MaxResults", _integer),
    ("--next-token", "next_token", "NextToken", _as_given),
    ("--filters", "filters", "Filters", _unpack_filters),
)


def build_call_parameters(args: argparse.Namespace) -> CallParameters:
    """Build the call parameters from the parsed options, in ``aws``'s order.

    Raises :class:`CliError` with the AWS CLI's message for a value it would refuse.
    """
    call = CallParameters()
    params = call.params
    # Each value is loaded and converted in turn: aws reports the first bad one.
    for option, attribute, key, convert in _OPERATION_OPTIONS:
        value = _loaded(option, getattr(args, attribute))
        if value is not None:
            params[key] = convert(value)
    cli_input = _loaded("--cli-input-json", args.cli_input_json)
    pagination: dict[str, Any] = {}
    starting_token = _loaded("--starting-token", args.starting_token)
    if starting_token is not None:
        pagination["StartingToken"] = starting_token
    if args.page_size is not None:
        pagination["PageSize"] = args.page_size
    if args.max_items is not None:
        if args.max_items <= 0:
            _warn_non_positive_max_items()
        pagination["MaxItems"] = args.max_items
    if pagination:
        call.pagination = pagination
    if cli_input is not None:
        for key, value in _cli_input(cli_input).items():
            params.setdefault(key, value)
    return call


# -- botocore's parameter validation, reproduced for the DescribeSessions input ---------


def _type_error(name: str, value: Any, valid: str) -> str:
    return (
        f"Invalid type for parameter {name}, value: {value}, type: {type(value)}, "
        f"valid types: {valid}"
    )


def _check_string(name: str, value: Any, min_length: int | None, errors: list[str]) -> None:
    if not isinstance(value, str):
        errors.append(_type_error(name, value, "<class 'str'>"))
    elif min_length is not None and len(value) < min_length:
        errors.append(
            f"Invalid length for parameter {name}, value: {len(value)}, "
            f"valid min length: {min_length}"
        )


def _check_structure(
    name: str, value: Any, members: tuple[str, ...], required: tuple[str, ...], errors: list[str]
) -> list[str]:
    """Type, required and unknown checks; returns the known members present, in order."""
    if not isinstance(value, dict):
        errors.append(_type_error(name, value, "<class 'dict'>"))
        return []
    where = name or "input"
    for member in required:
        if member not in value:
            errors.append(f'Missing required parameter in {where}: "{member}"')
    known = []
    for key in value:
        if key in members:
            known.append(key)
        else:
            errors.append(
                f'Unknown parameter in {where}: "{key}", must be one of: {", ".join(members)}'
            )
    return known


def _check_filters(value: Any, errors: list[str]) -> None:
    if not isinstance(value, (list, tuple)):
        errors.append(_type_error("Filters", value, "<class 'list'>, <class 'tuple'>"))
        return
    if len(value) < 1:
        errors.append(
            f"Invalid length for parameter Filters, value: {len(value)}, valid min length: 1"
        )
    for index, item in enumerate(value):
        name = f"Filters[{index}]"
        for key in _check_structure(name, item, _FILTER_MEMBERS, _FILTER_MEMBERS, errors):
            _check_string(f"{name}.{key}", item[key], 1 if key == "value" else None, errors)


def _check_member(key: str, value: Any, errors: list[str]) -> None:
    if key == "State" or key == "NextToken":
        _check_string(key, value, None, errors)
    elif key == "MaxResults":
        if not isinstance(value, int):
            errors.append(_type_error(key, value, "<class 'int'>"))
        elif value < 1:
            errors.append(f"Invalid value for parameter {key}, value: {value}, valid min value: 1")
    elif key == "Filters":
        _check_filters(value, errors)


def validate(params: dict[str, Any]) -> None:
    """Validate like botocore; raise the AWS CLI's ``Parameter validation failed`` error."""
    errors: list[str] = []
    for key in _check_structure("", params, _INPUT_MEMBERS, ("State",), errors):
        _check_member(key, params[key], errors)
    if errors:
        raise CliError("Parameter validation failed:\n" + "\n".join(errors))
