"""Run one AI job exactly once: claim it, answer from the cache or the chain, validate, apply."""

from __future__ import annotations

import dataclasses
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from app.ai import cache, metrics, repository
from app.ai import exceptions as codes
from app.ai.exceptions import JobBusy, UnknownJobKind
from app.ai.kinds import AiKind, JobRef, get_kind
from app.ai.outputs import TextOutput
from app.ai.prompting import Prompt
from app.ai.providers import default_chain
from app.ai.providers.base import GenerationRequest, InvalidOutput, ProviderError
from app.ai.providers.chain import MIN_ATTEMPT_SECONDS, Deadline
from app.ai.repository import APPLYING, AiJobRecord
from app.core.config import get_settings
from app.core.errors import AppError, NotFound
from app.core.observability import logger

# A claim outlives the time budget by this much before another delivery may take the job over.
LEASE_MARGIN_SECONDS = 30
MAX_RESULT_BYTES = 200_000
_INTERRUPTED = "The job was interrupted while saving its result; run it again."


@dataclass(frozen=True)
class Outcome:
    """A validated output and where it came from."""

    output: BaseModel
    engine: str
    model: str
    cached: bool
    input_tokens: int = 0
    output_tokens: int = 0


def run_job(job_id: str) -> None:
    """Run a queued job; a finished job is left alone and a live claim raises JobBusy."""
    record = repository.get(job_id)
    log = {"job_id": job_id}
    if record is None:
        logger.warning("ai job not found", extra=log)
        return
    if record.status in ("succeeded", "failed"):
        logger.info("ai job already finished", extra={**log, "status": record.status})
        return
    if record.status == "running" and not _lease_expired(record):
        raise JobBusy(job_id)
    if record.status == "running" and record.stage == APPLYING:
        error = _error(codes.INTERRUPTED, _INTERRUPTED)
        if repository.fail_interrupted(job_id, error=error):
            _notify_failure(record, error)
        logger.error("ai job interrupted while applying", extra=log)
        return
    attempt_id = str(uuid.uuid4())
    lease = int(get_settings().ai_time_budget_seconds) + LEASE_MARGIN_SECONDS
    if not repository.claim(job_id, attempt_id=attempt_id, lease_seconds=lease):
        current = repository.get(job_id)
        if current is not None and current.status == "running":
            raise JobBusy(job_id)
        return
    _run_claimed(record, attempt_id)


def _lease_expired(record: AiJobRecord) -> bool:
    return record.lease_expires_at is None or record.lease_expires_at < int(time.time())


