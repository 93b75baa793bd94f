"""What the sessions domain stores: session and message records and their item conversions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.sessions.schemas import MessageStatus, Role


@dataclass(frozen=True)
class SessionRecord:
    """A stored session; the pending fields say which reply, since when, is being written."""

    session_id: str
    owner_id: str
    message_count: int
    active_at: str
    version: int
    created_at: str
    updated_at: str
    title: str | None = None
    project_id: str | None = None
    system: str | None = None
    last_message_id: str | None = None
    last_message_at: str | None = None
    pending_reply_id: str | None = None
    pending_since: int | None = None


@dataclass(frozen=True)
class MessageRecord:
    """A stored message; an assistant reply names the job (attempt) allowed to write it."""

    session_id: str
    message_id: str
    owner_id: str
    role: Role
    content: str
    status: MessageStatus
    version: int
    created_at: str
    updated_at: str
    asset_ids: tuple[str, ...] = ()
    job_id: str | None = None
    error: dict[str, str] | None = None
    engine: str | None = None
    model: str | None = None
    usage: dict[str, int] | None = None
    feedback: dict[str, str] | None = None
    completed_at: str | None = None


def _present(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value is not None}


def session_item(record: SessionRecord) -> dict[str, Any]:
    return _present(
        {
            "sessionId": record.session_id,
            "ownerId": record.owner_id,
            "messageCount": record.message_count,
            "activeAt": record.active_at,
            "version": record.version,
            "createdAt": record.created_at,
            "updatedAt": record.updated_at,
            "title": record.title,
            "projectId": record.project_id,
            "system": record.system,
            "lastMessageId": record.last_message_id,
            "lastMessageAt": record.last_message_at,
            "pendingReplyId": record.pending_reply_id,
            "pendingSince": record.pending_since,
        }
    )


def session_from_item(item: dict[str, Any]) -> SessionRecord:
    since = item.get("pendingSince")
    return SessionRecord(
        session_id=item["sessionId"],
        owner_id=item["ownerId"],
        message_count=int(item.get("messageCount", 0)),
        active_at=item["activeAt"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        title=item.get("title"),
        project_id=item.get("projectId"),
        system=item.get("system"),
        last_message_id=item.get("lastMessageId"),
        last_message_at=item.get("lastMessageAt"),
        pending_reply_id=item.get("pendingReplyId"),
        pending_since=None if since is None else int(since),
    )


def message_item(record: MessageRecord) -> dict[str, Any]:
    return _present(
        {
            "sessionId": record.session_id,
            "messageId": record.message_id,
            "ownerId": record.owner_id,
            "role": record.role,
            "content": record.content,
            "status": record.status,
            "version": record.version,
            "createdAt": record.created_at,
            "updatedAt": record.updated_at,
            "assetIds": list(record.asset_ids) or None,
            "jobId": record.job_id,
            "error": record.error,
            "engine": record.engine,
            "model": record.model,
            "usage": record.usage,
            "feedback": record.feedback,
            "completedAt": record.completed_at,
        }
    )


def message_from_item(item: dict[str, Any]) -> MessageRecord:
    usage = item.get("usage")
    return MessageRecord(
        session_id=item["sessionId"],
        message_id=item["messageId"],
        owner_id=item["ownerId"],
        role=item["role"],
        content=item.get("content", ""),
        status=item["status"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        asset_ids=tuple(item.get("assetIds") or ()),
        job_id=item.get("jobId"),
        error=item.get("error"),
        engine=item.get("engine"),
        model=item.get("model"),
        usage=None if usage is None else {key: int(value) for key, value in usage.items()},
        feedback=item.get("feedback"),
        completed_at=item.get("completedAt"),
    )
