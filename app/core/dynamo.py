"""DynamoDB value conversions and error tests shared by the store and core's own tables."""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from app.core.errors import ValidationFailed


def is_conditional_failure(exc: ClientError) -> bool:
    """Return whether a ClientError is a failed condition expression."""
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def is_item_too_large(exc: ClientError) -> bool:
    """Return whether a ClientError is DynamoDB refusing an item over its 400 KB limit."""
    error = exc.response.get("Error", {})
    return error.get("Code") == "ValidationException" and "size" in error.get("Message", "")


def plain(value: Any) -> Any:
    """Convert DynamoDB's Decimals (recursively) to int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def plain_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a stored item's Decimals to int or float."""
    return {key: plain(value) for key, value in item.items()}


# DynamoDB numbers: at most 38 significant digits, magnitude between 1E-130 and 9.99E+125.
_SMALLEST = Decimal("1E-130")
_LARGEST = Decimal("9.9999999999999999999999999999999999999E+125")


def to_dynamo(value: Any) -> Any:
    """Convert floats (recursively) to Decimal so boto3 can store them.

    Floats too small for DynamoDB become 0 (they are 0 at any precision a client can mean);
    floats too large are refused with 422 rather than failing the write with a 500.
    """
    if isinstance(value, float):
        number = Decimal(repr(value))
        if not number.is_finite() or abs(number) > _LARGEST:
            raise ValidationFailed("A number is outside the range that can be stored.")
        return Decimal(0) if abs(number) < _SMALLEST else number
    if isinstance(value, Mapping):
        return {k: to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamo(v) for v in value]
    return value


def is_expired(item: Mapping[str, Any], ttl_attribute: str | None) -> bool:
    """Return whether an item is past its TTL (DynamoDB deletes lazily; moto never does)."""
    if not ttl_attribute or ttl_attribute not in item:
        return False
    return int(item[ttl_attribute]) <= int(time.time())
