"""``--output json``: byte for byte ``json.dump(result, indent=4, ensure_ascii=False)``.

The AWS CLI builds the whole result before printing it. Without ``--query`` this
formatter streams it instead, session by session, writing exactly the same bytes, so
memory stays flat however many sessions there are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from json.encoder import encode_basestring
from typing import Any, TextIO

from ssm_sessions.cli.model import full_result

__all__ = ["JsonOutput", "encode"]

_INDENT = "    "
_FLUSH_EVERY = 1 << 16


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return str(encode_basestring(value))
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return json.dumps(value)
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError("Encountered unrecognized type in JSON encoder.")


def encode(value: Any, level: int = 0) -> str:
    """Encode like ``json.dumps(value, indent=4, ensure_ascii=False)`` at nesting ``level``."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + _INDENT * (level + 1)
        items = (f"{encode_basestring(str(k))}: {encode(v, level + 1)}" for k, v in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + _INDENT * level + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = "\n" + _INDENT * (level + 1)
        return (
            "["
            + inner
            + ("," + inner).join(encode(v, level + 1) for v in value)
            + "\n"
            + _INDENT * level
            + "]"
        )
    return _scalar(value)


class JsonOutput:
    """Prints a listing as the AWS CLI's json output does."""

    def __init__(self, stream: TextIO, query: Any = None) -> None:
        self._stream = stream
        self._query = query

    def _dump(self, result: Any) -> None:
        if self._query is not None:
            result = self._query.search(result)
        if result != {}:
            self._stream.write(encode(result) + "\n")

    def single(self, response: dict[str, Any]) -> None:
        """Print one response (``--no-paginate``, skeletons)."""
        self._dump(response)

    def paginated(
        self, pages: Iterable[dict[str, Any]], resume_token: Callable[[], str | None]
    ) -> None:
        """Print the whole listing: pages of ``{"Sessions": [...]}`` then the resume token."""
        if self._query is not None:
            self._dump(full_result(pages, resume_token))
            return
        write = self._stream.write
        pending: list[str] = []
        size = 0
        opened = False
        count = 0
        for page in pages:
            sessions = page.get("Sessions")
            if sessions is None:
                continue
            if not opened:
                pending.append('{\n    "Sessions": [')
                opened = True
            for session in sessions:
                chunk = ("," if count else "") + "\n        " + encode(session, 2)
                pending.append(chunk)
                size += len(chunk)
                count += 1
            if size >= _FLUSH_EVERY:
                write("".join(pending))
                pending.clear()
                size = 0
        token = resume_token()
        if opened:
            pending.append("\n    ]" if count else "]")
        if token is not None:
            pending.append(("," if opened else "{") + '\n    "NextToken": ' + _scalar(token))
        if opened or token is not None:
            pending.append("\n}\n")
        write("".join(pending))
