"""Object keys built by the server, and client file names reduced to safe metadata."""

from __future__ import annotations

import re
import unicodedata

from app.assets.schemas import MAX_FILE_NAME_LENGTH

DEFAULT_FILE_NAME = "file"
_MAX_EXTENSION_LENGTH = 16
_KEY = re.compile(r"^users/(?P<owner>[A-Za-z0-9-]{1,64})/assets/(?P<asset>[A-Za-z0-9-]{1,64})$")


def object_key(owner_id: str, asset_id: str) -> str:
    """Return the S3 key of an asset; nothing the client sent is part of it."""
    return f"users/{owner_id}/assets/{asset_id}"


def parse_object_key(key: str) -> tuple[str, str] | None:
    """Return (owner id, asset id) for an asset key, or None for any other key."""
    match = _KEY.fullmatch(key)
    return (match.group("owner"), match.group("asset")) if match else None


def _trim(name: str) -> str:
    start, end = 0, len(name)
    while start < end and (name[start] == "." or name[start].isspace()):
        start += 1
    # Trailing dots and spaces are dropped by Windows and hide a name's real extension.
    while end > start and (name[end - 1] == "." or name[end - 1].isspace()):
        end -= 1
    return name[start:end]


def _shorten(name: str) -> str:
    if len(name) <= MAX_FILE_NAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and len(extension) <= _MAX_EXTENSION_LENGTH:
        return _trim(stem[: MAX_FILE_NAME_LENGTH - len(extension) - 1]) + "." + extension
    return _trim(name[:MAX_FILE_NAME_LENGTH])


def sanitise_file_name(raw: str) -> str:
    """Reduce a client's file name to a bounded base name without paths or control characters."""
    name = unicodedata.normalize("NFC", raw)
    # Category C: controls (NUL, newlines, DEL), format marks (bidi overrides), surrogates.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = re.split(r"[/\\]", name)[-1]
    name = _shorten(_trim(name))
    return name or DEFAULT_FILE_NAME
