"""Queue one AI job: take a quota unit, record the job, enqueue it, idempotently."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.ai import cache, metrics, quota, repository
from app.ai.exceptions import AI_UNAVAILABLE, AiQuotaExceeded, AiUnavailable
from app.ai.kinds import AiKind, JobRef
from app.ai.prompting import Prompt
from app.ai.repository import QUEUED, AiJobRecord
from app.ai.schemas import AiJobAccepted
from app.core import jobs
from app.core.config import get_settings
from app.core.idempotency import run_idempotent
from app.core.observability import logger
from app.core.schemas import isoformat, utc_now

JOB_TYPE = "ai.job"
# The cache key of a job that never uses the cache.
UNCACHED = "uncached"


def submit(
    *,
    owner_id: str,
    kind: AiKind[Any, Any],
    prompt: Prompt,
    target: Mapping[str, str] | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
    idempotency_key: str | None = None,
) -> AiJobAccepted:
    """Take one of the caller's daily jobs, record a queued job and enqueue it.

    Raises AiQuotaExceeded (429) over quota and AiUnavailable (503) if it cannot be queued.
    """
    settings = get_settings()
    tokens = max_tokens or kind.max_tokens
    heat = kind.temperature if temperature is None else temperature
    key = cache.cache_key(
        owner_id=owner_id,
        kind=kind.name,
        models=(settings.bedrock_model_id, settings.gemini_model),
        system=prompt.system,
        prompt=prompt.user,
        params={"maxTokens": tokens, "temperature": heat},
        schema=kind.output.model_json_schema() if kind.output else None,
    )
    now = isoformat(utc_now())
    record = AiJobRecord(
        job_id="",
        owner_id=owner_id,
        kind=kind.name,
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
        scope=f"ai-{kind.name}",
        owner=owner_id,
        key=idempotency_key,
        request={"kind": kind.name, "target": record.target, "cacheKey": key},
        create=create,
    )
    return AiJobAccepted.model_validate(result)


def queue_turn(
    *,
    owner_id: str,
    kind: AiKind[Any, Any],
    target: Mapping[str, str],
    reserve: Callable[[str], None],
) -> AiJobAccepted:
    """Queue a job whose prompt the worker builds when it runs (a conversation turn).

    Takes one of the caller's daily jobs, then lets the caller store its side under the new
    job's id (`reserve`; if it raises, the quota unit is given back and nothing is queued), then
    records and enqueues the job. Never idempotent by key here: the caller's create is.
    """
    if kind.run_prompt is None:
        raise TypeError(f"kind {kind.name!r} has no run_prompt")
    now = isoformat(utc_now())
    template = AiJobRecord(
        job_id="",
        owner_id=owner_id,
        kind=kind.name,
        status="queued",
        stage=QUEUED,
        system="",
        prompt="",
        max_tokens=kind.max_tokens,
        temperature=kind.temperature,
        cache_key=UNCACHED,
        created_at=now,
        updated_at=now,
        version=1,
        target=dict(target),
    )
    return _queue(template, reserve=reserve, on_failure=kind.on_failure)


def _queue(
    template: AiJobRecord,
    *,
    reserve: Callable[[str], None] | None = None,
    on_failure: Callable[[JobRef, dict[str, str]], None] | None = None,
) -> AiJobAccepted:
    settings = get_settings()
    try:
        quota.consume(template.owner_id, limit=settings.ai_daily_quota)
    except AiQuotaExceeded:
        metrics.quota_rejected()
        raise
    record = dataclasses.replace(template, job_id=str(uuid.uuid4()))
    error = {"code": AI_UNAVAILABLE, "message": "The job could not be queued."}

    def give_back(reserved: bool) -> None:
        quota.refund(record.owner_id)
        if reserved and on_failure is not None:
            on_failure(JobRef(record.job_id, record.owner_id, record.kind, record.target), error)

    try:
        if reserve is not None:
            reserve(record.job_id)
    except Exception:
        give_back(reserved=False)
        raise
    try:
        repository.create(record, retention_seconds=settings.ai_job_retention_days * 86_400)
    except Exception:
        give_back(reserved=True)
        raise
    try:
        jobs.enqueue(JOB_TYPE, {"jobId": record.job_id}, event_id=record.job_id)
    except (ClientError, BotoCoreError) as exc:
        logger.exception("ai job not queued", extra={"job_id": record.job_id})
        repository.fail_queued(record.job_id, error=error)
        give_back(reserved=True)
        raise AiUnavailable() from exc
    metrics.job_requested(record.kind)
    logger.info("ai job queued", extra={"job_id": record.job_id, "kind": record.kind})
    return AiJobAccepted(job_id=record.job_id, status="queued")
