"""Owner-scoped, versioned DynamoDB access shared by every repository."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.core.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from app.core.schemas import isoformat, utc_now

if TYPE_CHECKING:
    # boto3.dynamodb.conditions imports all of boto3; it is loaded where a condition is built.
    from boto3.dynamodb.conditions import ConditionBase
    from mypy_boto3_dynamodb.service_resource import Table

VERSION = "version"
OWNER = "ownerId"


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


def get_owned(
    table: Table,
    key: dict[str, str],
    *,
    owner: str,
    owner_attribute: str = OWNER,
    ttl_attribute: str | None = None,
    consistent_read: bool = False,
) -> dict[str, Any] | None:
    """Return the item if it exists, belongs to the owner and has not expired.

    consistent_read=True reads the latest write, e.g. a GET right after the create.
    """
    item = table.get_item(Key=key, ConsistentRead=consistent_read).get("Item")
    if item is None or item.get(owner_attribute) != owner or is_expired(item, ttl_attribute):
        return None
    return plain_item(item)


def put_new(table: Table, item: dict[str, Any], *, key_attribute: str) -> None:
    """Put an item that must not exist yet; raise Conflict if it does."""
    from boto3.dynamodb.conditions import Attr

    try:
        table.put_item(Item=to_dynamo(item), ConditionExpression=Attr(key_attribute).not_exists())
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise Conflict("Already exists.") from exc
        raise


def versioned_update(
    table: Table,
    key: dict[str, str],
    *,
    owner: str,
    expected_version: int,
    changes: Mapping[str, Any],
    removals: tuple[str, ...] = (),
    owner_attribute: str = OWNER,
    extra_condition: ConditionBase | None = None,
) -> dict[str, Any]:
    """Apply changes if the item is the owner's and at the expected version; return the new item.

    Raises NotFound when the item is missing or not the owner's, VersionConflict when stale.
    """
    values: dict[str, Any] = {":one": 1, ":now": isoformat(utc_now())}
    names: dict[str, str] = {"#version": VERSION, "#updatedAt": "updatedAt"}
    sets = ["#version = #version + :one", "#updatedAt = :now"]
    # boto3 names the condition's placeholders #n0 and :v0...; ours must never look like those,
    # or boto3 silently overwrites our values with the condition's.
    for index, (name, value) in enumerate(changes.items()):
        names[f"#set{index}"] = name
        values[f":set{index}"] = to_dynamo(value)
        sets.append(f"#set{index} = :set{index}")
    expression = "SET " + ", ".join(sets)
    if removals:
        for index, name in enumerate(removals):
            names[f"#r{index}"] = name
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removals)))
    from boto3.dynamodb.conditions import Attr

    condition = Attr(owner_attribute).eq(owner) & Attr(VERSION).eq(expected_version)
    if extra_condition is not None:
        condition = condition & extra_condition
    try:
        response = table.update_item(
            Key=key,
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise _condition_error(exc, owner=owner, owner_attribute=owner_attribute) from exc
        raise
    return plain_item(response["Attributes"])


def delete_owned(
    table: Table, key: dict[str, str], *, owner: str, owner_attribute: str = OWNER
) -> dict[str, Any]:
    """Delete the item if it is the owner's and return it; raise NotFound otherwise."""
    from boto3.dynamodb.conditions import Attr

    try:
        response = table.delete_item(
            Key=key,
            ConditionExpression=Attr(owner_attribute).eq(owner),
            ReturnValues="ALL_OLD",
        )
    except ClientError as exc:
        if is_conditional_failure(exc):
            raise NotFound() from exc
        raise
    return plain_item(response.get("Attributes", {}))


def _condition_error(exc: ClientError, *, owner: str, owner_attribute: str) -> Exception:
    old: Any = exc.response.get("Item") or {}
    if not old or old.get(owner_attribute, {}).get("S") != owner:
        return NotFound()
    return VersionConflict(details=[{"currentVersion": int(old.get(VERSION, {}).get("N", "0"))}])


@dataclass(frozen=True)
class QueryPage:
    """Raw items of one page and the key to continue from."""

    items: list[dict[str, Any]]
    last_key: dict[str, Any] | None


def query_page(
    table: Table,
    *,
    hash_key: str,
    hash_value: str,
    index: str | None = None,
    limit: int,
    start_key: dict[str, Any] | None = None,
    newest_first: bool = True,
    range_prefix: tuple[str, str] | None = None,
    filter_condition: ConditionBase | None = None,
) -> QueryPage:
    """Run one Query with a Limit (never a Scan) and return its page.

    filter_condition is applied by DynamoDB after the Limit, so it is for defence in depth
    (e.g. ownerId) rather than for selecting a subset, which would leave pages short.
    """
    from boto3.dynamodb.conditions import Key

    condition: ConditionBase = Key(hash_key).eq(hash_value)
    if range_prefix is not None:
        condition = condition & Key(range_prefix[0]).begins_with(range_prefix[1])
    kwargs: dict[str, Any] = {
        "KeyConditionExpression": condition,
        "Limit": limit,
        "ScanIndexForward": not newest_first,
    }
    if filter_condition is not None:
        kwargs["FilterExpression"] = filter_condition
    if index:
        kwargs["IndexName"] = index
    if start_key:
        kwargs["ExclusiveStartKey"] = start_key
    response = table.query(**kwargs)
    return QueryPage(
        items=[plain_item(item) for item in response.get("Items", [])],
        last_key=response.get("LastEvaluatedKey"),
    )
