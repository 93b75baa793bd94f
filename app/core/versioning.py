"""Optimistic locking on the wire: the expected version from the body or If-Match, and ETag."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field

from app.core.errors import ValidationFailed

# Versions start at 1 and go up by one per write; this bound only keeps input sane.
MAX_VERSION = 2**31 - 1
# If-Match carries a strong entity tag: "3", or a bare 3 from clients that skip the quotes.
# A weak tag (W/"3") is refused: If-Match uses strong comparison (RFC 9110 13.1.1), and every
# ETag this API sends is strong, so a weak one can only come from a cache that rewrote it.
_ENTITY_TAG = re.compile(r'^"?([1-9][0-9]{0,9})"?$')

# The `version` field of a PATCH body; declare it as `version: ExpectedVersion | None = None`.
ExpectedVersion = Annotated[
    int,
    Field(ge=1, le=MAX_VERSION, description="The version being updated (or send If-Match)."),
]


def etag(version: int) -> str:
    """Return the ETag header value for a version."""
    return f'"{version}"'


def parse_if_match(value: str) -> int:
    """Return the version an If-Match header names, or raise 422."""
    match = _ENTITY_TAG.match(value.strip())
    version = int(match.group(1)) if match else 0
    if not 1 <= version <= MAX_VERSION:
        raise ValidationFailed(
            'If-Match must be the strong ETag of the version you are updating, e.g. "3".',
            details=[{"loc": ["header", "If-Match"]}],
        )
    return version


def expected_version(*, body_version: int | None, if_match: str | None) -> int:
    """Return the version an update must find, from the body or If-Match (else 422)."""
    header_version = parse_if_match(if_match) if if_match is not None else None
    if body_version is not None:
        if header_version is not None and header_version != body_version:
            raise ValidationFailed(
                "The body version and If-Match disagree.",
                details=[{"loc": ["header", "If-Match"]}, {"loc": ["body", "version"]}],
            )
        return body_version
    if header_version is None:
        raise ValidationFailed(
            "Send the version you are updating, as `version` in the body or as If-Match.",
            details=[{"loc": ["body", "version"], "type": "missing"}],
        )
    return header_version
