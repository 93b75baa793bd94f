"""Low-level DynamoDB transactions: operations built from boto3 conditions, committed with the
outbox messages that announce them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.core import aws
from app.core.config import get_settings
from app.core.dynamo import to_dynamo

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase
    from boto3.dynamodb.types import TypeSerializer

    from app.core.outbox import OutboxMessage

# One entry of TransactWriteItems, in the low-level client's shape.
TransactItem = dict[str, Any]


@lru_cache(maxsize=1)
def _serializer() -> TypeSerializer:
    # boto3.dynamodb imports all of boto3: loaded with the first write, not at cold start.
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer()


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """Convert a plain item (floats included) to DynamoDB's low-level attribute values."""
    serializer = _serializer()
    return {key: serializer.serialize(to_dynamo(value)) for key, value in item.items()}


def table_name(logical_name: str) -> str:
    """Return the physical name of a table, for low-level calls such as transactions."""
    return get_settings().table_name(logical_name)


def build(
    logical_table: str,
    kind: str,
    *,
    Item: Mapping[str, Any] | None = None,  # noqa: N803 - the API's own names
    Key: Mapping[str, Any] | None = None,  # noqa: N803
    Condition: ConditionBase | None = None,  # noqa: N803
    UpdateExpression: str | None = None,  # noqa: N803
    Names: Mapping[str, str] | None = None,  # noqa: N803
    Values: Mapping[str, Any] | None = None,  # noqa: N803
) -> TransactItem:
    """Return one Put, Update or Delete entry for TransactWriteItems."""
    entry: dict[str, Any] = {"TableName": table_name(logical_table)}
    names = dict(Names or {})
    values = dict(Values or {})
    if Item is not None:
        entry["Item"] = serialize(Item)
    if Key is not None:
        entry["Key"] = serialize(Key)
    if UpdateExpression is not None:
        entry["UpdateExpression"] = UpdateExpression
    if Condition is not None:
        from boto3.dynamodb.conditions import ConditionExpressionBuilder

        built = ConditionExpressionBuilder().build_expression(Condition)
        entry["ConditionExpression"] = built.condition_expression
        names |= built.attribute_name_placeholders
        values |= built.attribute_value_placeholders
    if names:
        entry["ExpressionAttributeNames"] = names
    if values:
        entry["ExpressionAttributeValues"] = serialize(values)
    return {kind: entry}


def transact(operations: Sequence[TransactItem], messages: Sequence[OutboxMessage] = ()) -> None:
    """Commit the operations and the messages' outbox items in one DynamoDB transaction."""
    from app.core.outbox import put_operation

    items = [*operations, *(put_operation(message) for message in messages)]
    aws.client("dynamodb").transact_write_items(TransactItems=items)


def cancellation_codes(exc: ClientError) -> list[str]:
    """Return each operation's reason in a cancelled transaction ("None" where it was fine)."""
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return []
    reasons: list[Any] = list(exc.response.get("CancellationReasons", []))
    return [str(reason.get("Code", "None")) for reason in reasons]