def _error(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _ref(record: AiJobRecord) -> JobRef:
    return JobRef(record.job_id, record.owner_id, record.kind, record.target)


def _notify_failure(record: AiJobRecord, error: dict[str, str]) -> None:
    """Tell the kind's owner that the job failed; a failing hook is logged, not raised."""
    try:
        hook = get_kind(record.kind).on_failure
        if hook is not None:
            hook(_ref(record), error)
    except UnknownJobKind:
        return
    except Exception:
        logger.exception("ai job failure hook failed", extra={"job_id": record.job_id})


def _failure(exc: Exception) -> dict[str, str] | None:
    """Return the job error an exception of the generation step ends the job with, if any."""
    if isinstance(exc, ProviderError):
        return _error(exc.code, exc.message)
    if isinstance(exc, UnknownJobKind):
        return _error(codes.UNKNOWN_KIND, "This kind of job is not supported.")
    if isinstance(exc, NotFound):  # a prompt built at run time found its target gone
        return _error(codes.TARGET_NOT_FOUND, "The object to update no longer exists.")
    return None


def _run_claimed(record: AiJobRecord, attempt_id: str) -> None:
    started = time.perf_counter()
    log = {"job_id": record.job_id, "kind": record.kind}

    def finish(status: str, error: dict[str, str] | None = None) -> None:
        finished = repository.finish(
            record.job_id, attempt_id=attempt_id, status=status, error=error
        )
        if finished and error is not None:
            _notify_failure(record, error)
        duration = (time.perf_counter() - started) * 1000
        code = error["code"] if error else None
        metrics.job_finished(record.kind, status, code, duration)
        logger.info(
            "ai job finished",
            extra={**log, "status": status, "code": code, "duration_ms": round(duration, 1)},
        )

    try:
        kind = get_kind(record.kind)
        outcome = _produce(record, kind)
    except Exception as exc:
        failure = _failure(exc)
        if failure is None:
            # Nothing was applied: give the claim back so that the redelivery can run the job.
            repository.release(record.job_id, attempt_id=attempt_id)
            raise
        finish("failed", failure)
        return
    result = outcome.output.model_dump(mode="json")
    if not repository.save_result(
        record.job_id,
        attempt_id=attempt_id,
        result=result,
        engine=outcome.engine,
        model=outcome.model,
        cached=outcome.cached,
    ):
        logger.warning("ai job claim lost before saving", extra=log)
        return
    error, stored = _apply(record, kind, outcome)
    if stored and not repository.save_result(
        record.job_id,
        attempt_id=attempt_id,
        result={**result, **stored},
        engine=outcome.engine,
        model=outcome.model,
        cached=outcome.cached,
    ):
        logger.warning("ai job claim lost after applying", extra=log)
        return
    finish("failed" if error else "succeeded", error)


def _apply(
    record: AiJobRecord, kind: AiKind[Any, Any], outcome: Outcome
) -> tuple[dict[str, str] | None, dict[str, Any]]:
    """Apply the output; return the error, if any, and what apply reports it stored."""
    if kind.apply is None:
        return None, {}
    output = outcome.output
    ref = dataclasses.replace(
        _ref(record),
        engine=outcome.engine,
        model=outcome.model,
        input_tokens=outcome.input_tokens,
        output_tokens=outcome.output_tokens,
    )
    try:
        stored = kind.apply(ref, output)
    except NotFound:
        return _error(codes.TARGET_NOT_FOUND, "The object to update no longer exists."), {}
    except AppError as exc:
        return _error(codes.APPLY_FAILED, exc.message), {}
    except Exception:
        logger.exception("ai job apply failed", extra={"job_id": record.job_id})
        return _error(codes.APPLY_FAILED, "The result could not be applied."), {}
    return None, dict(stored or {})


def _produce(record: AiJobRecord, kind: AiKind[Any, Any]) -> Outcome:
    output_model = kind.output or TextOutput
    entry = cache.get(record.cache_key) if kind.cached else None
    if entry is not None:
        try:
            output = output_model.model_validate(entry.result)
        except ValidationError:
            logger.warning("ai cache entry no longer valid", extra={"job_id": record.job_id})
        else:
            metrics.cache_hit(kind.name)
            return Outcome(output, entry.engine, entry.model, cached=True)
    prompt = Prompt(record.system, record.prompt)
    if kind.run_prompt is not None:
        prompt = kind.run_prompt(_ref(record))
    request = GenerationRequest(
        system=prompt.system,
        prompt=prompt.user,
        max_tokens=record.max_tokens,
        temperature=record.temperature,
        output_model=kind.output,
        history=prompt.history,
    )
    outcome = _generate(request, output_model, job_id=record.job_id)
    if not kind.cached:
        return outcome
    result = outcome.output.model_dump(mode="json")
    entry = cache.CacheEntry(result=result, engine=outcome.engine, model=outcome.model)
    cache.put(record.cache_key, entry, ttl_seconds=get_settings().ai_cache_ttl_seconds)
    return outcome


def _generate(request: GenerationRequest, output_model: type[BaseModel], *, job_id: str) -> Outcome:
    """Ask the chain; an invalid or oversized answer gets exactly one more try."""
    chain = default_chain()
    deadline = Deadline(get_settings().ai_time_budget_seconds)
    for attempt in (1, 2):
        try:
            answer = chain.generate(request, deadline=deadline, job_id=job_id)
            output = answer.data if answer.data is not None else _text(answer.text, answer.engine)
            if len(json.dumps(output.model_dump(mode="json"))) > MAX_RESULT_BYTES:
                raise InvalidOutput(answer.engine, "answer too large")
            if not isinstance(output, output_model):
                raise InvalidOutput(answer.engine, "answer of the wrong type")
            return Outcome(
                output,
                answer.engine,
                answer.model,
                cached=False,
                input_tokens=answer.input_tokens,
                output_tokens=answer.output_tokens,
            )
        except InvalidOutput as exc:
            if attempt == 2 or deadline.remaining() < MIN_ATTEMPT_SECONDS:
                raise
            logger.warning(
                "ai answer invalid; retrying once", extra={"job_id": job_id, "reason": exc.reason}
            )
    raise AssertionError("unreachable")  # pragma: no cover


def _text(text: str | None, engine: str) -> TextOutput:
    try:
        return TextOutput(text=text or "")
    except ValidationError as exc:
        raise InvalidOutput(engine, "text answer too large") from exc
