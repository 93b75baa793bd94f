"""Posting a message and regenerating a reply: each stores its turn, then queues the reply."""

from __future__ import annotations

import dataclasses
import secrets
import time
from typing import Final

from app.ai import service as ai_service
from app.assets import service as assets_service
from app.core.errors import NotFound, VersionConflict, WriteContention
from app.core.queues import JOBS
from app.core.schemas import isoformat, utc_now
from app.core.usecases import idempotent_create, retry_on_conflict
from app.sessions import repository, service
from app.sessions.exceptions import (
    AssetNotUsable,
    NotRegenerable,
    ReplyPending,
    SessionFull,
)
from app.sessions.records import MessageRecord, SessionRecord
from app.sessions.replies import CHAT_REPLY
from app.sessions.schemas import (
    CHAT_ASSET_TYPES,
    MAX_ASSET_BYTES,
    MessageCreate,
    MessagePosted,
    ReplyQueued,
)

# 500 exchanges; a longer conversation starts a new session (409 beyond it).
MAX_MESSAGES_PER_SESSION: Final = 1_000
# A reply still pending after every delivery of its job could have run is taken as lost: the
# next post (or a regenerate) may replace it.
STALE_PENDING_SECONDS: Final = JOBS.max_receive_count * JOBS.visibility_timeout_seconds + 60
_CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class TurnMoved(VersionConflict):
    """The session changed between the read and the write; read it again."""


def _decode(ulid: str) -> int:
    value = 0
    for char in ulid:
        value = value * 32 + _CROCKFORD.index(char)
    return value


def _encode(value: int) -> str:
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def new_message_ids(after: str | None, count: int = 2) -> list[str]:
    """Return ULIDs above `after` and increasing, whatever this machine's clock says.

    Message order is the sort key's order, so a container whose clock lags must still append
    after the last message; the write is conditioned on that last message being unchanged.
    """
    floor = _decode(after) if after else 0
    ids = []
    for _ in range(count):
        fresh = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
        floor = max(fresh, floor + 1 + secrets.randbits(40))
        ids.append(_encode(floor))
    return ids


def _check_assets(owner_id: str, asset_ids: list[str]) -> None:
    """Raise AssetNotUsable (422) unless each asset is the owner's uploaded, small text file."""
    for index, asset_id in enumerate(asset_ids):
        location = {"loc": ["body", "assetIds", index]}
        try:
            asset = assets_service.get_asset(owner_id=owner_id, asset_id=asset_id)
        except NotFound as exc:
            raise AssetNotUsable(details=[{**location, "reason": "not_found"}]) from exc
        if asset.status != "uploaded":
            raise AssetNotUsable(details=[{**location, "reason": "not_uploaded"}])
        if asset.content_type not in CHAT_ASSET_TYPES:
            allowed = sorted(CHAT_ASSET_TYPES)
            raise AssetNotUsable(details=[{**location, "reason": "type", "allowed": allowed}])
        if asset.size > MAX_ASSET_BYTES:
            raise AssetNotUsable(
                details=[{**location, "reason": "size", "maxBytes": MAX_ASSET_BYTES}]
            )


def _stale_reply(session: SessionRecord, owner_id: str) -> MessageRecord | None:
    """Return the session's pending reply once it is stale (to replace); None if none is pending
    or it is gone. Raises ReplyPending while a reply is being written."""
    if session.pending_reply_id is None:
        return None
    if time.time() - (session.pending_since or 0) < STALE_PENDING_SECONDS:
        raise ReplyPending()
    return repository.get_message(session.session_id, session.pending_reply_id, owner_id=owner_id)


def _post_once(session: SessionRecord, body: MessageCreate) -> MessagePosted:
    owner_id, session_id = session.owner_id, session.session_id
    stale = _stale_reply(session, owner_id)
    if session.message_count + 2 > MAX_MESSAGES_PER_SESSION:
        raise SessionFull(details=[{"maxMessages": MAX_MESSAGES_PER_SESSION}])
    user_id, reply_id = new_message_ids(session.last_message_id)
    now = isoformat(utc_now())
    user = MessageRecord(
        session_id=session_id,
        message_id=user_id,
        owner_id=owner_id,
        role="user",
        content=body.content,
        status="complete",
        version=1,
        created_at=now,
        updated_at=now,
        asset_ids=tuple(body.asset_ids),
        completed_at=now,
    )
    replies: list[MessageRecord] = []

    def reserve(job_id: str) -> None:
        reply = dataclasses.replace(
            user,
            message_id=reply_id,
            role="assistant",
            content="",
            status="pending",
            asset_ids=(),
            job_id=job_id,
            completed_at=None,
        )
        stored = repository.append_turn(
            session,
            user,
            reply,
            since=int(time.time()),
            takeover=session.pending_reply_id is not None,
            stale_reply=stale,
        )
        if not stored:
            raise TurnMoved()
        replies.append(reply)

    accepted = ai_service.queue_turn(
        kind=CHAT_REPLY,
        owner_id=owner_id,
        target={"sessionId": session_id, "messageId": reply_id},
        reserve=reserve,
    )
    return MessagePosted(
        message=service.message_read(user),
        reply=service.message_read(replies[0]),
        job_id=accepted.job_id,
    )


def post_message(
    *, owner_id: str, session_id: str, body: MessageCreate, idempotency_key: str | None = None
) -> MessagePosted:
    """Store the owner's message and a pending reply in one transaction, then queue the reply.

    409 while another reply of the session is pending or when the session is full, 422 for an
    unusable asset, 429 over the AI quota; a replayed Idempotency-Key returns the first answer.
    """

    def create() -> MessagePosted:
        read = [service.owned_session(owner_id=owner_id, session_id=session_id)]
        _check_assets(owner_id, body.asset_ids)

        def attempt() -> MessagePosted:
            # The first attempt uses the session read above; a retry reads it again.
            if read:
                return _post_once(read.pop(), body)
            return _post_once(service.owned_session(owner_id=owner_id, session_id=session_id), body)

        # Another transaction on the session (a concurrent post) is the same as a moved turn:
        # read again, and a pending reply then answers 409.
        return retry_on_conflict(attempt, retry_on=(TurnMoved, WriteContention))

    return idempotent_create(
        scope=f"session-messages:{session_id}",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=MessagePosted,
    )


def regenerate_reply(*, owner_id: str, session_id: str, message_id: str) -> ReplyQueued:
    """Send the session's latest reply, finished or failed, back to pending for a new answer."""
    reply = service.owned_message(owner_id=owner_id, session_id=session_id, message_id=message_id)
    session = service.owned_session(owner_id=owner_id, session_id=session_id)
    if reply.role != "assistant" or session.last_message_id != message_id:
        raise NotRegenerable()
    if reply.status == "pending" and _stale_reply(session, owner_id) is None:
        raise NotRegenerable()
    restarted: list[MessageRecord] = []

    def reserve(job_id: str) -> None:
        if not repository.restart_reply(session, reply, job_id=job_id, since=int(time.time())):
            raise NotRegenerable()
        restarted.append(
            dataclasses.replace(
                reply,
                status="pending",
                content="",
                job_id=job_id,
                error=None,
                engine=None,
                model=None,
                usage=None,
                feedback=None,
                completed_at=None,
                version=reply.version + 1,
                updated_at=isoformat(utc_now()),
            )
        )

    accepted = ai_service.queue_turn(
        kind=CHAT_REPLY,
        owner_id=owner_id,
        target={"sessionId": session_id, "messageId": message_id},
        reserve=reserve,
    )
    return ReplyQueued(reply=service.message_read(restarted[0]), job_id=accepted.job_id)
