"""``--output text``: tab-separated rows, printed page by page as the AWS CLI does.

A list of structures becomes one row per item, headed by the list's name in upper case,
with the columns of the alphabetically sorted union of the scalar keys of that list's
items (so with paging, columns are computed per page); nested structures and lists
become rows of their own after their parent's row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TextIO

__all__ = ["TextOutput", "format_text"]


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list))


def _write_scalars(values: list[Any], identifier: str | None, write: Callable[[str], Any]) -> None:
    if identifier is None:
        write("\t".join(str(value) for value in values) + "\n")
    else:
        label = identifier.upper()
        for value in values:
            write(f"{label}\t{value}\n")


def _format_dict(
    item: dict[str, Any],
    identifier: str | None,
    columns: list[str] | None,
    write: Callable[[str], Any],
) -> None:
    if columns is None:
        ordered = sorted(item.items())
        scalars = [str(value) for _, value in ordered if not _is_container(value)]
        nested = [(key, value) for key, value in ordered if _is_container(value)]
    else:
        scalars = [str(item.get(key, "")) for key in columns]
        nested = [(key, item[key]) for key in sorted(set(item) - set(columns))]
    if scalars:
        if identifier is not None:
            scalars.insert(0, identifier.upper())
        write("\t".join(scalars) + "\n")
    for key, value in nested:
        _format(value, key, None, write)


def _format_list(items: list[Any], identifier: str | None, write: Callable[[str], Any]) -> None:
    if not items:
        return
    if any(isinstance(item, dict) for item in items):
        columns = sorted(
            {key for item in items for key, value in item.items() if not _is_container(value)}
        )
        for item in items:
            _format(item, identifier, columns, write)
    elif any(isinstance(item, list) for item in items):
        scalars = [item for item in items if not _is_container(item)]
        if scalars:
            _write_scalars(scalars, identifier, write)
        for item in items:
            if _is_container(item):
                _format(item, identifier, None, write)
    else:
        _write_scalars(items, identifier, write)


def _format(
    value: Any, identifier: str | None, columns: list[str] | None, write: Callable[[str], Any]
) -> None:
    if isinstance(value, dict):
        _format_dict(value, identifier, columns, write)
    elif isinstance(value, list):
        _format_list(value, identifier, write)
    else:
        write(str(value) + "\n")


def format_text(value: Any, stream: TextIO) -> None:
    """Write ``value`` in the AWS CLI's text format."""
    _format(value, None, None, stream.write)


class TextOutput:
    """Prints a listing as the AWS CLI's text output does: page by page."""

    def __init__(self, stream: TextIO, query: Any = None) -> None:
        self._stream = stream
        self._query = query

    def _print(self, value: Any) -> None:
        if self._query is not None:
            value = self._query.search(value)
        format_text(value, self._stream)

    def single(self, response: dict[str, Any]) -> None:
        """Print one response (``--no-paginate``, skeletons)."""
        self._print(response)

    def paginated(
        self, pages: Iterable[dict[str, Any]], resume_token: Callable[[], str | None]
    ) -> None:
        """Print each page as it arrives, then a ``NEXTTOKEN`` row when truncated."""
        for page in pages:
            self._print({"Sessions": page.get("Sessions")})
        token = resume_token()
        if token:
            self._print({"NextToken": {"NextToken": token}})
