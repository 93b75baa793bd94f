"""Chat session routes: thin endpoints over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import EntityId, Page
from app.core.versioning import etag
from app.sessions import posting, service
from app.sessions.schemas import (
    FeedbackUpdate,
    MessageCreate,
    MessageOrder,
    MessagePosted,
    MessageRead,
    ReplyQueued,
    SessionCreate,
    SessionRead,
    SessionUpdate,
)

router = APIRouter(prefix="/sessions", tags=["sessions"])

SessionId = Annotated[str, id_path("sessionId")]
MessageId = Annotated[str, id_path("messageId")]


def _message_path(session_id: str, message_id: str) -> str:
    return f"/sessions/{session_id}/messages/{message_id}"


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionRead,
    responses=error_responses(404, 409, 422),
)
def create_session(
    body: SessionCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> SessionRead:
    """Start a conversation, grounded in one of the caller's projects when projectId is given."""
    session = service.create_session(owner_id=user.sub, body=body, idempotency_key=idempotency_key)
    response.headers["ETag"] = etag(session.version)
    return session


@router.get("", response_model=Page[SessionRead], responses=error_responses(400))
def list_sessions(
    user: CurrentUser,
    page: PageQuery,
    project_id: Annotated[
        EntityId | None, Query(alias="projectId", description="Only this project's sessions.")
    ] = None,
) -> Page[SessionRead]:
    """List the caller's sessions, most recently active first."""
    return service.list_sessions(
        owner_id=user.sub, project_id=project_id, limit=page.limit, cursor=page.cursor
    )


@router.get("/{sessionId}", response_model=SessionRead, responses=error_responses(404))
def get_session(session_id: SessionId, user: CurrentUser, response: Response) -> SessionRead:
    """Return one session."""
    session = service.get_session(owner_id=user.sub, session_id=session_id)
    response.headers["ETag"] = etag(session.version)
    return session


@router.patch("/{sessionId}", response_model=SessionRead, responses=error_responses(404, 409, 422))
def update_session(
    session_id: SessionId,
    body: SessionUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> SessionRead:
    """Change the title or instructions at the version in the body or If-Match; stale is 409."""
    session = service.update_session(
        owner_id=user.sub, session_id=session_id, body=body, if_match=if_match
    )
    response.headers["ETag"] = etag(session.version)
    return session


@router.delete(
    "/{sessionId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def delete_session(session_id: SessionId, user: CurrentUser) -> Response:
    """Delete a session; its messages follow through the queue."""
    service.delete_session(owner_id=user.sub, session_id=session_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{sessionId}/messages",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=MessagePosted,
    responses=error_responses(404, 409, 422, 429, 503),
    description=(
        "Stores the message and a pending reply in one transaction and queues the reply (an AI "
        "job of kind `chat_reply`); poll the reply at the Location. 409 while another reply "
        "of the session is pending, or once the session holds 1,000 messages."
    ),
)
def post_message(
    session_id: SessionId,
    body: MessageCreate,
    user: CurrentUser,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> MessagePosted:
    """Post a message to the assistant; the reply is written by the queue."""
    posted = posting.post_message(
        owner_id=user.sub, session_id=session_id, body=body, idempotency_key=idempotency_key
    )
    response.headers["Location"] = _message_path(session_id, posted.reply.message_id)
    return posted


@router.get(
    "/{sessionId}/messages", response_model=Page[MessageRead], responses=error_responses(400, 404)
)
def list_messages(
    session_id: SessionId,
    user: CurrentUser,
    page: PageQuery,
    order: Annotated[
        MessageOrder, Query(description="desc: newest first (the default); asc: oldest first.")
    ] = "desc",
) -> Page[MessageRead]:
    """List a session's messages in conversation order, either way round."""
    return service.list_messages(
        owner_id=user.sub,
        session_id=session_id,
        order=order,
        limit=page.limit,
        cursor=page.cursor,
    )


@router.get(
    "/{sessionId}/messages/{messageId}",
    response_model=MessageRead,
    responses=error_responses(404),
)
def get_message(session_id: SessionId, message_id: MessageId, user: CurrentUser) -> MessageRead:
    """Return one message, e.g. to poll a pending reply."""
    return service.get_message(owner_id=user.sub, session_id=session_id, message_id=message_id)


@router.post(
    "/{sessionId}/messages/{messageId}/regenerate",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ReplyQueued,
    responses=error_responses(404, 409, 429, 503),
    description=(
        "Only for the session's latest message, when it is an assistant reply that is complete "
        "or failed: it goes back to pending (its feedback cleared) and gets a new answer. "
        "409 otherwise."
    ),
)
def regenerate_reply(
    session_id: SessionId, message_id: MessageId, user: CurrentUser, response: Response
) -> ReplyQueued:
    """Ask for a new answer to the latest reply."""
    queued = posting.regenerate_reply(
        owner_id=user.sub, session_id=session_id, message_id=message_id
    )
    response.headers["Location"] = _message_path(session_id, message_id)
    return queued


@router.put(
    "/{sessionId}/messages/{messageId}/feedback",
    response_model=MessageRead,
    responses=error_responses(404, 409, 422),
    description="Replaces any earlier rating. 422 on a user message; 409 while it is pending.",
)
def set_feedback(
    session_id: SessionId, message_id: MessageId, body: FeedbackUpdate, user: CurrentUser
) -> MessageRead:
    """Rate an assistant reply."""
    return service.set_feedback(
        owner_id=user.sub, session_id=session_id, message_id=message_id, body=body
    )
