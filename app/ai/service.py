"""The ai domain's public service: jobs of every kind are submitted, read and run through here.

Other domains register their own kinds (output schema + apply step) with `register_kind` at
import time, build prompts from their own templates with `render_prompt`, and call
`submit_job`. The ai domain imports no other domain.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.ai import cache, kinds, metrics, quota, repository, runner
from app.ai.exceptions import AI_UNAVAILABLE, AiJobNotFound, AiQuotaExceeded, AiUnavailable
from app.ai.kinds import JobRef, register_kind
from app.ai.outputs import CodeOutput, GeneratedOutput
from app.ai.prompting import Prompt, fence, load_template, render
from app.ai.repository import QUEUED, AiJobRecord
from app.ai.schemas import (
    MAX_PROMPT_CHARS,
    MAX_SYSTEM_CHARS,
    AiJobAccepted,
    AiJobRead,
    CodeGenerateRequest,
    GenerateInstructions,
    JobError,
    TextGenerateRequest,
)
from app.core import jobs
from app.core.config import get_settings
from app.core.idempotency import run_idempotent
from app.core.observability import logger
from app.core.pagination import decode_cursor, encode_cursor
from app.core.schemas import Page, isoformat, utc_now

__all__ = [
    "JOB_TYPE",
    "AiJobAccepted",
    "GenerateInstructions",
    "GeneratedOutput",
    "JobRef",
    "Prompt",
    "fence",
    "get_job",
    "job_path",
    "list_jobs",
    "load_template",
    "register_context",
    "register_kind",
    "render_prompt",
    "run_job",
    "submit_code",
    "submit_job",
    "submit_text",
]

JOB_TYPE = "ai.job"
ContextLoader = Callable[[str, str], Mapping[str, object]]
_context_loaders: dict[str, ContextLoader] = {}
render_prompt = render
run_job = runner.run_job

register_kind("text", None, max_tokens=1024, temperature=0.7)
register_kind("code", CodeOutput, max_tokens=4096, temperature=0.2)


def register_context(name: str, loader: ContextLoader) -> None:
    """Let a domain give owner-checked context for an id, e.g. "projectId" for code jobs.

    The loader takes (owner_id, object_id) and raises NotFound unless the owner has it.
    """
    _context_loaders[name] = loader


def submit_job(
    *,
    owner_id: str,
    kind: str,
    prompt: Prompt,
    target: Mapping[str, str] | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    idempotency_key: str | None = None,
) -> AiJobAccepted:
    """Take one of the caller's daily jobs, record a queued job and enqueue it.

    Raises AiQuotaExceeded (429) over quota and AiUnavailable (503) if it cannot be queued.
    """
    spec = kinds.get_kind(kind)
    settings = get_settings()
    tokens = max_tokens or spec.max_tokens
    heat = spec.temperature if temperature is None else temperature
    key = cache.cache_key(
        owner_id=owner_id,
        kind=kind,
        models=(settings.bedrock_model_id, settings.gemini_model),
        system=prompt.system,
        prompt=prompt.user,
        params={"maxTokens": tokens, "temperature": heat},
        schema=spec.output_model.model_json_schema() if spec.output_model else None,
    )
    now = isoformat(utc_now())
    record = AiJobRecord(
        job_id="",
        owner_id=owner_id,
        kind=kind,
        status="queued",
        stage=QUEUED,
        system=prompt.system,
        prompt=prompt.user,
        max_tokens=tokens,
        temperature=heat,
        cache_key=key,
        created_at=now,
        updated_at=now,
        version=1,
        target=dict(target or {}),
    )

    def create() -> dict[str, Any]:
        return _queue(record).model_dump(mode="json")

    result = run_idempotent(
        scope=f"ai-{kind}",
        owner=owner_id,
        key=idempotency_key,
        request={"kind": kind, "target": record.target, "cacheKey": key},
        create=create,
    )
    return AiJobAccepted.model_validate(result)


def _queue(template: AiJobRecord) -> AiJobAccepted:
    settings = get_settings()
    try:
        quota.consume(template.owner_id, limit=settings.ai_daily_quota)
    except AiQuotaExceeded:
        metrics.quota_rejected()
        raise
    record = dataclasses.replace(template, job_id=str(uuid.uuid4()))
    try:
        repository.create(record, retention_seconds=settings.ai_job_retention_days * 86_400)
    except Exception:
        quota.refund(record.owner_id)
        raise
    try:
        jobs.enqueue(JOB_TYPE, {"jobId": record.job_id}, event_id=record.job_id)
    except (ClientError, BotoCoreError) as exc:
        logger.exception("ai job not queued", extra={"job_id": record.job_id})
        error = {"code": AI_UNAVAILABLE, "message": "The job could not be queued."}
        repository.fail_queued(record.job_id, error=error)
        quota.refund(record.owner_id)
        raise AiUnavailable() from exc
    metrics.job_requested(record.kind)
    logger.info("ai job queued", extra={"job_id": record.job_id, "kind": record.kind})
    return AiJobAccepted(job_id=record.job_id, status="queued")


def submit_text(
    *, owner_id: str, body: TextGenerateRequest, idempotency_key: str | None = None
) -> AiJobAccepted:
    """Queue a free-text job."""
    prompt = render(
        load_template("app.ai", "text"),
        {"prompt": body.prompt, "instructions": body.system},
        limits={"prompt": MAX_PROMPT_CHARS, "instructions": MAX_SYSTEM_CHARS},
    )
    return submit_job(
        owner_id=owner_id,
        kind="text",
        prompt=prompt,
        max_tokens=body.max_tokens,
        temperature=body.temperature,
        idempotency_key=idempotency_key,
    )


def submit_code(
    *, owner_id: str, body: CodeGenerateRequest, idempotency_key: str | None = None
) -> AiJobAccepted:
    """Queue a code job; a projectId must be one of the caller's projects (404 otherwise)."""
    project: Mapping[str, object] | None = None
    target: dict[str, str] = {}
    if body.project_id is not None:
        loader = _context_loaders.get("projectId")
        if loader is None:
            raise AiJobNotFound("Project not found.")
        project = loader(owner_id, body.project_id)
        target = {"projectId": body.project_id}
    prompt = render(
        load_template("app.ai", "code"),
        {"language": body.language, "specification": body.specification, "project": project},
        limits={"specification": MAX_PROMPT_CHARS},
    )
    return submit_job(
        owner_id=owner_id,
        kind="code",
        prompt=prompt,
        target=target,
        idempotency_key=idempotency_key,
    )


