"""Queue handlers of the sessions domain: a deleted session takes its messages along."""

from __future__ import annotations

from typing import Any, Final

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.sessions import service

# Pages of up to 100 messages deleted per message; the rest goes on in a follow-up message.
PAGES_PER_MESSAGE: Final = 10


def _text(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return value if isinstance(value, str) and value else None


@jobs.register(service.SESSION_DELETED)
def handle_session_deleted(message: JobMessage, context: JobContext) -> None:
    """Delete a deleted session's messages; idempotent, so redelivery is safe."""
    session_id = _text(message.payload, "sessionId")
    owner_id = _text(message.payload, "ownerId")
    if session_id is None or owner_id is None:
        logger.warning("session.deleted without ids", extra={"event_id": message.id})
        return
    start_key = message.payload.get("startKey")
    next_key = service.delete_session_messages(
        owner_id=owner_id,
        session_id=session_id,
        start_key=start_key if isinstance(start_key, dict) else None,
        max_pages=PAGES_PER_MESSAGE,
    )
    if next_key is not None:
        # Bounded work per message; if this send fails the message is retried from the start.
        jobs.enqueue(
            service.SESSION_DELETED,
            {"sessionId": session_id, "ownerId": owner_id, "startKey": next_key},
        )
    logger.info(
        "session messages deleted",
        extra={
            "event_id": message.id,
            "complete": next_key is None,
            "receive_count": context.receive_count,
        },
    )
