"""``--output yaml`` and ``yaml-stream``: AWS CLI v2's YAML, without a YAML library.

AWS CLI v2 dumps with ruamel.yaml's safe dumper in block style; this emitter writes what
that dumper writes for the JSON-like values a listing holds (see the assumptions in
tests/test_cli_output_yaml.py): mapping keys sorted, sequences not indented under their
key (``- `` at the key's column), ``{}``/``[]`` for empty containers, strings plain when
they read back as the same string, otherwise single-quoted (double-quoted when they hold
line breaks or control characters), plain and single-quoted strings folded at spaces past
column 80. ``yaml`` prints the whole result; ``yaml-stream`` prints each page as an item
of a top-level sequence as it arrives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import Any, TextIO

from ssm_sessions.cli.model import full_result

__all__ = ["YamlOutput", "dump_yaml"]

_WIDTH = 80
_INDENT = 2
# Plain scalars that would read back as something other than a string (YAML 1.2 core
# schema as ruamel resolves it, plus its 1.1-style timestamps).
_IMPLICIT = re.compile(
    r"""^(?:
        ~|null|Null|NULL
      | true|True|TRUE|false|False|FALSE
      | [-+]?[0-9_]+ | 0o[0-7_]+ | 0x[0-9a-fA-F_]+
      | [-+]?(?:\.[0-9_]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
          (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?
      | <<
    )$""",
    re.VERBOSE,
)
_LEADING_INDICATORS = set("#,[]{}&*!|>'\"%@`")
_FLOW_SENSITIVE = set(",[]{}")


def _is_printable(text: str) -> bool:
    return all(ch == "\t" or (ch >= " " and ch != "\x7f" and ch not in "\ufeff") for ch in text)


def _plain_allowed(text: str) -> bool:
    if not text or text != text.strip(" ") or _IMPLICIT.match(text):
        return False
    if text[0] in _LEADING_INDICATORS or "\n" in text or "\t" in text:
        return False
    if text[0] in "-?:" and (len(text) == 1 or text[1] == " "):
        return False
    if text.startswith(("---", "...")):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    return _is_printable(text)


def _double_quoted(text: str) -> str:
    escapes = {"\n": "\\n", "\t": "\\t", '"': '\\"', "\\": "\\\\", "\r": "\\r", "\0": "\\0"}
    out = []
    for ch in text:
        if ch in escapes:
            out.append(escapes[ch])
        elif ch < " " or ch == "\x7f":
            out.append(f"\\x{ord(ch):02X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _fold(words: str, column: int, indent: int) -> str:
    """Break at single spaces once past the width, as the emitter does."""
    pieces = words.split(" ")
    out = [pieces[0]]
    column += len(pieces[0])
    for previous, piece in pairwise(pieces):
        if column > _WIDTH and previous != "" and piece != "":
            out.append("\n" + " " * indent + piece)
            column = indent + len(piece)
        else:
            out.append(" " + piece)
            column += 1 + len(piece)
    return "".join(out)


def _scalar(value: Any, column: int, indent: int) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        return repr(value).lower()
    if isinstance(value, int):
        return str(value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if _plain_allowed(text):
        return _fold(text, column, indent)
    if "\n" in text or not _is_printable(text.replace("\t", " ")):
        return _double_quoted(text)
    return "'" + _fold(text.replace("'", "''"), column + 1, indent) + "'"


def _is_empty_container(value: Any) -> bool:
    return isinstance(value, (dict, list)) and not value


def _emit(value: Any, indent: int, lines: list[str], prefix: str) -> None:
    """Append ``value`` as block YAML; ``prefix`` starts its first line."""
    if isinstance(value, dict) and value:
        first = True
        for key in sorted(value):
            head = prefix if first else " " * indent
            first = False
            key_text = _scalar(str(key), len(head), indent + _INDENT)
            item = value[key]
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{head}{key_text}:")
                child_indent = indent if isinstance(item, list) else indent + _INDENT
                _emit(item, child_indent, lines, " " * child_indent)
            else:
                start = f"{head}{key_text}: "
                lines.append(start + _inline(item, len(start), indent + _INDENT))
        return
    if isinstance(value, list) and value:
        first = True
        for item in value:
            head = prefix if first else " " * indent
            first = False
            _emit(item, indent + _INDENT, lines, head + "- ")
        return
    lines.append(prefix + _inline(value, len(prefix), indent + _INDENT))


def _inline(value: Any, column: int, indent: int) -> str:
    if _is_empty_container(value):
        return "{}" if isinstance(value, dict) else "[]"
    return _scalar(value, column, indent)


def dump_yaml(value: Any, stream: TextIO) -> None:
    """Write ``value`` as one YAML document in AWS CLI v2's style."""
    lines: list[str] = []
    _emit(value, 0, lines, "")
    stream.write("\n".join(lines) + "\n")


class YamlOutput:
    """``--output yaml`` (whole result) or ``yaml-stream`` (page by page)."""

    def __init__(self, stream: TextIO, query: Any = None, streaming: bool = False) -> None:
        self._stream = stream
        self._query = query
        self._streaming = streaming

    def _searched(self, value: Any) -> Any:
        return self._query.search(value) if self._query is not None else value

    def single(self, response: dict[str, Any]) -> None:
        """Print one response (``--no-paginate``, skeletons)."""
        value = self._searched(response)
        if self._streaming:
            dump_yaml([value], self._stream)
        elif value != {}:
            dump_yaml(value, self._stream)

    def paginated(
        self, pages: Iterable[dict[str, Any]], resume_token: Callable[[], str | None]
    ) -> None:
        """Print the listing: whole (yaml) or one sequence item per page (yaml-stream)."""
        if not self._streaming:
            self.single(full_result(pages, resume_token))
            return
        for page in pages:
            dump_yaml([self._searched(page)], self._stream)
            self._stream.flush()