def job_path(job_id: str) -> str:
    """Return the path a client polls for a job."""
    return f"/ai/jobs/{job_id}"


def to_read(record: AiJobRecord) -> AiJobRead:
    """Convert a stored job to its API model; results show only once the job succeeded."""
    succeeded = record.status == "succeeded"
    return AiJobRead(
        job_id=record.job_id,
        kind=record.kind,
        status=record.status,
        result=record.result if succeeded else None,
        error=JobError(**record.error) if record.error else None,
        engine=record.engine,
        model=record.model,
        cached=record.cached,
        target=record.target or None,
        created_at=record.created_at,
        updated_at=record.updated_at,
        completed_at=record.completed_at,
    )


def get_job(*, owner_id: str, job_id: str) -> AiJobRead:
    """Return one of the owner's jobs."""
    record = repository.get(job_id, owner_id=owner_id)
    if record is None:
        raise AiJobNotFound()
    return to_read(record)


def list_jobs(*, owner_id: str, limit: int, cursor: str | None) -> Page[AiJobRead]:
    """Return a page of the owner's jobs, newest first."""
    start_key = decode_cursor(cursor, owner=owner_id, scope="ai-jobs")
    page = repository.list_page(owner_id=owner_id, limit=limit, start_key=start_key)
    return Page[AiJobRead](
        items=[to_read(record) for record in page.records],
        next_cursor=encode_cursor(page.last_key, owner=owner_id, scope="ai-jobs"),
    )
