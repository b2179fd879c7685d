"""The AWS CLI's shorthand syntax (``key=Owner,value=arn:...``), parsed the same way.

Grammar, as the AWS CLI v1 accepts it::

    parameter  := keyval ("," keyval)*
    keyval     := key ["@"] "=" values          ("@=" loads file:// values)
    values     := <end> | "[" list "]" | "{" hash "}" | csv
    csv        := first ("," second)*            (a list when more than one)

Bare words may contain ``\\,`` for a literal comma; quoted words use ``'...'`` or
``"..."`` with backslash escapes. Errors carry the AWS CLI's wording and a caret under
the offending position.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from typing import Any

__all__ = ["ShorthandError", "parse_shorthand"]

_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "-_.#/:")
_WHITESPACE = frozenset(string.whitespace)
_ESCAPED_COMMA = r"\\,"
# Characters a bare word may start with / continue with. The first word of a value stops
# at "," "]" "}" and quotes; later comma-separated words stop at "," "=" and quotes.
_START = r"!#-&(-+\--<>-Z\\-z|-\uffff"
_FIRST_FOLLOW = r"\s!#-&(-+\--\\^-|~-\uffff"
_SECOND_FOLLOW = r"\s!#-&(-+\--<>-\uffff"
_SOURCES = {
    "first": (f"(?:{_ESCAPED_COMMA}|[{_START}])(?:{_ESCAPED_COMMA}|[{_FIRST_FOLLOW}])*"),
    "second": (f"(?:{_ESCAPED_COMMA}|[{_START}])(?:{_ESCAPED_COMMA}|[{_SECOND_FOLLOW}])*"),
    "singled quoted": r"'(?:\\'|[^'])*'",
    "double quoted": r'"(?:\\"|[^"])*"',
}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(name: str) -> re.Pattern[str]:
    """Compiled on first use: the wide character classes cost ~10 ms to compile."""
    if name not in _PATTERNS:
        _PATTERNS[name] = re.compile(_SOURCES[name])
    return _PATTERNS[name]


class ShorthandError(ValueError):
    """The value is not valid shorthand; the message is the AWS CLI's."""


def _error_location(value: str, index: int) -> str:
    before = value[:index]
    spaces = index - before.rindex("\n") - 1 if "\n" in before else index
    newline = value.find("\n", index)
    consumed, remaining = (value, "") if newline < 0 else (value[:newline], value[newline:])
    return f"{consumed}\n{' ' * spaces}^{remaining}"


def _syntax_error(value: str, expected: str, actual: str, index: int) -> ShorthandError:
    location = _error_location(value, index)
    return ShorthandError(f"Expected: '{expected}', received: '{actual}' for input:\n{location}")


