"""Opaque, caller-bound, tamper-evident cursors over DynamoDB's LastEvaluatedKey."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Annotated, Any

from fastapi import Depends, Query

from app.core.config import get_settings
from app.core.errors import BadRequest

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


def _signature(payload: str, *, owner: str, scope: str) -> str:
    secret = get_settings().cursor_secret.get_secret_value().encode()
    message = f"{scope}\n{owner}\n{payload}".encode()
    return _b64encode(hmac.new(secret, message, hashlib.sha256).digest())


def encode_cursor(last_key: dict[str, Any] | None, *, owner: str, scope: str) -> str | None:
    """Turn a LastEvaluatedKey into a cursor only this owner can use on this list."""
    if not last_key:
        return None
    payload = _b64encode(json.dumps(last_key, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_signature(payload, owner=owner, scope=scope)}"


def decode_cursor(cursor: str | None, *, owner: str, scope: str) -> dict[str, Any] | None:
    """Turn a cursor back into an ExclusiveStartKey, or raise 400 if it is not this owner's."""
    if not cursor:
        return None
    payload, _, signature = cursor.partition(".")
    expected = _signature(payload, owner=owner, scope=scope)
    if not signature or not hmac.compare_digest(signature, expected):
        raise BadRequest("Invalid cursor.")
    try:
        key = json.loads(_b64decode(payload))
    except (ValueError, binascii.Error) as exc:
        raise BadRequest("Invalid cursor.") from exc
    if not isinstance(key, dict) or not all(isinstance(v, str) for v in key.values()):
        raise BadRequest("Invalid cursor.")
    return key
