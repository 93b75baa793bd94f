"""One data-access pattern: typed records in and out of DynamoDB, AWS errors translated here.

Shaped after Powertools' idempotency persistence layer: one abstract store (`RecordStore`), one
DynamoDB implementation (`DynamoStore`), and `ClientError` turned into domain errors at this
boundary. Repositories declare a store per table with the conversions between their `*Record`
dataclasses and stored items; they never build expressions or catch `ClientError` themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.core.dynamo import is_conditional_failure, plain_item, to_dynamo
from app.core.errors import Conflict, NotFound, VersionConflict
from app.core.expressions import Changes, update_expression
from app.core.records import Key, Page, R, RecordStore
from app.core.store_base import StoreBase

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

    from app.core.outbox import OutboxMessage


class DynamoStore(StoreBase[R], RecordStore[R]):
    """A RecordStore on one DynamoDB table, converting records with explicit functions."""

    def get(self, key: Key, *, owner: str | None = None, consistent: bool = False) -> R | None:
        """Return the record, or None if it is missing, expired or not the owner's."""
        item = self.table.get_item(Key=dict(key), ConsistentRead=consistent).get("Item")
        if not self._usable(item, owner):
            return None
        return self.from_item(plain_item(item or {}))

    def get_attribute(self, key: Key, attribute: str) -> Any:
        """Return one attribute of an item (a light, consistent read), or None."""
        item = self.table.get_item(
            Key=dict(key),
            ProjectionExpression="#a",
            ExpressionAttributeNames={"#a": attribute},
            ConsistentRead=True,
        ).get("Item")
        return None if item is None else plain_item(item).get(attribute)

    def put_new(self, record: R, *, messages: Sequence[OutboxMessage] = ()) -> None:
        """Store a record whose key must be unused (Conflict otherwise), with outbox messages."""
        if messages:
            self.transact([self.put_new_op(record)], messages)
            return
        from boto3.dynamodb.conditions import Attr

        try:
            self.table.put_item(
                Item=to_dynamo(self.to_item(record)),
                ConditionExpression=Attr(self.spec.hash_key).not_exists(),
            )
        except ClientError as exc:
            if is_conditional_failure(exc):
                raise Conflict("Already exists.") from exc
            raise self._translate(exc, None) from exc

    def replace(
        self,
        record: R,
        *,
        expected_version: int,
        owner: str | None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Overwrite the record if it is the owner's and at the expected version."""
        if messages:
            op = self.replace_op(record, expected_version=expected_version, owner=owner)
            self.transact([op], messages, guard=(self.key_of(record), owner))
            return
        try:
            self.table.put_item(
                Item=to_dynamo(self.to_item(record)),
                ConditionExpression=self._guard(owner, expected_version, None),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            raise self._translate(exc, owner) from exc

    def update(
        self,
        key: Key,
        changes: Changes,
        *,
        owner: str | None,
        expected_version: int | None = None,
        condition: ConditionBase | None = None,
    ) -> R:
        """Apply changes if the record is the owner's (and at the version); return it after."""
        guard = self._guard(owner, expected_version, condition)
        try:
            return self._update_item(key, changes, guard)
        except ClientError as exc:
            raise self._translate(exc, owner) from exc

    def try_update(
        self,
        key: Key,
        changes: Changes,
        *,
        condition: ConditionBase,
        owner: str | None = None,
    ) -> R | None:
        """Apply changes only where a state condition holds; None (nothing written) otherwise."""
        try:
            return self.update(key, changes, owner=owner, condition=condition)
        except (NotFound, VersionConflict):
            return None

    def try_upsert(
        self, key: Key, changes: Changes, *, condition: ConditionBase | None = None
    ) -> R | None:
        """Apply changes, creating the item if it is missing (counters), where the condition
        holds; None (nothing written) otherwise."""
        try:
            return self._update_item(key, changes, condition)
        except ClientError as exc:
            if is_conditional_failure(exc):
                return None
            raise self._translate(exc, None) from exc

    def put(self, record: R) -> None:
        """Store a record, overwriting any at its key (caches, where the last write wins)."""
        try:
            self.table.put_item(Item=to_dynamo(self.to_item(record)))
        except ClientError as exc:
            raise self._translate(exc, None) from exc

    def _update_item(self, key: Key, changes: Changes, condition: ConditionBase | None) -> R:
        expression, names, values = update_expression(changes)
        kwargs: dict[str, Any] = {
            "Key": dict(key),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            kwargs["ExpressionAttributeValues"] = values
        if condition is not None:
            kwargs["ConditionExpression"] = condition
        response = self.table.update_item(**kwargs)
        return self.from_item(plain_item(response["Attributes"]))

    def delete(
        self,
        key: Key,
        *,
        owner: str | None,
        expected_version: int | None = None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Delete the record if it is the owner's (and at the version)."""
        if messages:
            op = self.delete_op(key, owner=owner, expected_version=expected_version)
            self.transact([op], messages, guard=(key, owner))
            return
        try:
            self.table.delete_item(
                Key=dict(key),
                ConditionExpression=self._guard(owner, expected_version, None),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            raise self._translate(exc, owner) from exc

    def query(
        self,
        hash_value: str,
        *,
        index: str | None = None,
        limit: int,
        start_key: dict[str, Any] | None = None,
        newest_first: bool = True,
        range_prefix: str | None = None,
        owner: str | None = None,
        range_from: str | None = None,
        where: ConditionBase | None = None,
        consistent: bool = False,
    ) -> Page[R]:
        """Return one page of a partition (never a Scan), optionally checked against an owner.

        `range_from` keeps sort keys at or above a value (a key condition: only those are read).
        The owner check and `where` are a FilterExpression, applied after the Limit: a page may
        come back short, with the key to continue from; they narrow a partition already chosen
        by the key, they are not a way to find items. `consistent` reads the table strongly
        (not possible on an index).
        """
        from boto3.dynamodb.conditions import Attr
        from boto3.dynamodb.conditions import Key as KeyIs

        if range_prefix is not None and range_from is not None:
            raise ValueError("a Query takes one sort-key condition: range_prefix or range_from")
        hash_key, range_key = self.spec.keys_of(index)
        condition: Any = KeyIs(hash_key).eq(hash_value)
        if range_prefix is not None and range_key is not None:
            condition = condition & KeyIs(range_key).begins_with(range_prefix)
        if range_from is not None and range_key is not None:
            condition = condition & KeyIs(range_key).gte(range_from)
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": condition,
            "Limit": limit,
            "ScanIndexForward": not newest_first,
        }
        narrowing: Any = where
        if owner is not None:
            owned = Attr(self.owner_attribute).eq(owner)
            narrowing = owned if narrowing is None else narrowing & owned
        if narrowing is not None:
            kwargs["FilterExpression"] = narrowing
        if index:
            kwargs["IndexName"] = index
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        if consistent:
            kwargs["ConsistentRead"] = True
        response = self.table.query(**kwargs)
        items = [plain_item(item) for item in response.get("Items", [])]
        return Page(
            items=[self.from_item(item) for item in items if self._usable(item, None)],
            last_key=response.get("LastEvaluatedKey"),
        )

    def delete_partition(self, hash_value: str, *, max_items: int) -> tuple[int, bool]:
        """Delete up to max_items of a partition; return (deleted, whether more remain)."""
        page = self.delete_page(hash_value, limit=max_items)
        return len(page.items), page.last_key is not None

    def delete_page(
        self,
        hash_value: str,
        *,
        limit: int,
        start_key: dict[str, Any] | None = None,
        owner: str | None = None,
        consistent: bool = False,
    ) -> Page[dict[str, Any]]:
        """Delete one page of a partition (only the owner's items, if given); return the keys
        deleted and the key to continue from, None once the partition has been read to its end.

        Resuming from the key rather than from the start means items left alone (another
        owner's) are read once, not on every call.
        """
        from boto3.dynamodb.conditions import Attr
        from boto3.dynamodb.conditions import Key as KeyIs

        hash_key, range_key = self.spec.keys_of(None)
        key_names = [name for name in (hash_key, range_key) if name]
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": KeyIs(hash_key).eq(hash_value),
            "ProjectionExpression": ", ".join(f"#k{i}" for i in range(len(key_names))),
            "ExpressionAttributeNames": {f"#k{i}": name for i, name in enumerate(key_names)},
            "Limit": limit,
            "ConsistentRead": consistent,
        }
        if owner is not None:
            kwargs["FilterExpression"] = Attr(self.owner_attribute).eq(owner)
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        response = self.table.query(**kwargs)
        keys = [{name: item[name] for name in key_names} for item in response.get("Items", [])]
        with self.table.batch_writer() as batch:
            for key in keys:
                batch.delete_item(Key=key)
        return Page(items=keys, last_key=response.get("LastEvaluatedKey"))

    def put_many(self, records: Sequence[R]) -> None:
        """Store records with batched writes, unconditionally: only for freshly minted keys."""
        with self.table.batch_writer() as batch:
            for record in records:
                batch.put_item(Item=to_dynamo(self.to_item(record)))