class _Parser:
    """A recursive-descent parser over one shorthand string."""

    def __init__(self, text: str, load_file: Callable[[str], str | None]) -> None:
        self.text = text
        self.pos = 0
        self.load_file = load_file
        self.resolve_files = False

    # -- low level --------------------------------------------------------------------
    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def current(self) -> str | None:
        return None if self.at_end() else self.text[self.pos]

    def skip_whitespace(self) -> None:
        while not self.at_end() and self.text[self.pos] in _WHITESPACE:
            self.pos += 1

    def expect(self, char: str, skip_whitespace: bool = False) -> None:
        if skip_whitespace:
            self.skip_whitespace()
        if self.at_end():
            raise _syntax_error(self.text, char, "EOF", self.pos)
        if self.text[self.pos] != char:
            raise _syntax_error(self.text, char, self.text[self.pos], self.pos)
        self.pos += 1
        if skip_whitespace:
            self.skip_whitespace()

    def match(self, name: str, required: bool) -> str | None:
        found = _pattern(name).match(self.text, self.pos)
        if found is None:
            if required:
                raise _syntax_error(self.text, f"<{name}>", "<none>", self.pos)
            return None
        self.pos = found.end()
        return found.group()

    def backtrack_to(self, char: str) -> None:
        while self.pos >= 0 and self.text[self.pos] != char:
            self.pos -= 1

    def resolved(self, word: str) -> str:
        if self.resolve_files:
            loaded = self.load_file(word)
            if loaded is not None:
                return loaded
        return word

    # -- grammar ----------------------------------------------------------------------
    def parameter(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        key, val = self.keyval()
        params[key] = val
        last = self.pos
        while not self.at_end():
            self.expect(",", skip_whitespace=True)
            key, val = self.keyval()
            if key in params:
                location = _error_location(self.text, last + 1)
                raise ShorthandError(
                    f'Second instance of key "{key}" encountered for input:\n{location}\n'
                    'This is often because there is a preceding "," instead of a space.'
                )
            params[key] = val
            last = self.pos
        return params

    def key_and_equals(self) -> str:
        start = self.pos
        while not self.at_end() and self.text[self.pos] in _KEY_CHARS:
            self.pos += 1
        key = self.text[start : self.pos]
        self.resolve_files = False
        try:
            self.expect("@", skip_whitespace=True)
            self.resolve_files = True
        except ShorthandError:
            pass
        self.expect("=", skip_whitespace=True)
        return key

    def keyval(self) -> tuple[str, Any]:
        key = self.key_and_equals()
        if self.at_end():
            return key, ""
        if self.current() == "[":
            return key, self.explicit_list()
        if self.current() == "{":
            return key, self.hash_literal()
        return key, self.csv_value()

    def csv_value(self) -> Any:
        first = self.first_value()
        self.skip_whitespace()
        if self.at_end() or self.text[self.pos] != ",":
            return first
        self.expect(",", skip_whitespace=True)
        words = [first]
        while True:
            try:
                word = self.second_value()
                self.skip_whitespace()
                if self.at_end():
                    words.append(word)
                    break
                self.expect(",", skip_whitespace=True)
                words.append(word)
            except ShorthandError:
                if self.at_end():
                    raise
                self.backtrack_to(",")
                break
        return first if len(words) == 1 else words

    def explicit_list(self) -> list[Any]:
        self.expect("[", skip_whitespace=True)
        values = []
        while self.current() != "]":
            values.append(self.explicit_value())
            self.skip_whitespace()
            if self.current() != "]":
                self.expect(",")
                self.skip_whitespace()
        self.expect("]")
        return values

    def explicit_value(self) -> Any:
        if self.current() == "[":
            return self.explicit_list()
        if self.current() == "{":
            return self.hash_literal()
        return self.first_value()

    def hash_literal(self) -> dict[str, Any]:
        self.expect("{", skip_whitespace=True)
        pairs: dict[str, Any] = {}
        while self.current() != "}":
            key = self.key_and_equals()
            value = self.explicit_value()
            self.skip_whitespace()
            if self.current() != "}":
                self.expect(",")
                self.skip_whitespace()
            pairs[key] = value
        self.expect("}")
        return pairs

    def quoted(self) -> str | None:
        quote = self.current()
        if quote not in ("'", '"'):
            return None
        name = "singled quoted" if quote == "'" else "double quoted"
        word = (self.match(name, required=True) or "")[1:-1]
        word = word.replace("\\" + quote, quote).replace("\\\\", "\\")
        return self.resolved(word)

    def first_value(self) -> str:
        quoted = self.quoted()
        if quoted is not None:
            return quoted
        word = self.match("first", required=False)
        if word is None:
            return ""
        return self.resolved(word.replace("\\,", ",").rstrip())

    def second_value(self) -> str:
        quoted = self.quoted()
        if quoted is not None:
            return quoted
        word = self.match("second", required=True) or ""
        return self.resolved(word.replace("\\,", ",").rstrip())


def parse_shorthand(text: str, load_file: Callable[[str], str | None]) -> dict[str, Any]:
    """Parse one shorthand value into a dict, as the AWS CLI does.

    ``load_file`` resolves ``key@=file://path`` values (returning None when the value is
    not a file reference). Raises :class:`ShorthandError`.
    """
    return _Parser(text, load_file).parameter()
