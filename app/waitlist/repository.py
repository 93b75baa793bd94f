"""DynamoDB access for waitlist entries; stored items never leave this module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from app.core import aws, dynamo, transactions
from app.core.errors import VersionConflict
from app.core.outbox import OutboxMessage
from app.core.tables import WAITLIST
from app.waitlist.exceptions import EntryNotFound
from app.waitlist.schemas import WaitlistStatus

CONDITION_FAILED = "ConditionalCheckFailed"


@dataclass(frozen=True)
class EntryRecord:
    """A stored waitlist entry."""

    email: str
    status: WaitlistStatus
    version: int
    created_at: str
    updated_at: str
    name: str | None = None
    source: str | None = None
    invited_at: str | None = None


@dataclass(frozen=True)
class RecordPage:
    """One page of entries and the DynamoDB key to continue from."""

    records: list[EntryRecord]
    last_key: dict[str, Any] | None


def _item(record: EntryRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "email": record.email,
        "status": record.status,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
        "name": record.name,
        "source": record.source,
        "invitedAt": record.invited_at,
    }
    return {key: value for key, value in item.items() if value is not None}


def _to_record(item: dict[str, Any]) -> EntryRecord:
    return EntryRecord(
        email=item["email"],
        status=item["status"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        name=item.get("name"),
        source=item.get("source"),
        invited_at=item.get("invitedAt"),
    )


def _first_condition_failed(exc: ClientError) -> bool:
    codes = transactions.cancellation_codes(exc)
    return bool(codes) and codes[0] == CONDITION_FAILED


def add(record: EntryRecord, messages: list[OutboxMessage]) -> bool:
    """Store a new entry with its outbox messages; False (nothing written) if the email is in."""
    put = {
        "Put": {
            "TableName": transactions.table_name(WAITLIST.name),
            "Item": transactions.serialize(_item(record)),
            "ConditionExpression": "attribute_not_exists(email)",
        }
    }
    try:
        transactions.transact([put], messages)
    except ClientError as exc:
        if _first_condition_failed(exc):
            return False
        raise
    return True


def get(email: str, *, consistent: bool = False) -> EntryRecord | None:
    """Return the entry for an email, or None."""
    item = (
        aws.table(WAITLIST.name)
        .get_item(Key={"email": email}, ConsistentRead=consistent)
        .get("Item")
    )
    return None if item is None else _to_record(dynamo.plain_item(item))


def update(current: EntryRecord, new: EntryRecord, messages: list[OutboxMessage]) -> None:
    """Store the new state if the entry is still at the current version."""
    put = {
        "Put": {
            "TableName": transactions.table_name(WAITLIST.name),
            "Item": transactions.serialize(_item(new)),
            "ConditionExpression": "attribute_exists(email) AND version = :version",
            "ExpressionAttributeValues": transactions.serialize({":version": current.version}),
        }
    }
    try:
        transactions.transact([put], messages)
    except ClientError as exc:
        if not _first_condition_failed(exc):
            raise
        latest = get(current.email, consistent=True)
        if latest is None:
            raise EntryNotFound() from exc
        raise VersionConflict(details=[{"currentVersion": latest.version}]) from exc


def delete(email: str) -> None:
    """Delete an entry; raise EntryNotFound if there is none."""
    try:
        aws.table(WAITLIST.name).delete_item(
            Key={"email": email}, ConditionExpression="attribute_exists(email)"
        )
    except ClientError as exc:
        if dynamo.is_conditional_failure(exc):
            raise EntryNotFound() from exc
        raise


def list_by_status(
    status: WaitlistStatus, *, limit: int, start_key: dict[str, Any] | None
) -> RecordPage:
    """Query one page of the entries in a status, newest first, through the byStatus index."""
    page = dynamo.query_page(
        aws.table(WAITLIST.name),
        index="byStatus",
        hash_key="status",
        hash_value=status,
        limit=limit,
        start_key=start_key,
    )
    return RecordPage(records=[_to_record(item) for item in page.items], last_key=page.last_key)
