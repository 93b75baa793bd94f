"""Opaque, caller-bound, tamper-evident cursors over DynamoDB's LastEvaluatedKey.

The HMAC key is the cursor secret in Secrets Manager: its AWSCURRENT version signs, and cursors
signed with AWSPREVIOUS still verify, so a rotation does not break the lists clients are paging.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Annotated, Any

from fastapi import Depends, Query

from app.core import secrets
from app.core.config import get_settings
from app.core.errors import BadRequest, ServiceUnavailable

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_CURSOR_LENGTH = 2048


class PageParams:
    """The ?limit= and ?cursor= of a list route."""

    def __init__(
        self,
        limit: Annotated[
            int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")
        ] = DEFAULT_LIMIT,
        cursor: Annotated[
            str | None,
            Query(max_length=MAX_CURSOR_LENGTH, description="nextCursor of the previous page."),
        ] = None,
    ) -> None:
        self.limit = limit
        self.cursor = cursor


PageQuery = Annotated[PageParams, Depends()]


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, *, owner: str, scope: str, key: str) -> str:
    message = f"{scope}\n{owner}\n{payload}".encode()
    return _b64encode(hmac.new(key.encode(), message, hashlib.sha256).digest())


def _current_key() -> str:
    try:
        return secrets.read(get_settings().cursor_secret_arn)
    except secrets.SecretUnavailable as exc:
        raise ServiceUnavailable("Pagination is unavailable; retry shortly.") from exc


def _previous_key() -> str | None:
    try:
        return secrets.read_optional(get_settings().cursor_secret_arn, stage=secrets.PREVIOUS)
    except secrets.SecretUnavailable:
        return None  # the current key alone still verifies every cursor issued since rotation


def _is_signed(payload: str, signature: str, *, owner: str, scope: str) -> bool:
    if hmac.compare_digest(
        signature, _signature(payload, owner=owner, scope=scope, key=_current_key())
    ):
        return True
    previous = _previous_key()  # read only for a cursor the current key did not sign
    return previous is not None and hmac.compare_digest(
        signature, _signature(payload, owner=owner, scope=scope, key=previous)
    )


def encode_cursor(last_key: dict[str, Any] | None, *, owner: str, scope: str) -> str | None:
    """Turn a LastEvaluatedKey into a cursor only this owner can use on this list."""
    if not last_key:
        return None
    payload = _b64encode(json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_signature(payload, owner=owner, scope=scope, key=_current_key())}"


def decode_cursor(cursor: str | None, *, owner: str, scope: str) -> dict[str, Any] | None:
    """Turn a cursor back into an ExclusiveStartKey, or raise 400 if it is not this owner's."""
    if not cursor:
        return None
    payload, _, signature = cursor.partition(".")
    if not signature or not _is_signed(payload, signature, owner=owner, scope=scope):
        raise BadRequest("Invalid cursor.")
    try:
        key = json.loads(_b64decode(payload))
    except (ValueError, binascii.Error) as exc:
        raise BadRequest("Invalid cursor.") from exc
    if not isinstance(key, dict) or not all(isinstance(v, str) for v in key.values()):
        raise BadRequest("Invalid cursor.")
    return key
