"""One data-access pattern: typed records in and out of DynamoDB, AWS errors translated here.

Shaped after Powertools' idempotency persistence layer: one abstract store (`RecordStore`), one
DynamoDB implementation (`DynamoStore`), and `ClientError` turned into domain errors at this
boundary. Repositories declare a store per table with the conversions between their `*Record`
dataclasses and stored items; they never build expressions or catch `ClientError` themselves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botocore.exceptions import ClientError

from app.core import aws
from app.core.dynamo import (
    is_conditional_failure,
    is_expired,
    is_item_too_large,
    plain_item,
    to_dynamo,
)
from app.core.errors import AppError, Conflict, NotFound, VersionConflict
from app.core.schemas import isoformat, utc_now
from app.core.tables import TableSpec
from app.core.transactions import TransactItem, build, cancellation_codes, transact

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase
    from mypy_boto3_dynamodb.service_resource import Table

    from app.core.outbox import OutboxMessage

R = TypeVar("R")
Key = Mapping[str, str]
VERSION = "version"
OWNER = "ownerId"
CONDITION_FAILED = "ConditionalCheckFailed"
ErrorFactory = Callable[[], AppError]


@dataclass(frozen=True)
class Page(Generic[R]):
    """Records of one page and the DynamoDB key to continue from."""

    items: list[R]
    last_key: dict[str, Any] | None


@dataclass(frozen=True)
class Changes:
    """What an update writes: attributes to set, remove and add to (atomic counters).

    Names may be document paths (`phases[2].generated`); each segment gets a placeholder.
    """

    set: Mapping[str, Any] = field(default_factory=dict)
    remove: Sequence[str] = ()
    add: Mapping[str, int | float] = field(default_factory=dict)
    bump_version: bool = True


def condition_error(
    old: Mapping[str, Any] | None,
    *,
    owner: str | None,
    not_found: ErrorFactory = NotFound,
    owner_attribute: str = OWNER,
) -> AppError:
    """Map a failed write condition to NotFound (gone, or not the owner's) or VersionConflict."""
    if not old or (owner is not None and old.get(owner_attribute) != owner):
        return not_found()
    return VersionConflict(details=[{"currentVersion": int(old.get(VERSION, 0))}])


class RecordStore(ABC, Generic[R]):
    """Owner-scoped, versioned storage of one kind of record."""

    @abstractmethod
    def get(self, key: Key, *, owner: str | None = None, consistent: bool = False) -> R | None:
        """Return the record, or None if it is missing, expired or not the owner's."""

    @abstractmethod
    def put_new(self, record: R, *, messages: Sequence[OutboxMessage] = ()) -> None:
        """Store a record whose key must be unused (Conflict otherwise), with outbox messages."""

    @abstractmethod
    def replace(
        self,
        record: R,
        *,
        expected_version: int,
        owner: str | None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Overwrite the record if it is the owner's and at the expected version."""

    @abstractmethod
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

    @abstractmethod
    def delete(
        self,
        key: Key,
        *,
        owner: str | None,
        expected_version: int | None = None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Delete the record if it is the owner's (and at the version)."""

    @abstractmethod
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
    ) -> Page[R]:
        """Return one page of a partition (never a Scan), optionally checked against an owner."""

    @abstractmethod
    def delete_partition(self, hash_value: str, *, max_items: int) -> tuple[int, bool]:
        """Delete up to max_items of a partition; return (deleted, whether more remain)."""


class DynamoStore(RecordStore[R]):
    """A RecordStore on one DynamoDB table, converting records with explicit functions."""

    def __init__(
        self,
        spec: TableSpec,
        *,
        to_item: Callable[[R], dict[str, Any]],
        from_item: Callable[[dict[str, Any]], R],
        not_found: ErrorFactory = NotFound,
        too_large: ErrorFactory | None = None,
        owner_attribute: str = OWNER,
    ) -> None:
        self.spec = spec
        self.to_item = to_item
        self.from_item = from_item
        self.not_found = not_found
        self.too_large = too_large
        self.owner_attribute = owner_attribute

    @property
    def table(self) -> Table:
        """The boto3 Table, built once per process."""
        return aws.table(self.spec.name)

    def _usable(self, item: Mapping[str, Any] | None, owner: str | None) -> bool:
        if item is None or is_expired(item, self.spec.ttl_attribute):
            return False
        return owner is None or item.get(self.owner_attribute) == owner

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
        self.transact([self.put_new_op(record)], messages)

    def replace(
        self,
        record: R,
        *,
        expected_version: int,
        owner: str | None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Overwrite the record if it is the owner's and at the expected version."""
        op = self.replace_op(record, expected_version=expected_version, owner=owner)
        self.transact([op], messages, guard=(self.key_of(record), owner))

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
        expression, names, values = _update_expression(changes)
        guard = self._guard(owner, expected_version, condition)
        kwargs: dict[str, Any] = {
            "Key": dict(key),
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            kwargs["ExpressionAttributeValues"] = values
        if guard is not None:
            kwargs["ConditionExpression"] = guard
        try:
            response = self.table.update_item(**kwargs)
        except ClientError as exc:
            raise self._translate(exc, owner) from exc
        return self.from_item(plain_item(response["Attributes"]))

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

    def delete(
        self,
        key: Key,
        *,
        owner: str | None,
        expected_version: int | None = None,
        messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Delete the record if it is the owner's (and at the version)."""
        op = self.delete_op(key, owner=owner, expected_version=expected_version)
        self.transact([op], messages, guard=(key, owner))

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
    ) -> Page[R]:
        """Return one page of a partition (never a Scan), optionally checked against an owner.

        The owner check is a FilterExpression, applied after the Limit: it is defence in depth
        for partitions that are already one owner's, not a way to select a subset.
        """
        from boto3.dynamodb.conditions import Attr, Key

        hash_key, range_key = self.spec.keys_of(index)
        condition: Any = Key(hash_key).eq(hash_value)
        if range_prefix is not None and range_key is not None:
            condition = condition & Key(range_key).begins_with(range_prefix)
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": condition,
            "Limit": limit,
            "ScanIndexForward": not newest_first,
        }
        if owner is not None:
            kwargs["FilterExpression"] = Attr(self.owner_attribute).eq(owner)
        if index:
            kwargs["IndexName"] = index
        if start_key:
            kwargs["ExclusiveStartKey"] = start_key
        response = self.table.query(**kwargs)
        items = [plain_item(item) for item in response.get("Items", [])]
        return Page(
            items=[self.from_item(item) for item in items if self._usable(item, None)],
            last_key=response.get("LastEvaluatedKey"),
        )

    def delete_partition(self, hash_value: str, *, max_items: int) -> tuple[int, bool]:
        """Delete up to max_items of a partition; return (deleted, whether more remain)."""
        from boto3.dynamodb.conditions import Key

        hash_key, range_key = self.spec.keys_of(None)
        key_names = [name for name in (hash_key, range_key) if name]
        response = self.table.query(
            KeyConditionExpression=Key(hash_key).eq(hash_value),
            ProjectionExpression=", ".join(f"#k{i}" for i in range(len(key_names))),
            ExpressionAttributeNames={f"#k{i}": name for i, name in enumerate(key_names)},
            Limit=max_items,
        )
        items = response.get("Items", [])
        with self.table.batch_writer() as batch:
            for item in items:
                batch.delete_item(Key={name: item[name] for name in key_names})
        return len(items), "LastEvaluatedKey" in response

    # Transaction operations, for writes that must commit together with others.

    def key_of(self, record: R) -> dict[str, str]:
        """Return the primary key of a record."""
        item = self.to_item(record)
        hash_key, range_key = self.spec.keys_of(None)
        return {name: item[name] for name in (hash_key, range_key) if name}

    def put_new_op(self, record: R) -> TransactItem:
        """Return a Put that fails if the key is taken."""
        from boto3.dynamodb.conditions import Attr

        return self._op(
            "Put", Item=self.to_item(record), Condition=Attr(self.spec.hash_key).not_exists()
        )

    def replace_op(self, record: R, *, expected_version: int, owner: str | None) -> TransactItem:
        """Return a Put guarded by owner and version."""
        guard = self._guard(owner, expected_version, None)
        return self._op("Put", Item=self.to_item(record), Condition=guard)

    def delete_op(
        self, key: Key, *, owner: str | None, expected_version: int | None = None
    ) -> TransactItem:
        """Return a Delete guarded by owner (and version)."""
        from boto3.dynamodb.conditions import Attr

        guard = self._guard(owner, expected_version, None) or Attr(self.spec.hash_key).exists()
        return self._op("Delete", Key=dict(key), Condition=guard)

    def update_op(
        self, key: Key, changes: Changes, *, condition: ConditionBase | None = None
    ) -> TransactItem:
        """Return an Update (counters, markers) with an optional condition."""
        expression, names, values = _update_expression(changes)
        return self._op(
            "Update",
            Key=dict(key),
            UpdateExpression=expression,
            Names=names,
            Values=values,
            Condition=condition,
        )

    def transact(
        self,
        operations: Sequence[TransactItem],
        messages: Sequence[OutboxMessage] = (),
        *,
        guard: tuple[Key, str | None] | None = None,
    ) -> None:
        """Commit operations and outbox messages together; the first operation's failed
        condition becomes Conflict (a create), or NotFound / VersionConflict (guard's key)."""
        try:
            transact(operations, messages)
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if not codes or codes[0] != CONDITION_FAILED:
                if is_item_too_large(exc) and self.too_large is not None:
                    raise self.too_large() from exc
                raise
            if guard is None:
                raise Conflict("Already exists.") from exc
            key, owner = guard
            old = self.table.get_item(Key=dict(key), ConsistentRead=True).get("Item")
            current = None if old is None else plain_item(old)
            raise condition_error(
                current, owner=owner, not_found=self.not_found, owner_attribute=self.owner_attribute
            ) from exc

    def _op(self, kind: str, **parts: Any) -> TransactItem:
        return build(self.spec.name, kind, **parts)

    def _guard(
        self, owner: str | None, expected_version: int | None, condition: ConditionBase | None
    ) -> ConditionBase | None:
        from boto3.dynamodb.conditions import Attr

        guard: Any = Attr(self.spec.hash_key).exists()
        if owner is not None:
            guard = Attr(self.owner_attribute).eq(owner)
        if expected_version is not None:
            guard = guard & Attr(VERSION).eq(expected_version)
        if condition is not None:
            guard = guard & condition
        return guard  # type: ignore[no-any-return]

    def _translate(self, exc: ClientError, owner: str | None) -> Exception:
        if is_conditional_failure(exc):
            old: Any = exc.response.get("Item")
            current = None if not old else plain_item(_deserialize(old))
            return condition_error(
                current, owner=owner, not_found=self.not_found, owner_attribute=self.owner_attribute
            )
        if is_item_too_large(exc) and self.too_large is not None:
            return self.too_large()
        return exc


def _deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {key: deserializer.deserialize(value) for key, value in item.items()}


def _placeholders(path: str, names: dict[str, str]) -> str:
    """Turn `phases[2].generated` into `#p0[2].#p1`, registering each name."""
    parts = []
    for segment in path.split("."):
        name, bracket, rest = segment.partition("[")
        placeholder = f"#p{len(names)}"
        names[placeholder] = name
        parts.append(placeholder + (bracket + rest if bracket else ""))
    return ".".join(parts)


def _update_expression(changes: Changes) -> tuple[str, dict[str, str], dict[str, Any]]:
    # Our placeholders (#p, :u) never look like boto3's condition placeholders (#n, :v), which
    # share the same maps and would silently overwrite ours.
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    sets: list[str] = []
    for path, value in changes.set.items():
        values[f":u{len(values)}"] = to_dynamo(value)
        sets.append(f"{_placeholders(path, names)} = :u{len(values) - 1}")
    if changes.bump_version:
        values[":one"] = 1
        values[":now"] = isoformat(utc_now())
        version, updated = _placeholders(VERSION, names), _placeholders("updatedAt", names)
        sets += [f"{version} = {version} + :one", f"{updated} = :now"]
    clauses = ["SET " + ", ".join(sets)] if sets else []
    if changes.add:
        adds = []
        for path, amount in changes.add.items():
            values[f":u{len(values)}"] = to_dynamo(amount)
            adds.append(f"{_placeholders(path, names)} :u{len(values) - 1}")
        clauses.append("ADD " + ", ".join(adds))
    if changes.remove:
        clauses.append("REMOVE " + ", ".join(_placeholders(p, names) for p in changes.remove))
    return " ".join(clauses), names, values
