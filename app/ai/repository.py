"""DynamoDB access for AI job records; every status change is a conditional transition."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.ai.domain import AI_JOBS
from app.core import aws, dynamo
from app.core.schemas import isoformat, utc_now

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

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
    completed_at: str | None = None


@dataclass(frozen=True)
class RecordPage:
    """One page of records and the key to continue from."""

    records: list[AiJobRecord]
    last_key: dict[str, Any] | None


def _table() -> Table:
    return aws.table(AI_JOBS.name)


def _to_record(item: dict[str, Any]) -> AiJobRecord:
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
        completed_at=item.get("completedAt"),
    )


def create(record: AiJobRecord, *, retention_seconds: int) -> None:
    """Store a new queued job."""
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
        "cached": False,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
        TTL: int(time.time()) + retention_seconds,
    }
    dynamo.put_new(_table(), item, key_attribute="jobId")


def get(job_id: str, *, owner_id: str | None = None) -> AiJobRecord | None:
    """Return a job (the owner's only, when given), read consistently; None if absent."""
    item = _table().get_item(Key={"jobId": job_id}, ConsistentRead=True).get("Item")
    if item is None or dynamo.is_expired(item, TTL):
        return None
    if owner_id is not None and item.get("ownerId") != owner_id:
        return None
    return _to_record(dynamo.plain_item(item))


def list_page(*, owner_id: str, limit: int, start_key: dict[str, Any] | None) -> RecordPage:
    """Return one page of the owner's jobs, newest first."""
    page = dynamo.query_page(
        _table(),
        hash_key="ownerId",
        hash_value=owner_id,
        index="byOwner",
        limit=limit,
        start_key=start_key,
    )
    return RecordPage(records=[_to_record(item) for item in page.items], last_key=page.last_key)


def _update(
    job_id: str,
    *,
    sets: dict[str, Any],
    removals: tuple[str, ...] = (),
    condition: str,
    values: dict[str, Any],
) -> bool:
    """SET/REMOVE attributes if the condition holds; return False when it does not."""
    names = {f"#s{i}": name for i, name in enumerate(sets)}
    names |= {f"#r{i}": name for i, name in enumerate(removals)}
    names |= {"#version": "version", "#updatedAt": "updatedAt"}
    names |= {key: value for key, value in _CONDITION_NAMES.items() if key in condition}
    expression_values = {f":s{i}": dynamo.to_dynamo(v) for i, v in enumerate(sets.values())}
    expression_values |= {":one": 1, ":now": isoformat(utc_now()), **values}
    expression = "SET #updatedAt = :now"
    expression += "".join(f", #s{i} = :s{i}" for i in range(len(sets)))
    if removals:
        expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(removals)))
    expression += " ADD #version :one"
    try:
        _table().update_item(
            Key={"jobId": job_id},
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=expression_values,
        )
    except ClientError as exc:
        if dynamo.is_conditional_failure(exc):
            return False
        raise
    return True


_CONDITION_NAMES = {
    "#status": "status",
    "#stage": "stage",
    "#attempt": "attemptId",
    "#lease": "leaseExpiresAt",
}
_OWNED_ATTEMPT = "#attempt = :attempt AND #status = :running"


def claim(job_id: str, *, attempt_id: str, lease_seconds: int) -> bool:
    """Move a queued job (or one whose runner died before applying) to running, for us."""
    now = int(time.time())
    return _update(
        job_id,
        sets={
            "status": RUNNING,
            "stage": RUNNING,
            "attemptId": attempt_id,
            "leaseExpiresAt": now + lease_seconds,
            "startedAt": isoformat(utc_now()),
        },
        condition=(
            "#status = :queued OR (#status = :running AND #stage = :running AND #lease < :epoch)"
        ),
        values={":queued": QUEUED, ":running": RUNNING, ":epoch": now},
    )


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
    return _update(
        job_id,
        sets=sets,
        condition=_OWNED_ATTEMPT,
        values={":attempt": attempt_id, ":running": RUNNING},
    )


def finish(
    job_id: str, *, attempt_id: str, status: str, error: dict[str, str] | None = None
) -> bool:
    """Move our running job to succeeded or failed."""
    sets: dict[str, Any] = {"status": status, "stage": DONE, "completedAt": isoformat(utc_now())}
    if error is not None:
        sets["error"] = error
    return _update(
        job_id,
        sets=sets,
        removals=("leaseExpiresAt",),
        condition=_OWNED_ATTEMPT,
        values={":attempt": attempt_id, ":running": RUNNING},
    )


def release(job_id: str, *, attempt_id: str) -> bool:
    """Give our claim back (before anything was applied) so a redelivery can run the job."""
    return _update(
        job_id,
        sets={"status": QUEUED, "stage": QUEUED},
        removals=("attemptId", "leaseExpiresAt"),
        condition="#attempt = :attempt AND #stage = :running",
        values={":attempt": attempt_id, ":running": RUNNING},
    )


def _failed(error: dict[str, str]) -> dict[str, Any]:
    return {"status": "failed", "stage": DONE, "error": error, "completedAt": isoformat(utc_now())}


def fail_interrupted(job_id: str, *, error: dict[str, str]) -> bool:
    """Fail a job whose runner died while applying: applying again could apply twice."""
    return _update(
        job_id,
        sets=_failed(error),
        removals=("leaseExpiresAt",),
        condition="#status = :running AND #stage = :applying AND #lease < :epoch",
        values={":running": RUNNING, ":applying": APPLYING, ":epoch": int(time.time())},
    )


def fail_queued(job_id: str, *, error: dict[str, str]) -> bool:
    """Fail a job that never reached the queue."""
    return _update(
        job_id,
        sets=_failed(error),
        condition="#status = :queued",
        values={":queued": QUEUED},
    )
