"""Argument values loaded from files or URLs (``file://``, ``fileb://``, ``http(s)://``)."""

from __future__ import annotations

import os

__all__ = ["ParamFileError", "load_local", "load_param"]


class ParamFileError(Exception):
    """A referenced file or URL could not be read; the message is the AWS CLI's."""


def _read_file(prefix: str, value: str, binary: bool) -> str | bytes:
    path = os.path.expandvars(os.path.expanduser(value[len(prefix) :]))
    try:
        if binary:
            with open(path, "rb") as handle:
                return handle.read()
        with open(path) as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise ParamFileError(
            f"Unable to load paramfile ({path}), text contents could not be decoded.  "
            "If this is a binary file, please use the fileb:// prefix instead of the "
            "file:// prefix."
        ) from None
    except OSError as error:
        raise ParamFileError(f"Unable to load paramfile {value}: {error}") from None


def _read_url(value: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(value) as response:
            if response.status != 200:
                raise ParamFileError(f"received non 200 status code of {response.status}")
            charset = response.headers.get_content_charset() or "utf-8"
            data: bytes = response.read()
            return data.decode(charset)
    except Exception as error:
        raise ParamFileError(f"Unable to retrieve {value}: {error}") from None


def load_local(value: object) -> str | bytes | None:
    """Load ``file://`` / ``fileb://`` values; None when ``value`` is not such a reference."""
    if not isinstance(value, str):
        return None
    if value.startswith("file://"):
        return _read_file("file://", value, binary=False)
    if value.startswith("fileb://"):
        return _read_file("fileb://", value, binary=True)
    return None


def load_param(value: object) -> str | bytes | None:
    """Load a parameter value from a file or URL reference, as every ``aws`` option allows.

    Returns None when ``value`` refers to nothing; raises :class:`ParamFileError`.
    """
    local = load_local(value)
    if local is not None:
        return local
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return _read_url(value)
    return None
