"""The abstract record store every repository is written against, and its page type.

Shaped after Powertools' idempotency persistence layer: this abstract store, one DynamoDB
implementation (`app.core.store.DynamoStore`), and AWS errors translated at that boundary.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from app.core.errors import AppError, NotFound, VersionConflict
from app.core.expressions import VERSION, Changes

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import ConditionBase

    from app.core.outbox import OutboxMessage

R = TypeVar("R")
Key = Mapping[str, str]
OWNER = "ownerId"
ErrorFactory = Callable[[], AppError]


@dataclass(frozen=True)
class Page(Generic[R]):
    """Records of one page and the DynamoDB key to continue from."""

    items: list[R]
    last_key: dict[str, Any] | None


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
        range_from: str | None = None,
        where: ConditionBase | None = None,
        consistent: bool = False,
    ) -> Page[R]:
        """Return one page of a partition (never a Scan), optionally checked against an owner."""

    @abstractmethod
    def delete_partition(self, hash_value: str, *, max_items: int) -> tuple[int, bool]:
        """Delete up to max_items of a partition; return (deleted, whether more remain)."""
