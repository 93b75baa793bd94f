"""DynamoDB access for sessions and their messages; stored items never leave this module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.expressions import Changes
from app.core.outbox import OutboxMessage
from app.core.records import Page
from app.core.store import DynamoStore
from app.core.transactions import TransactItem
from app.sessions.domain import MESSAGES, SESSIONS
from app.sessions.exceptions import MessageNotFound, SessionNotFound
from app.sessions.records import (
    MessageRecord,
    SessionRecord,
    message_from_item,
    message_item,
    session_from_item,
    session_item,
)
from app.sessions.schemas import MessageStatus

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import Attr, ConditionBase

# How many keys one Query of the cascade delete reads; BatchWriteItem takes 25 at a time.
DELETE_PAGE_SIZE = 100


def _attr(name: str) -> Attr:
    # boto3.dynamodb imports all of boto3: loaded with the first write, not at cold start.
    from boto3.dynamodb.conditions import Attr as attribute

    return attribute(name)


_sessions = DynamoStore(
    SESSIONS, to_item=session_item, from_item=session_from_item, not_found=SessionNotFound
)
_messages = DynamoStore(
    MESSAGES, to_item=message_item, from_item=message_from_item, not_found=MessageNotFound
)


def _session_key(session_id: str) -> dict[str, str]:
    return {"sessionId": session_id}


def _message_key(session_id: str, message_id: str) -> dict[str, str]:
    return {"sessionId": session_id, "messageId": message_id}


# Sessions


def create_session(record: SessionRecord) -> None:
    """Store a new session."""
    _sessions.put_new(record)


def get_session(session_id: str, *, owner_id: str) -> SessionRecord | None:
    """Return the owner's session, read consistently, or None."""
    return _sessions.get(_session_key(session_id), owner=owner_id, consistent=True)


def list_sessions(
    *, owner_id: str, project_id: str | None, limit: int, start_key: dict[str, Any] | None
) -> Page[SessionRecord]:
    """Query one page of the owner's sessions (of one project), most recently active first."""
    if project_id is None:
        return _sessions.query(owner_id, index="byOwner", limit=limit, start_key=start_key)
    return _sessions.query(
        project_id, index="byProject", limit=limit, start_key=start_key, owner=owner_id
    )


def update_session(
    session_id: str, changes: dict[str, Any], *, owner_id: str, version: int
) -> SessionRecord:
    """Apply a PATCH if the session is the owner's and at the version; None values clear."""
    sets = {name: value for name, value in changes.items() if value is not None}
    removals = [name for name, value in changes.items() if value is None]
    return _sessions.update(
        _session_key(session_id),
        Changes(set=sets, remove=removals),
        owner=owner_id,
        expected_version=version,
    )


def set_title_if_untitled(session_id: str, title: str) -> bool:
    """Give an untitled session a title; False if it has one (or is gone)."""
    changed = _sessions.try_update(
        _session_key(session_id),
        Changes(set={"title": title}),
        condition=_attr("title").not_exists(),
    )
    return changed is not None


def delete_session(session_id: str, *, owner_id: str, messages: list[OutboxMessage]) -> None:
    """Delete the owner's session together with the outbox messages that clean up after it."""
    _sessions.delete(_session_key(session_id), owner=owner_id, messages=messages)


# Messages


def get_message(session_id: str, message_id: str, *, owner_id: str) -> MessageRecord | None:
    """Return one of the owner's messages, read consistently, or None."""
    return _messages.get(_message_key(session_id, message_id), owner=owner_id, consistent=True)


def list_messages(
    session_id: str,
    *,
    owner_id: str,
    limit: int,
    start_key: dict[str, Any] | None,
    newest_first: bool,
) -> Page[MessageRecord]:
    """Query one page of a session's messages in order, read consistently."""
    return _messages.query(
        session_id,
        limit=limit,
        start_key=start_key,
        newest_first=newest_first,
        owner=owner_id,
        consistent=True,
    )


def messages_before(
    session_id: str, message_id: str, *, owner_id: str, limit: int, start_key: str | None = None
) -> Page[MessageRecord]:
    """Query the messages older than one (or than start_key), newest first, consistently."""
    start = _message_key(session_id, start_key or message_id)
    return _messages.query(
        session_id, limit=limit, start_key=start, owner=owner_id, consistent=True
    )


def set_feedback(
    session_id: str, message_id: str, feedback: dict[str, str], *, owner_id: str
) -> MessageRecord:
    """Store the rating of one of the owner's finished assistant replies."""
    return _messages.update(
        _message_key(session_id, message_id),
        Changes(set={"feedback": feedback}),
        owner=owner_id,
        condition=_attr("role").eq("assistant") & _attr("status").ne("pending"),
    )


