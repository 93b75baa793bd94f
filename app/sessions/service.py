"""Session use cases: create, list, read, update and delete sessions; read and rate messages."""

from __future__ import annotations

import uuid
from typing import Any, Final

from app.core import outbox
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate
from app.core.versioning import expected_version
from app.projects import service as projects_service
from app.sessions import repository
from app.sessions.exceptions import (
    MessageNotFound,
    NotAnAssistantMessage,
    ReplyNotFinished,
    SessionNotFound,
)
from app.sessions.records import MessageRecord, SessionRecord
from app.sessions.schemas import (
    Feedback,
    FeedbackUpdate,
    MessageError,
    MessageOrder,
    MessageRead,
    SessionCreate,
    SessionRead,
    SessionUpdate,
    Usage,
)

# Handled by this domain's jobs module: the session's messages follow it through the queue.
SESSION_DELETED: Final = "session.deleted"
LIST_SCOPE: Final = "sessions"


def to_read(record: SessionRecord) -> SessionRead:
    """Convert a stored session to the API model."""
    return SessionRead(
        session_id=record.session_id,
        title=record.title,
        project_id=record.project_id,
        system=record.system,
        message_count=record.message_count,
        last_message_at=record.last_message_at,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def message_read(record: MessageRecord) -> MessageRead:
    """Convert a stored message to the API model."""
    usage = record.usage
    feedback = record.feedback
    return MessageRead(
        message_id=record.message_id,
        session_id=record.session_id,
        role=record.role,
        content=record.content,
        status=record.status,
        error=MessageError.model_validate(record.error) if record.error else None,
        engine=record.engine,
        model=record.model,
        usage=None
        if usage is None
        else Usage(input_tokens=usage["inputTokens"], output_tokens=usage["outputTokens"]),
        feedback=None if feedback is None else Feedback.model_validate(feedback),
        asset_ids=list(record.asset_ids) or None,
        job_id=record.job_id,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
        completed_at=record.completed_at,
    )


def owned_session(*, owner_id: str, session_id: str) -> SessionRecord:
    """Return one of the owner's sessions, read consistently; SessionNotFound otherwise."""
    record = repository.get_session(session_id, owner_id=owner_id)
    if record is None:
        raise SessionNotFound()
    return record


def owned_message(*, owner_id: str, session_id: str, message_id: str) -> MessageRecord:
    """Return a message of one of the owner's sessions; SessionNotFound / MessageNotFound."""
    owned_session(owner_id=owner_id, session_id=session_id)
    record = repository.get_message(session_id, message_id, owner_id=owner_id)
    if record is None:
        raise MessageNotFound()
    return record


def create_session(
    *, owner_id: str, body: SessionCreate, idempotency_key: str | None = None
) -> SessionRead:
    """Start a session, on one of the owner's projects if named; a replayed key returns it."""
    if body.project_id is not None:
        projects_service.ensure_project_owned(owner_id=owner_id, project_id=body.project_id)

    def create() -> SessionRead:
        now = isoformat(utc_now())
        record = SessionRecord(
            session_id=str(uuid.uuid4()),
            owner_id=owner_id,
            message_count=0,
            active_at=now,
            version=1,
            created_at=now,
            updated_at=now,
            title=body.title,
            project_id=body.project_id,
            system=body.system,
        )
        repository.create_session(record)
        return to_read(record)

    return idempotent_create(
        scope=LIST_SCOPE,
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=SessionRead,
    )


def get_session(*, owner_id: str, session_id: str) -> SessionRead:
    """Return one of the owner's sessions."""
    return to_read(owned_session(owner_id=owner_id, session_id=session_id))


def list_sessions(
    *, owner_id: str, project_id: str | None, limit: int, cursor: str | None
) -> Page[SessionRead]:
    """Return a page of the owner's sessions (of one project), most recently active first."""
    return paginate(
        owner=owner_id,
        scope=f"{LIST_SCOPE}:{project_id or '*'}",
        cursor=cursor,
        fetch=lambda start: repository.list_sessions(
            owner_id=owner_id, project_id=project_id, limit=limit, start_key=start
        ),
        convert=to_read,
    )


def update_session(
    *, owner_id: str, session_id: str, body: SessionUpdate, if_match: str | None = None
) -> SessionRead:
    """Change the title or instructions at the expected version; stale is a 409."""
    version = expected_version(body_version=body.version, if_match=if_match)
    record = repository.update_session(
        session_id, body.changes(), owner_id=owner_id, version=version
    )
    return to_read(record)


def delete_session(*, owner_id: str, session_id: str) -> None:
    """Delete the owner's session; its messages follow through the queue."""
    messages = [outbox.new_message(SESSION_DELETED, {"sessionId": session_id, "ownerId": owner_id})]
    repository.delete_session(session_id, owner_id=owner_id, messages=messages)
    outbox.publish(messages)


def delete_session_messages(
    *, owner_id: str, session_id: str, start_key: dict[str, Any] | None, max_pages: int
) -> dict[str, Any] | None:
    """Delete a deleted session's messages, a bounded number of pages at a time.

    Returns the key to continue from, or None when all are gone.
    """
    for _ in range(max_pages):
        start_key = repository.delete_messages_page(
            session_id, owner_id=owner_id, start_key=start_key
        )
        if not start_key:
            return None
    return start_key


def get_message(*, owner_id: str, session_id: str, message_id: str) -> MessageRead:
    """Return one message of one of the owner's sessions, e.g. to poll a reply."""
    return message_read(
        owned_message(owner_id=owner_id, session_id=session_id, message_id=message_id)
    )


def list_messages(
    *, owner_id: str, session_id: str, order: MessageOrder, limit: int, cursor: str | None
) -> Page[MessageRead]:
    """Return a page of a session's messages, oldest or newest first, in one Query."""
    owned_session(owner_id=owner_id, session_id=session_id)
    return paginate(
        owner=owner_id,
        scope=f"session-messages:{session_id}:{order}",
        cursor=cursor,
        fetch=lambda start: repository.list_messages(
            session_id,
            owner_id=owner_id,
            limit=limit,
            start_key=start,
            newest_first=order == "desc",
        ),
        convert=message_read,
    )


def set_feedback(
    *, owner_id: str, session_id: str, message_id: str, body: FeedbackUpdate
) -> MessageRead:
    """Rate an assistant reply (replacing an earlier rating); 422 on a user message."""
    message = owned_message(owner_id=owner_id, session_id=session_id, message_id=message_id)
    if message.role != "assistant":
        raise NotAnAssistantMessage(details=[{"loc": ["path", "messageId"]}])
    if message.status == "pending":
        raise ReplyNotFinished()
    feedback: dict[str, str] = {"rating": body.rating}
    if body.comment is not None:
        feedback["comment"] = body.comment
    record = repository.set_feedback(session_id, message_id, feedback, owner_id=owner_id)
    return message_read(record)
