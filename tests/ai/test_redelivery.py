"""Re-delivered ai.job messages neither run the model again nor apply the result again."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ai import repository
from app.core import jobs
from app.local.ai_emulator import AiEmulator
from tests.ai.helpers import Drain, create_project, deliver, job, run_queued
from tests.conftest import LoggedInUser


@pytest.fixture
def unsent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Keep jobs off the real queue, so each test delivers its messages itself."""
    sent: list[dict[str, Any]] = []

    def keep(_type: str, payload: dict[str, Any], **_: Any) -> str:
        sent.append(payload)
        return "kept"

    monkeypatch.setattr(jobs, "enqueue", keep)
    return sent


def generate_requirements(client: TestClient, user: LoggedInUser) -> tuple[str, str]:
    project = create_project(client, user)
    url = f"/projects/{project['projectId']}/requirements/generate"
    response = client.post(url, json={}, headers=user.headers)
    assert response.status_code == 202, response.text
    return project["projectId"], response.json()["jobId"]


def requirement_count(client: TestClient, user: LoggedInUser, project_id: str) -> int:
    page = client.get(f"/projects/{project_id}/requirements?limit=100", headers=user.headers)
    return len(page.json()["items"])


def test_redelivered_finished_job_runs_and_applies_nothing(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    project_id, job_id = generate_requirements(client, user)
    run_queued(drain_queue)
    stored = requirement_count(client, user, project_id)
    finished = job(client, user, job_id)
    ai_emulator.reset()

    for _ in range(2):
        assert deliver(job_id)["batchItemFailures"] == []
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert requirement_count(client, user, project_id) == stored
    assert job(client, user, job_id) == finished


def test_concurrent_deliveries_run_the_model_once(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    unsent: list[dict[str, Any]],
) -> None:
    project_id, job_id = generate_requirements(client, user)
    assert unsent == [{"jobId": job_id}]
    barrier = threading.Barrier(5)
    results: list[dict[str, Any]] = []

    def deliver_together() -> None:
        barrier.wait()
        results.append(deliver(job_id))

    threads = [threading.Thread(target=deliver_together) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Deliveries that found the job in flight ask SQS to retry later; they finish as no-ops.
    retried = [r for r in results if r["batchItemFailures"]]
    for _ in retried:
        assert deliver(job_id)["batchItemFailures"] == []
    assert ai_emulator.calls["bedrock"] == 1
    done = job(client, user, job_id)
    assert done["status"] == "succeeded"
    assert requirement_count(client, user, project_id) == len(done["result"]["requirements"])


def test_delivery_during_a_live_claim_is_retried_later(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    unsent: list[dict[str, Any]],
) -> None:
    _, job_id = generate_requirements(client, user)
    assert repository.claim(job_id, attempt_id="other-runner", lease_seconds=60)
    result = deliver(job_id)
    assert len(result["batchItemFailures"]) == 1
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert job(client, user, job_id)["status"] == "running"


def test_job_whose_runner_died_before_saving_is_taken_over(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    unsent: list[dict[str, Any]],
) -> None:
    project_id, job_id = generate_requirements(client, user)
    assert repository.claim(job_id, attempt_id="dead-runner", lease_seconds=-1)
    assert deliver(job_id)["batchItemFailures"] == []
    done = job(client, user, job_id)
    assert done["status"] == "succeeded"
    assert ai_emulator.calls["bedrock"] == 1
    assert requirement_count(client, user, project_id) == len(done["result"]["requirements"])


def test_job_whose_runner_died_while_applying_fails_instead_of_applying_twice(
    client: TestClient,
    user: LoggedInUser,
    ai_emulator: AiEmulator,
    unsent: list[dict[str, Any]],
) -> None:
    project_id, job_id = generate_requirements(client, user)
    assert repository.claim(job_id, attempt_id="dead-runner", lease_seconds=-1)
    assert repository.save_result(
        job_id, attempt_id="dead-runner", result={"x": 1}, engine="bedrock", model="m", cached=False
    )
    assert deliver(job_id)["batchItemFailures"] == []
    done = job(client, user, job_id)
    assert (done["status"], done["error"]["code"]) == ("failed", "interrupted")
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
    assert requirement_count(client, user, project_id) == 0


def test_message_for_a_missing_job_is_dropped(ai_emulator: AiEmulator) -> None:
    assert deliver("00000000-0000-4000-8000-000000000000")["batchItemFailures"] == []
    assert ai_emulator.calls == {"bedrock": 0, "gemini": 0}
