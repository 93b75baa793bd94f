"""DynamoDB access for waitlist entries; stored items never leave this module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.errors import Conflict
from app.core.outbox import OutboxMessage
from app.core.records import Page
from app.core.store import DynamoStore
from app.waitlist.domain import WAITLIST
from app.waitlist.exceptions import EntryNotFound
from app.waitlist.schemas import WaitlistStatus


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


_store = DynamoStore(WAITLIST, to_item=_item, from_item=_to_record, not_found=EntryNotFound)


def add(record: EntryRecord, messages: list[OutboxMessage]) -> bool:
    """Store a new entry with its outbox messages; False (nothing written) if the email is in."""
    try:
        _store.put_new(record, messages=messages)
    except Conflict:
        return False
    return True


def get(email: str, *, consistent: bool = False) -> EntryRecord | None:
    """Return the entry for an email, or None."""
    return _store.get({"email": email}, consistent=consistent)


def update(current: EntryRecord, new: EntryRecord, messages: list[OutboxMessage]) -> None:
    """Store the new state if the entry is still at the current version."""
    _store.replace(new, expected_version=current.version, owner=None, messages=messages)


def delete(email: str) -> None:
    """Delete an entry; raise EntryNotFound if there is none."""
    _store.delete({"email": email}, owner=None)


def list_by_status(
    status: WaitlistStatus, *, limit: int, start_key: dict[str, Any] | None
) -> Page[EntryRecord]:
    """Query one page of the entries in a status, newest first, through the byStatus index."""
    return _store.query(status, index="byStatus", limit=limit, start_key=start_key)
