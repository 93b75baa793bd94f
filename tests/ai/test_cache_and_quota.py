"""The response cache answers repeats without a provider; the daily quota admits exactly N."""

from __future__ import annotations

import threading
import time
from collections import Counter

from fastapi.testclient import TestClient

from app.ai import quota
from app.core import aws
from app.core.dynamo import plain_item
from app.local.ai_emulator import AiEmulator
from tests.ai.conftest import SettingsOverride
from tests.ai.helpers import Drain, job, queue_text, run_queued
from tests.conftest import LoggedInUser


def test_identical_request_is_served_from_cache_without_provider_calls(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    first = queue_text(client, user, "What is a sprint?", temperature=0.1)
    run_queued(drain_queue)
    original = job(client, user, first)
    ai_emulator.reset()

    repeat = queue_text(client, user, "What is a sprint?", temperature=0.1)
    run_queued(drain_queue)
    cached = job(client, user, repeat)
    assert cached["status"] == "succeeded"
    assert cached["cached"] is True
    assert original["cached"] is False
    assert cached["result"] == original["result"]
    assert (cached["engine"], cached["model"]) == (original["engine"], original["model"])
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}


def test_changed_parameters_or_another_user_miss_the_cache(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    ai_emulator: AiEmulator,
    drain_queue: Drain,
) -> None:
    queue_text(client, user, "Define velocity", temperature=0.1)
    run_queued(drain_queue)
    ai_emulator.reset()
    jobs = [
        queue_text(client, user, "Define velocity", temperature=0.2),
        queue_text(client, other_user, "Define velocity", temperature=0.1),
    ]
    run_queued(drain_queue)
    assert job(client, user, jobs[0])["cached"] is False
    assert job(client, other_user, jobs[1])["cached"] is False
    assert ai_emulator.calls["bedrock"] == 2


def test_cached_structured_result_is_applied_again(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    goal = client.post(
        "/goals", json={"title": "Read 12 books", "category": "learning"}, headers=user.headers
    ).json()
    url = f"/goals/{goal['goalId']}/plan"
    client.post(url, json={}, headers=user.headers)
    run_queued(drain_queue)
    ai_emulator.reset()
    started = time.perf_counter()
    second = client.post(url, json={}, headers=user.headers).json()["jobId"]
    run_queued(drain_queue)
    elapsed = time.perf_counter() - started
    done = job(client, user, second)
    assert (done["status"], done["cached"]) == ("succeeded", True)
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()["plan"]
    assert elapsed < 2.0


def fill_quota(owner: str, used: int, limit: int) -> None:
    for _ in range(used):
        quota.consume(owner, limit=limit)


def test_over_quota_request_is_429_with_retry_after(
    client: TestClient, user: LoggedInUser, override_settings: SettingsOverride
) -> None:
    override_settings(ai_daily_quota="2")
    fill_quota(user.sub, 2, 2)
    response = client.post("/ai/generate", json={"prompt": "one more"}, headers=user.headers)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 86_400
    listed = client.get("/ai/jobs", headers=user.headers).json()["items"]
    assert listed == []


def test_twenty_concurrent_requests_for_the_last_slot_admit_exactly_one(
    client: TestClient, user: LoggedInUser, override_settings: SettingsOverride
) -> None:
    override_settings(ai_daily_quota="5")
    fill_quota(user.sub, 4, 5)
    statuses: Counter[int] = Counter()
    barrier = threading.Barrier(20)

    def request(n: int) -> None:
        barrier.wait()
        response = client.post("/ai/generate", json={"prompt": f"race {n}"}, headers=user.headers)
        statuses[response.status_code] += 1

    threads = [threading.Thread(target=request, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == Counter({202: 1, 429: 19})
    counter = plain_item(
        aws.table("counters").get_item(
            Key={"counterKey": quota.counter_key(user.sub)}, ConsistentRead=True
        )["Item"]
    )
    assert int(counter["count"]) == 5
    assert int(counter["expiresAt"]) > time.time() + 3600
    assert len(client.get("/ai/jobs", headers=user.headers).json()["items"]) == 1


def test_zero_quota_refuses_every_job(
    client: TestClient, user: LoggedInUser, override_settings: SettingsOverride
) -> None:
    override_settings(ai_daily_quota="0")
    assert (
        client.post("/ai/generate", json={"prompt": "x"}, headers=user.headers).status_code == 429
    )
