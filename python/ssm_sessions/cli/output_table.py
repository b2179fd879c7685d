"""``--output table``: the AWS CLI's bordered tables, to the byte.

The result is laid out as sections (a title, optional column headers, rows), nested
structures and lists in sections of their own, indented by one ``|`` per level. All
sections share one width: the widest section's natural width, or, when that exceeds
the terminal (80 columns when stdout is not a terminal), the single-row sections turn
vertical (one ``header | value`` row per column). Column widths are scaled to the
section width. Colour (``--color on``, or ``auto`` on a terminal) paints values blue and
the indentation bars yellow.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from ssm_sessions.cli.model import full_result

__all__ = ["TableOutput", "render_table"]

_PADDING = 4
_BLUE_BRIGHT = "\x1b[1m\x1b[34m"
_YELLOW_DIM = "\x1b[2m\x1b[33m"
_RESET = "\x1b[0m"


def text_width(text: Any) -> int:
    """Display width: wide, full-width and ambiguous characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in str(text))


@dataclass
class _Section:
    title: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    indent: int = 0
    widths: list[int] = field(default_factory=list)

    def _grow(self, cells: list[str]) -> None:
        if not self.widths:
            self.widths = [text_width(cell) for cell in cells]
        else:
            for index, cell in enumerate(cells):
                self.widths[index] = max(self.widths[index], text_width(cell))

    def set_headers(self, headers: list[str]) -> None:
        self._grow(headers)
        self.headers = headers

    def add_row(self, row: list[Any]) -> None:
        cells = [str(cell) for cell in row]
        self.rows.append(cells)
        self._grow(cells)

    def natural_width(self) -> int:
        columns = sum(width + _PADDING for width in self.widths) + 2 + 2 * self.indent
        return max(text_width(self.title) + 2 + 2 * self.indent, columns)

    def column_widths(self, total: int) -> list[int]:
        """Padded column widths scaled to add up to ``total``, as the AWS CLI rounds them."""
        natural = [width + _PADDING for width in self.widths]
        if not natural:
            return natural
        scale = total / float(sum(natural))
        scaled = [round(scale * width) for width in natural]
        excess = sum(scaled) - total
        while excess != 0:
            order = range(len(scaled)) if excess > 0 else reversed(range(len(scaled)))
            for index in order:
                if excess > 0:
                    scaled[index] -= 1
                    excess -= 1
                else:
                    scaled[index] += 1
                    excess += 1
                if excess == 0:
                    break
        return scaled


def _vertical(section: _Section) -> _Section:
    if len(section.rows) != 1 or not section.headers:
        return section
    turned = _Section(title=section.title, indent=section.indent)
    for header, value in zip(section.headers, section.rows[0], strict=False):
        turned.add_row([header, value])
    return turned


def _centered(text: str, length: int, text_length: int, left: str = "|") -> str:
    start = length // 2 - text_length // 2 - 1
    used = len(left) + start + text_length
    return left + " " * start + text + " " * (length - 1 - used) + "|"


def _left_aligned(text: str, length: int, text_length: int, left: str) -> str:
    padding = 2 if length - (text_length + 2 + len(left) + 1) >= 0 else 0
    used = len(left) + padding + text_length
    return left + " " * padding + text + " " * (length - used - 1) + "|"


class _Renderer:
    def __init__(self, stream: TextIO, color: bool) -> None:
        self.stream = stream
        self.color = color

    def value(self, text: str) -> str:
        return _BLUE_BRIGHT + text + _RESET if self.color else text

    def write(self, text: str) -> None:
        """Write; with colour, every write is followed by a reset, as colorama's
        ``autoreset`` wrapper around the AWS CLI's stdout does."""
        self.stream.write(text + _RESET if self.color else text)

    def line(self, text: str, indent: int) -> None:
        bar = _YELLOW_DIM + "|" + _RESET if self.color else "|"
        if not self.color:
            self.stream.write(bar * indent + text + bar * indent + "\n")
            return
        for part in (bar * indent, text, bar * indent, "\n"):
            self.write(part)

    def border(self, widths: list[int], indent: int) -> None:
        parts = ["+" + "-" * (widths[0] - 2) + "+"] + ["-" * (w - 1) + "+" for w in widths[1:]]
        self.line("".join(parts), indent)

    def section(self, section: _Section, total: int) -> None:
        width = total - 2 * section.indent
        indent = section.indent
        if section.title:
            self.line(_centered(section.title, width, text_width(section.title)), indent)
            if not section.headers and not section.rows:
                self.line("+" + "-" * (width - 2) + "+", indent)
        if section.headers:
            widths = section.column_widths(width)
            cells = [
                _centered(header, w, text_width(header), "|" if i == 0 else "")
                for i, (w, header) in enumerate(zip(widths, section.headers, strict=False))
            ]
            self.border(widths, indent)
            self.line("".join(cells), indent)
        if section.rows:
            widths = section.column_widths(width)
            if not widths:
                return
            self.border(widths, indent)
            for row in section.rows:
                cells = [
                    _left_aligned(self.value(cell), w, text_width(cell), "|" if i == 0 else "")
                    for i, (w, cell) in enumerate(zip(widths, row, strict=False))
                ]
                self.line("".join(cells), indent)
            self.border(widths, indent)


