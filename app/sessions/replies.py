"""Chat replies as AI jobs: the kind, the conversation the worker builds, and the outcome."""

from __future__ import annotations

import dataclasses
import re
from typing import Final

from app.ai import service as ai_service
from app.core.observability import logger
from app.core.schemas import isoformat, utc_now
from app.sessions import grounding, repository, service
from app.sessions.exceptions import MessageNotFound
from app.sessions.schemas import MAX_ASSET_BYTES, MAX_CONTENT_CHARS, MAX_SYSTEM_CHARS

# Everything but the history: the template, project, files, instructions and message.
MAX_TURN_CHARS: Final = 50_000
TITLE_CHARS: Final = 60
DEFAULT_TITLE: Final = "New conversation"
_SPACE = re.compile(r"\s+")


def _queued_by_turn(_context: object) -> ai_service.Prompt:
    raise TypeError("chat replies are prompted when they run (run_prompt)")


def build_conversation(job: ai_service.JobRef) -> ai_service.Prompt:
    """Build the reply's prompt from the session as it is now: rules, grounding, history.

    Raises NotFound (the job then fails quietly) when the session is gone or the reply no longer
    waits for this job.
    """
    session_id, reply_id = job.target["sessionId"], job.target["messageId"]
    session = service.owned_session(owner_id=job.owner_id, session_id=session_id)
    reply = repository.get_message(session_id, reply_id, owner_id=job.owner_id)
    if reply is None or reply.job_id != job.job_id or reply.status != "pending":
        raise MessageNotFound("The reply no longer waits for this job.")
    window = grounding.history(owner_id=job.owner_id, session_id=session_id, reply_id=reply_id)
    project = None
    if session.project_id is not None:
        project = grounding.project_text(owner_id=job.owner_id, project_id=session.project_id)
    files = grounding.files_text(
        owner_id=job.owner_id,
        asset_ids=window.asset_ids,
        max_bytes=MAX_ASSET_BYTES,
    )
    prompt = ai_service.render_prompt(
        ai_service.load_template("app.sessions", "chat"),
        {
            "project": project,
            "files": files,
            "instructions": session.system,
            "message": window.current.content,
        },
        limits={
            "project": grounding.PROJECT_BUDGET_CHARS + 200,
            "files": grounding.FILES_BUDGET_CHARS + 400,
            "instructions": MAX_SYSTEM_CHARS,
            "message": MAX_CONTENT_CHARS,
        },
        max_chars=MAX_TURN_CHARS,
    )
    return dataclasses.replace(prompt, history=window.turns)


def summarise_title(text: str) -> str:
    """Return a short title from a message: its first words, one line, cut at a word."""
    words = _SPACE.sub(" ", text).strip()
    if len(words) <= TITLE_CHARS:
        return words or DEFAULT_TITLE
    head = words[: TITLE_CHARS - 1]
    if words[TITLE_CHARS - 1] != " " and " " in head:  # do not end on half a word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,.;:-") + "\u2026"


def _title_if_untitled(owner_id: str, session_id: str) -> None:
    session = repository.get_session(session_id, owner_id=owner_id)
    if session is None or session.title is not None:
        return
    oldest = repository.list_messages(
        session_id, owner_id=owner_id, limit=1, start_key=None, newest_first=False
    )
    if oldest.items:
        repository.set_title_if_untitled(session_id, summarise_title(oldest.items[0].content))


def apply_reply(job: ai_service.JobRef, output: ai_service.TextOutput) -> None:
    """Store the answer on the reply this job still owns; title an untitled session."""
    session_id, reply_id = job.target["sessionId"], job.target["messageId"]
    usage = {"inputTokens": job.input_tokens, "outputTokens": job.output_tokens}
    written = repository.end_reply(
        session_id,
        reply_id,
        job_id=job.job_id,
        status="complete",
        sets={"content": output.text, "engine": job.engine, "model": job.model, "usage": usage},
        now=isoformat(utc_now()),
    )
    if not written:
        # A redelivery, a newer regeneration or the session's delete got there first.
        logger.info("chat reply superseded", extra={"job_id": job.job_id})
        return
    _title_if_untitled(job.owner_id, session_id)


def fail_reply(job: ai_service.JobRef, error: dict[str, str]) -> None:
    """Mark the reply this job owns failed with the job's error; the session can go on."""
    repository.end_reply(
        job.target["sessionId"],
        job.target["messageId"],
        job_id=job.job_id,
        status="failed",
        sets={"error": {"code": error["code"], "message": error["message"]}},
        now=isoformat(utc_now()),
    )


CHAT_REPLY: ai_service.AiKind[object, ai_service.TextOutput] = ai_service.AiKind(
    name="chat_reply",
    output=None,
    prompt=_queued_by_turn,
    apply=apply_reply,
    max_tokens=2048,
    temperature=0.5,
    cached=False,
    run_prompt=build_conversation,
    on_failure=fail_reply,
)
