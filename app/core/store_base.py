"""What DynamoStore's single writes and transactions share: keys, guards, error translation.

Transaction operations live here too, so that a repository can commit writes to several
stores (and outbox messages) in one `TransactWriteItems` through any one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic

from botocore.exceptions import ClientError

from app.core import aws
from app.core.dynamo import is_conditional_failure, is_expired, is_item_too_large, plain_item
from app.core.errors import Conflict, NotFound, WriteContention
from app.core.expressions import VERSION, Changes, deserialize, update_expression
from app.core.records import OWNER, ErrorFactory, Key, R, condition_error
from app.core.tables import TableSpec
from app.core.transactions import TransactItem, build, cancellation_codes, transact

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase
    from mypy_boto3_dynamodb.service_resource import Table

    from app.core.outbox import OutboxMessage

CONDITION_FAILED = "ConditionalCheckFailed"
# Another transaction held the item: in a cancelled transaction, and for a single write.
TRANSACTION_CONFLICT = "TransactionConflict"
TRANSACTION_CONFLICT_ERROR = "TransactionConflictException"


class StoreBase(Generic[R]):
    """One table, its record conversions, and how its failed writes become domain errors."""

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
        expression, names, values = update_expression(changes)
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
        condition becomes Conflict (a create), or NotFound / VersionConflict (guard's key),
        and a clash with another transaction becomes WriteContention."""
        try:
            transact(operations, messages)
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if not codes or codes[0] != CONDITION_FAILED:
                if TRANSACTION_CONFLICT in codes:
                    raise WriteContention() from exc
                if is_item_too_large(exc) and self.too_large is not None:
                    raise self.too_large() from exc
                raise
            if guard is None:
                raise Conflict("Already exists.") from exc
            key, owner = guard
            old = self.table.get_item(Key=dict(key), ConsistentRead=True).get("Item")
            current = self._live(None if old is None else plain_item(old))
            raise condition_error(
                current, owner=owner, not_found=self.not_found, owner_attribute=self.owner_attribute
            ) from exc

    def try_transact(
        self, operations: Sequence[TransactItem], messages: Sequence[OutboxMessage] = ()
    ) -> bool:
        """Commit operations (of any stores) and messages together if every condition holds;
        False, with nothing written, when any operation's condition failed."""
        try:
            transact(operations, messages)
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if CONDITION_FAILED in codes:
                return False
            if TRANSACTION_CONFLICT in codes:
                raise WriteContention() from exc
            raise
        return True

    def _op(self, kind: str, **parts: Any) -> TransactItem:
        return build(self.spec.name, kind, **parts)

    def _guard(
        self, owner: str | None, expected_version: int | None, condition: ConditionBase | None
    ) -> ConditionBase:
        from boto3.dynamodb.conditions import Attr

        guard: Any = Attr(self.spec.hash_key).exists()
        if owner is not None:
            guard = Attr(self.owner_attribute).eq(owner)
        if expected_version is not None:
            guard = guard & Attr(VERSION).eq(expected_version)
        if condition is not None:
            guard = guard & condition
        return guard  # type: ignore[no-any-return]

    def _live(self, item: dict[str, Any] | None) -> dict[str, Any] | None:
        """The item a failed condition saw, or None if it is past its TTL (gone, as for get)."""
        if item is None or is_expired(item, self.spec.ttl_attribute):
            return None
        return item

    def _translate(self, exc: ClientError, owner: str | None) -> Exception:
        if is_conditional_failure(exc):
            old: Any = exc.response.get("Item")
            current = self._live(None if not old else plain_item(deserialize(old)))
            return condition_error(
                current, owner=owner, not_found=self.not_found, owner_attribute=self.owner_attribute
            )
        if is_item_too_large(exc) and self.too_large is not None:
            return self.too_large()
        if exc.response.get("Error", {}).get("Code") == TRANSACTION_CONFLICT_ERROR:
            return WriteContention()
        return exc