def delete_messages_page(
    session_id: str, *, owner_id: str, start_key: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Delete one page of a session's messages; return the key to continue from, or None."""
    page = _messages.delete_page(
        session_id, limit=DELETE_PAGE_SIZE, start_key=start_key, owner=owner_id, consistent=True
    )
    return page.last_key


# Turns: a post, a regeneration and a reply's end each change a message and the session together.


def _is(attribute: str, value: str | None) -> ConditionBase:
    return _attr(attribute).not_exists() if value is None else _attr(attribute).eq(value)


def _turn_guard(session: SessionRecord, *, replaceable: str | None) -> ConditionBase:
    """The session is as read: same owner and last message, and no reply pending but the
    `replaceable` one (a stale or finished reply being superseded)."""
    pending: ConditionBase = _attr("pendingReplyId").not_exists()
    if replaceable is not None:
        pending = pending | _attr("pendingReplyId").eq(replaceable)
    owner: ConditionBase = _attr("ownerId").eq(session.owner_id)
    return owner & _is("lastMessageId", session.last_message_id) & pending


def _pending(reply_id: str, since: int) -> dict[str, Any]:
    return {"pendingReplyId": reply_id, "pendingSince": since}


def append_turn(
    session: SessionRecord,
    user: MessageRecord,
    reply: MessageRecord,
    *,
    since: int,
    takeover: bool = False,
    stale_reply: MessageRecord | None = None,
) -> bool:
    """Store a user message and its pending reply, and mark the session as waiting for it.

    One transaction, guarded by the session as read. With `takeover`, the session's pending
    reply (stale) no longer blocks it, and `stale_reply`, if still pending, is failed in it.
    False (nothing written) when the session moved on since it was read.
    """
    bookkeeping = {
        "lastMessageId": reply.message_id,
        "lastMessageAt": user.created_at,
        "activeAt": user.created_at,
        **_pending(reply.message_id, since),
    }
    operations = [
        _messages.put_new_op(user),
        _messages.put_new_op(reply),
        _sessions.update_op(
            _session_key(session.session_id),
            Changes(set=bookkeeping, add={"messageCount": 2}, bump_version=False),
            condition=_turn_guard(
                session, replaceable=session.pending_reply_id if takeover else None
            ),
        ),
    ]
    if stale_reply is not None and stale_reply.status == "pending":
        error = {"code": "interrupted", "message": "The reply was never written."}
        operations.append(
            _end_reply_op(
                stale_reply.session_id,
                stale_reply.message_id,
                job_id=stale_reply.job_id,
                status="failed",
                sets={"error": error},
                now=user.created_at,
            )
        )
    return _sessions.try_transact(operations)


def restart_reply(session: SessionRecord, reply: MessageRecord, *, job_id: str, since: int) -> bool:
    """Put the session's latest reply back to pending under a new job, as one transaction.

    False when the reply or the session changed since they were read.
    """
    cleared = ["error", "engine", "model", "usage", "feedback", "completedAt"]
    message_op = _messages.update_op(
        _message_key(reply.session_id, reply.message_id),
        Changes(set={"status": "pending", "content": "", "jobId": job_id}, remove=cleared),
        condition=_is("jobId", reply.job_id) & _attr("status").eq(reply.status),
    )
    session_op = _sessions.update_op(
        _session_key(session.session_id),
        Changes(set=_pending(reply.message_id, since), bump_version=False),
        condition=_turn_guard(session, replaceable=reply.message_id),
    )
    return _sessions.try_transact([message_op, session_op])


def _end_reply_op(
    session_id: str,
    message_id: str,
    *,
    job_id: str | None,
    status: MessageStatus,
    sets: dict[str, Any],
    now: str,
) -> TransactItem:
    return _messages.update_op(
        _message_key(session_id, message_id),
        Changes(set={"status": status, "completedAt": now, **sets}),
        condition=_is("jobId", job_id) & _attr("status").eq("pending"),
    )


def end_reply(
    session_id: str,
    message_id: str,
    *,
    job_id: str,
    status: MessageStatus,
    sets: dict[str, Any],
    now: str,
) -> bool:
    """Write a pending reply's outcome, if this job still owns it, and end the session's wait.

    False (nothing written) when a newer job, or the session's delete, got there first.
    """
    session_op = _sessions.update_op(
        _session_key(session_id),
        Changes(
            set={"lastMessageAt": now, "activeAt": now},
            remove=["pendingReplyId", "pendingSince"],
            bump_version=False,
        ),
        condition=_attr("pendingReplyId").eq(message_id),
    )
    message_op = _end_reply_op(
        session_id, message_id, job_id=job_id, status=status, sets=sets, now=now
    )
    return _sessions.try_transact([message_op, session_op])
