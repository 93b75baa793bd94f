"""AI storage on the record store: job transitions, cache overwrite and expiry, quota refunds."""

from __future__ import annotations

import time
import uuid

import pytest

from app.ai import cache, quota, repository
from app.ai.exceptions import AiQuotaExceeded
from app.ai.repository import AiJobRecord
from app.core import aws
from app.core.dynamo import plain_item


def _queued_job(owner: str) -> str:
    job_id = str(uuid.uuid4())
    now = "2026-01-01T00:00:00.000000Z"
    record = AiJobRecord(
        job_id=job_id,
        owner_id=owner,
        kind="text",
        status="queued",
        stage="queued",
        system="s",
        prompt="p",
        max_tokens=10,
        temperature=0.5,
        cache_key="k",
        created_at=now,
        updated_at=now,
        version=1,
    )
    repository.create(record, retention_seconds=3600)
    return job_id


def test_job_moves_only_for_the_attempt_that_claimed_it() -> None:
    # Given a queued job claimed by one attempt
    job_id = _queued_job(f"u-{uuid.uuid4()}")
    assert not repository.finish(job_id, attempt_id="a", status="succeeded")
    assert repository.claim(job_id, attempt_id="a", lease_seconds=60)
    # When another attempt claims, releases or finishes it, nothing is written
    assert not repository.claim(job_id, attempt_id="b", lease_seconds=60)
    assert not repository.release(job_id, attempt_id="b")
    assert not repository.finish(job_id, attempt_id="b", status="succeeded")
    # Then only its own attempt finishes it, which drops the lease and counts a version
    assert repository.finish(job_id, attempt_id="a", status="failed", error={"code": "x"})
    done = repository.get(job_id)
    assert done is not None
    assert (done.status, done.stage, done.version) == ("failed", "done", 3)
    assert done.error == {"code": "x"}
    assert done.lease_expires_at is None and done.started_at and done.completed_at
    assert not repository.fail_queued(job_id, error={"code": "y"})


def test_released_job_can_be_claimed_again_and_fail_queued_only_while_queued() -> None:
    job_id = _queued_job(f"u-{uuid.uuid4()}")
    assert repository.claim(job_id, attempt_id="a", lease_seconds=60)
    assert repository.release(job_id, attempt_id="a")
    released = repository.get(job_id)
    assert released is not None
    assert released.status == "queued"
    assert released.attempt_id is None and released.lease_expires_at is None
    assert repository.fail_queued(job_id, error={"code": "ai_unavailable"})
    assert not repository.claim(job_id, attempt_id="b", lease_seconds=60)


def test_create_job_sets_retention_ttl() -> None:
    job_id = _queued_job(f"u-{uuid.uuid4()}")
    item = plain_item(aws.table("ai-jobs").get_item(Key={"jobId": job_id})["Item"])
    assert abs(int(item["expiresAt"]) - (time.time() + 3600)) < 60
    assert item["cached"] is False and "result" not in item and "attemptId" not in item


def test_cache_put_replaces_expired_entry() -> None:
    # Given an entry past its TTL that DynamoDB has not deleted yet
    key = f"key-{uuid.uuid4()}"
    old = cache.CacheEntry(result={"text": "old"}, engine="bedrock", model="m1")
    cache.put(key, old, ttl_seconds=60)
    table = aws.table("ai-cache")
    table.update_item(
        Key={"cacheKey": key},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": int(time.time()) - 1},
    )
    assert cache.get(key) is None
    # When a fresh result is cached under the same key, Then it is served
    new = cache.CacheEntry(result={"text": "new", "score": 0.5}, engine="gemini", model="m2")
    cache.put(key, new, ttl_seconds=60)
    assert cache.get(key) == new


def _count(key: dict[str, str]) -> int:
    item = aws.table("counters").get_item(Key=key, ConsistentRead=True)["Item"]
    return int(plain_item(item)["count"])


def test_quota_refund_gives_back_one_and_never_goes_below_zero(
    caplog: pytest.LogCaptureFixture,
) -> None:
    owner = f"u-{uuid.uuid4()}"
    key = {"counterKey": quota.counter_key(owner)}
    quota.consume(owner, limit=2)
    quota.consume(owner, limit=2)
    quota.refund(owner)
    assert _count(key) == 1
    quota.refund(owner)
    with caplog.at_level("WARNING"):
        quota.refund(owner)
    assert _count(key) == 0
    assert "ai quota refund failed" in caplog.text
    quota.consume(owner, limit=2)
    quota.consume(owner, limit=2)
    with pytest.raises(AiQuotaExceeded):
        quota.consume(owner, limit=2)
