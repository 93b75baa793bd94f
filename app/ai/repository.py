"""DynamoDB access for AI job records; every status change is a conditional transition."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from app.ai.domain import AI_JOBS
from app.ai.exceptions import AiJobNotFound
from app.core.expressions import Changes
from app.core.records import Page
from app.core.schemas import isoformat, utc_now
from app.core.store import DynamoStore

if TYPE_CHECKING:
    from boto3.dynamodb.conditions import Attr, ConditionBase

TTL = AI_JOBS.ttl_attribute or "expiresAt"
# Internal stages; the API status is queued | running | succeeded | failed.
QUEUED, RUNNING, APPLYING, DONE = "queued", "running", "applying", "done"


@dataclass(frozen=True)
class AiJobRecord:
    """A stored job, without keys or index attributes."""

    job_id: str
    owner_id: str
    kind: str
    status: str
    stage: str
    system: str
    prompt: str
    max_tokens: int
    temperature: float
    cache_key: str
    created_at: str
    updated_at: str
    version: int
    target: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    engine: str | None = None
    model: str | None = None
    cached: bool = False
    attempt_id: str | None = None
    lease_expires_at: int | None = None
    started_at: str | None = None
    completed_at: str | None = None
    expires_at: int | None = None


def _to_item(record: AiJobRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "jobId": record.job_id,
        "ownerId": record.owner_id,
        "kind": record.kind,
        "status": record.status,
        "stage": record.stage,
        "system": record.system,
        "prompt": record.prompt,
        "maxTokens": record.max_tokens,
        "temperature": record.temperature,
        "cacheKey": record.cache_key,
        "target": record.target,
        "cached": record.cached,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
    }
    optional = {
        "result": record.result,
        "error": record.error,
        "engine": record.engine,
        "model": record.model,
        "attemptId": record.attempt_id,
        "leaseExpiresAt": record.lease_expires_at,
        "startedAt": record.started_at,
        "completedAt": record.completed_at,
        TTL: record.expires_at,
    }
    return item | {name: value for name, value in optional.items() if value is not None}


def _from_item(item: dict[str, Any]) -> AiJobRecord:
    return AiJobRecord(
        job_id=item["jobId"],
        owner_id=item["ownerId"],
        kind=item["kind"],
        status=item["status"],
        stage=item["stage"],
        system=item.get("system", ""),
        prompt=item.get("prompt", ""),
        max_tokens=int(item["maxTokens"]),
        temperature=float(item["temperature"]),
        cache_key=item["cacheKey"],
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        version=int(item["version"]),
        target=dict(item.get("target") or {}),
        result=item.get("result"),
        error=item.get("error"),
        engine=item.get("engine"),
        model=item.get("model"),
        cached=bool(item.get("cached", False)),
        attempt_id=item.get("attemptId"),
        lease_expires_at=int(item["leaseExpiresAt"]) if "leaseExpiresAt" in item else None,
        started_at=item.get("startedAt"),
        completed_at=item.get("completedAt"),
        expires_at=int(item[TTL]) if TTL in item else None,
    )


_store = DynamoStore(AI_JOBS, to_item=_to_item, from_item=_from_item, not_found=AiJobNotFound)


def create(record: AiJobRecord, *, retention_seconds: int) -> None:
    """Store a new queued job."""
    _store.put_new(replace(record, expires_at=int(time.time()) + retention_seconds))


def get(job_id: str, *, owner_id: str | None = None) -> AiJobRecord | None:
    """Return a job (the owner's only, when given), read consistently; None if absent."""
    return _store.get({"jobId": job_id}, owner=owner_id, consistent=True)


def list_page(*, owner_id: str, limit: int, start_key: dict[str, Any] | None) -> Page[AiJobRecord]:
    """Return one page of the owner's jobs, newest first."""
    return _store.query(owner_id, index="byOwner", limit=limit, start_key=start_key, owner=owner_id)


def _move(job_id: str, changes: Changes, condition: ConditionBase) -> bool:
    """Apply changes if the condition holds; return False (nothing written) when it does not."""
    return _store.try_update({"jobId": job_id}, changes, condition=condition) is not None


def _attr(name: str) -> Attr:
    # Imported when a condition is built: boto3.dynamodb.conditions loads all of boto3.
    from boto3.dynamodb.conditions import Attr

    return Attr(name)


def _owned_attempt(attempt_id: str) -> ConditionBase:
    return _attr("attemptId").eq(attempt_id) & _attr("status").eq(RUNNING)


def claim(job_id: str, *, attempt_id: str, lease_seconds: int) -> bool:
    """Move a queued job (or one whose runner died before applying) to running, for us."""
    now = int(time.time())
    changes = {
        "status": RUNNING,
        "stage": RUNNING,
        "attemptId": attempt_id,
        "leaseExpiresAt": now + lease_seconds,
        "startedAt": isoformat(utc_now()),
    }
    abandoned = (
        _attr("status").eq(RUNNING) & _attr("stage").eq(RUNNING) & _attr("leaseExpiresAt").lt(now)
    )
    return _move(job_id, Changes(set=changes), _attr("status").eq(QUEUED) | abandoned)


def save_result(
    job_id: str,
    *,
    attempt_id: str,
    result: dict[str, Any],
    engine: str | None,
    model: str | None,
    cached: bool,
) -> bool:
    """Store the validated result before it is applied; from here on the model never reruns."""
    sets: dict[str, Any] = {"stage": APPLYING, "result": result, "cached": cached}
    sets |= {"engine": engine, "model": model} if engine else {}
    return _move(job_id, Changes(set=sets), _owned_attempt(attempt_id))


def finish(
    job_id: str, *, attempt_id: str, status: str, error: dict[str, str] | None = None
) -> bool:
    """Move our running job to succeeded or failed."""
    sets: dict[str, Any] = {"status": status, "stage": DONE, "completedAt": isoformat(utc_now())}
    if error is not None:
        sets["error"] = error
    changes = Changes(set=sets, remove=("leaseExpiresAt",))
    return _move(job_id, changes, _owned_attempt(attempt_id))


def release(job_id: str, *, attempt_id: str) -> bool:
    """Give our claim back (before anything was applied) so a redelivery can run the job."""
    changes = Changes(
        set={"status": QUEUED, "stage": QUEUED}, remove=("attemptId", "leaseExpiresAt")
    )
    ours = _attr("attemptId").eq(attempt_id) & _attr("stage").eq(RUNNING)
    return _move(job_id, changes, ours)


def _failed(error: dict[str, str]) -> dict[str, Any]:
    return {"status": "failed", "stage": DONE, "error": error, "completedAt": isoformat(utc_now())}


def fail_interrupted(job_id: str, *, error: dict[str, str]) -> bool:
    """Fail a job whose runner died while applying: applying again could apply twice."""
    died = (
        _attr("status").eq(RUNNING)
        & _attr("stage").eq(APPLYING)
        & _attr("leaseExpiresAt").lt(int(time.time()))
    )
    return _move(job_id, Changes(set=_failed(error), remove=("leaseExpiresAt",)), died)


def fail_queued(job_id: str, *, error: dict[str, str]) -> bool:
    """Fail a job that never reached the queue."""
    return _move(job_id, Changes(set=_failed(error)), _attr("status").eq(QUEUED))