class _Builder:
    """Lays a result out in sections, as the AWS CLI's table formatter does."""

    def __init__(self) -> None:
        self.sections: list[_Section] = []

    def new_section(self, title: str, indent: int) -> None:
        self.sections.append(_Section(title=title, indent=indent))

    @property
    def current(self) -> _Section:
        return self.sections[-1]

    def build(self, title: str | None, value: Any, indent: int = 0) -> bool:
        if not value:
            return False
        if title is not None:
            self.new_section(title, indent)
        if isinstance(value, list):
            if isinstance(value[0], dict):
                self.from_list(value, indent, title)
            else:
                for item in value:
                    if not _is_container(item):
                        self.current.add_row([item])
                    elif all(not _is_container(element) for element in item):
                        self.current.add_row(list(item))
                    else:
                        self.build(None, item)
        if isinstance(value, dict):
            self.from_dict(value, indent)
        return True

    def from_dict(self, value: dict[str, Any], indent: int) -> None:
        scalars, nested = _split_keys(value)
        if len(scalars) == 1:
            self.current.add_row([scalars[0], value[scalars[0]]])
        elif scalars:
            self.current.set_headers(scalars)
            self.current.add_row([value[key] for key in scalars])
        for key in nested:
            self.build(key, value[key], indent + 1)

    def from_list(self, items: list[dict[str, Any]], indent: int, title: str | None) -> None:
        scalar_set: set[str] = set()
        nested_set: set[str] = set()
        for item in items:
            scalars, nested = _split_keys(item)
            scalar_set.update(scalars)
            nested_set.update(nested)
        headers, nested_keys = sorted(scalar_set), sorted(nested_set)
        self.current.set_headers(headers)
        for position, item in enumerate(items):
            if position and nested_keys:
                self.new_section(title or "", indent)
                self.current.set_headers(headers)
            self.current.add_row([item.get(header, "") for header in headers])
            for key in nested_keys:
                if key in item:
                    self.build(key, item[key], indent + 1)


def _is_container(value: Any) -> bool:
    return isinstance(value, (list, dict))


def _split_keys(value: dict[str, Any]) -> tuple[list[str], list[str]]:
    scalars = sorted(key for key in value if not _is_container(value[key]))
    nested = sorted(key for key in value if _is_container(value[key]))
    return scalars, nested


def _terminal_width(stream: TextIO) -> int:
    try:
        import fcntl
        import struct
        import termios

        packed = fcntl.ioctl(stream, termios.TIOCGWINSZ, b"\0" * 8)
        return int(struct.unpack("hhhh", packed)[1])
    except Exception:
        return 80


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except Exception:
        return False


def render_table(title: str, value: Any, stream: TextIO, color: str) -> None:
    """Write ``value`` as the AWS CLI's table titled ``title`` (``color``: on/off/auto)."""
    builder = _Builder()
    if not builder.build(title, value):
        return
    sections = builder.sections
    total = max(section.natural_width() for section in sections)
    if total > _terminal_width(stream):
        sections = [_vertical(section) for section in sections]
        total = max(section.natural_width() for section in sections)
    use_color = color == "on" or (color == "auto" and _is_tty(stream))
    renderer = _Renderer(stream, use_color)
    renderer.write("-" * total + "\n")
    for section in sections:
        renderer.section(section, total)


class TableOutput:
    """Prints a listing as the AWS CLI's table output does (the whole result at once)."""

    def __init__(self, stream: TextIO, query: Any = None, color: str = "auto") -> None:
        self._stream = stream
        self._query = query
        self._color = color

    def single(self, response: Any) -> None:
        """Print one response (``--no-paginate``, skeletons)."""
        if self._query is not None:
            response = self._query.search(response)
        render_table("DescribeSessions", response, self._stream, self._color)

    def paginated(
        self, pages: Iterable[dict[str, Any]], resume_token: Callable[[], str | None]
    ) -> None:
        """Print the whole listing as one table."""
        self.single(full_result(pages, resume_token))
