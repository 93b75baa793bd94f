"""Waitlist use cases: public join, admin list/decide/delete, and the emails they trigger."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from app.core import email, outbox
from app.core.config import get_settings
from app.core.errors import BadRequest, Conflict
from app.core.outbox import OutboxMessage
from app.core.records import Page as RecordPage
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import paginate, require_version
from app.core.versioning import expected_version
from app.waitlist import repository
from app.waitlist.exceptions import EntryNotFound, InvalidEmail
from app.waitlist.repository import EntryRecord
from app.waitlist.schemas import (
    STATUSES,
    WaitlistEntry,
    WaitlistJoin,
    WaitlistJoined,
    WaitlistStatus,
    WaitlistUpdate,
    normalise_email,
)

WAITLIST_JOINED: Final = "waitlist.joined"
WAITLIST_INVITED: Final = "waitlist.invited"


def to_entry(record: EntryRecord) -> WaitlistEntry:
    """Convert a stored entry to the admin model."""
    return WaitlistEntry(
        email=record.email,
        name=record.name,
        source=record.source,
        status=record.status,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
        invited_at=record.invited_at,
    )


def _joined(record: EntryRecord) -> WaitlistJoined:
    return WaitlistJoined(email=record.email, created_at=record.created_at)


def _notification(message_type: str, record: EntryRecord) -> OutboxMessage:
    payload: dict[str, Any] = {"email": record.email}
    if record.name:
        payload["name"] = record.name
    return outbox.new_message(message_type, payload)


def join(body: WaitlistJoin) -> tuple[WaitlistJoined, bool]:
    """Add an email to the waitlist; return the entry and whether this call created it.

    A repeat changes nothing and sends nothing: the first name and source are kept.
    """
    now = isoformat(utc_now())
    record = EntryRecord(
        email=body.email,
        status="pending",
        version=1,
        created_at=now,
        updated_at=now,
        name=body.name,
        source=body.source,
    )
    messages = [_notification(WAITLIST_JOINED, record)]
    if repository.add(record, messages):
        outbox.publish(messages)
        return _joined(record), True
    existing = repository.get(record.email, consistent=True)
    if existing is None:  # deleted in between: the caller may simply retry
        raise Conflict("The entry changed meanwhile; retry.")
    return _joined(existing), False


def path_email(raw: str) -> str:
    """Normalise and validate an email taken from the URL path."""
    try:
        return normalise_email(raw)
    except ValueError as exc:
        raise InvalidEmail(details=[{"loc": ["path", "email"]}]) from exc


def get_entry(email_address: str) -> EntryRecord:
    """Return the entry for an email or raise 404."""
    record = repository.get(email_address, consistent=True)
    if record is None:
        raise EntryNotFound()
    return record


def _unfiltered_page(*, start: dict[str, Any] | None, limit: int) -> RecordPage[EntryRecord]:
    """Walk the statuses in order, one Query per status, until the page is full."""
    status = start["status"] if start else STATUSES[0]
    if status not in STATUSES:
        raise BadRequest("Invalid cursor.")
    index = STATUSES.index(status)
    start_key = start if start and "email" in start else None
    records: list[EntryRecord] = []
    while True:
        page = repository.list_by_status(
            STATUSES[index], limit=limit - len(records), start_key=start_key
        )
        records += page.items
        if page.last_key:
            return RecordPage(records, page.last_key)
        index, start_key = index + 1, None
        if index == len(STATUSES):
            return RecordPage(records, None)
        if len(records) >= limit:
            # The next page starts at the beginning of the next status.
            return RecordPage(records, {"status": STATUSES[index]})


def list_entries(
    *, admin_id: str, status: WaitlistStatus | None, limit: int, cursor: str | None
) -> Page[WaitlistEntry]:
    """Return a page of entries of one status, or of all statuses in turn, newest first."""

    def fetch(start: dict[str, Any] | None) -> RecordPage[EntryRecord]:
        if status is None:
            return _unfiltered_page(start=start, limit=limit)
        return repository.list_by_status(status, limit=limit, start_key=start)

    return paginate(
        owner=admin_id,
        scope=f"waitlist:{status or '*'}",
        cursor=cursor,
        fetch=fetch,
        convert=to_entry,
    )


def update_entry(
    *, email_address: str, body: WaitlistUpdate, if_match: str | None
) -> WaitlistEntry:
    """Record an admin's decision at the version they saw; a new invitation is emailed."""
    version = expected_version(body_version=body.version, if_match=if_match)
    current = get_entry(email_address)
    require_version(current.version, version)
    now = isoformat(utc_now())
    inviting = body.status == "invited" and current.status != "invited"
    new = replace(
        current,
        status=body.status,
        version=current.version + 1,
        updated_at=now,
        invited_at=now if inviting else current.invited_at,
    )
    messages = [_notification(WAITLIST_INVITED, new)] if inviting else []
    repository.update(current, new, messages)
    outbox.publish(messages)
    return to_entry(new)


def delete_entry(email_address: str) -> None:
    """Remove an entry from the waitlist."""
    repository.delete(email_address)


def send_welcome(*, event_id: str, payload: dict[str, Any]) -> bool:
    """Email a new sign-up once per event, unless the entry was deleted meanwhile."""
    address = str(payload.get("email") or "")
    if not address or repository.get(address) is None:
        return False
    return email.send_once(
        dedupe_key=f"{WAITLIST_JOINED}:{event_id}",
        to=address,
        template="welcome",
        values={"name": str(payload.get("name") or "there"), "app_url": get_settings().app_url},
    )


def send_invitation(*, event_id: str, payload: dict[str, Any]) -> bool:
    """Email an invitation once per event, if the entry is still invited."""
    address = str(payload.get("email") or "")
    record = repository.get(address, consistent=True) if address else None
    if record is None or record.status != "invited":
        return False
    return email.send_once(
        dedupe_key=f"{WAITLIST_INVITED}:{event_id}",
        to=address,
        template="invitation",
        values={
            "name": record.name or "there",
            "signup_url": get_settings().app_url.rstrip("/") + "/signup",
        },
    )
