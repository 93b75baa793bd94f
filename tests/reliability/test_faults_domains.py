"""Faults inside the domains' multi-step writes: a clean 503, and no step left half-done."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff
from fastapi.testclient import TestClient

from app.core import aws, outbox
from app.core.config import get_settings
from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.reliability.faults import Fault, dynamodb_clients, inject
from tests.requirements.helpers import create_requirement

WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"})


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda *_: 0)


def _assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "service_unavailable"
    assert int(response.headers["retry-after"]) >= 1


def test_create_project_with_writes_throttled_is_503_and_creates_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    with inject(dynamodb_clients(), Fault(operations=WRITES)):
        response = client.post("/projects", json={"name": "Never"}, headers=user.headers)
    _assert_unavailable(response)
    assert client.get("/projects", headers=user.headers).json()["items"] == []


def test_idempotent_create_after_throttled_write_can_be_retried_with_same_key(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given the project write throttles while the idempotency record itself is stored fine
    headers = {**user.headers, "Idempotency-Key": f"k-{uuid.uuid4().hex}"}
    fault = Fault(operations=frozenset({"PutItem"}))
    with inject([aws.dynamodb().meta.client], fault):
        first = client.post("/projects", json={"name": "Once"}, headers=headers)
    _assert_unavailable(first)
    # When the client retries with the same key, the in-progress marker is gone: one project
    retry = client.post("/projects", json={"name": "Once"}, headers=headers)
    assert retry.status_code == 201, retry.text
    replay = client.post("/projects", json={"name": "Once"}, headers=headers)
    assert replay.json()["projectId"] == retry.json()["projectId"]
    assert len(client.get("/projects", headers=user.headers).json()["items"]) == 1


def test_idempotent_create_with_idempotency_store_down_is_503_and_creates_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    headers = {**user.headers, "Idempotency-Key": f"k-{uuid.uuid4().hex}"}
    with inject([aws.client("dynamodb")], Fault(code="InternalServerError", status=500)):
        response = client.post("/projects", json={"name": "Never"}, headers=headers)
    _assert_unavailable(response)
    assert client.get("/projects", headers=user.headers).json()["items"] == []


def test_update_project_with_write_throttled_is_503_and_keeps_version(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    path = f"/projects/{project['projectId']}"
    with inject(dynamodb_clients(), Fault(operations=WRITES)):
        response = client.patch(path, json={"version": 1, "name": "Changed"}, headers=user.headers)
    _assert_unavailable(response)
    after = client.get(path, headers=user.headers).json()
    assert (after["version"], after["name"]) == (1, project["name"])


def test_delete_project_with_queue_down_is_503_and_deletes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    requirement = create_requirement(client, user, project["projectId"])
    with inject([aws.client("sqs")], Fault(unreachable=True)):
        response = client.delete(f"/projects/{project['projectId']}", headers=user.headers)
    _assert_unavailable(response)
    assert client.get(f"/projects/{project['projectId']}", headers=user.headers).status_code == 200
    req_path = f"/projects/{project['projectId']}/requirements/{requirement['requirementId']}"
    assert client.get(req_path, headers=user.headers).status_code == 200


def test_delete_project_failing_after_event_sent_keeps_requirements(
    client: TestClient, user: LoggedInUser, drain_queue: Callable[[], Any]
) -> None:
    # Given the cascade event goes out but the project's own delete then throttles
    project = create_project(client, user)
    requirement = create_requirement(client, user, project["projectId"])
    with inject(dynamodb_clients(), Fault(operations=frozenset({"DeleteItem"}))):
        response = client.delete(f"/projects/{project['projectId']}", headers=user.headers)
    _assert_unavailable(response)
    # When the queue drains, the handler sees the project still there and deletes nothing
    drain_queue()
    req_path = f"/projects/{project['projectId']}/requirements/{requirement['requirementId']}"
    assert client.get(req_path, headers=user.headers).status_code == 200
    # And a retried delete then completes the whole cascade
    assert (
        client.delete(f"/projects/{project['projectId']}", headers=user.headers).status_code == 204
    )
    drain_queue()
    items = client.get(f"/projects/{project['projectId']}/requirements", headers=user.headers)
    assert items.status_code == 404
    leftovers = aws.table("requirements").query(
        KeyConditionExpression="projectId = :p",
        ExpressionAttributeValues={":p": project["projectId"]},
    )["Items"]
    assert leftovers == []


def test_create_requirement_with_writes_throttled_is_503_and_creates_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    path = f"/projects/{project['projectId']}/requirements"
    with inject(dynamodb_clients(), Fault(operations=WRITES)):
        response = client.post(
            path, json={"type": "functional", "title": "T"}, headers=user.headers
        )
    _assert_unavailable(response)
    assert client.get(path, headers=user.headers).json()["items"] == []


def _throttled_transaction() -> Fault:
    return Fault(operations=frozenset({"TransactWriteItems"}))


def test_add_progress_with_transaction_throttled_is_503_and_writes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    goal = client.post("/goals", json={"title": "Run", "targetValue": 10}, headers=user.headers)
    goal_path = f"/goals/{goal.json()['goalId']}"
    with inject(dynamodb_clients(), _throttled_transaction()):
        response = client.post(f"{goal_path}/progress", json={"value": 3}, headers=user.headers)
    _assert_unavailable(response)
    after = client.get(goal_path, headers=user.headers).json()
    assert (after["currentValue"], after["version"]) == (0, goal.json()["version"])
    assert client.get(f"{goal_path}/progress", headers=user.headers).json()["items"] == []


def test_add_progress_with_queue_down_commits_and_sweep_delivers_event(
    client: TestClient, user: LoggedInUser, drain_queue: Callable[[], Any]
) -> None:
    # Given the queue is unreachable when the progress is logged
    goal = client.post("/goals", json={"title": "Read", "targetValue": 5}, headers=user.headers)
    goal_path = f"/goals/{goal.json()['goalId']}"
    with inject([aws.client("sqs")], Fault(unreachable=True)):
        response = client.post(f"{goal_path}/progress", json={"value": 5}, headers=user.headers)
    # Then the change is committed and answered; its event waits in the outbox
    assert response.status_code == 201, response.text
    assert client.get(goal_path, headers=user.headers).json()["status"] == "completed"
    # And once the sweep runs and the queue drains, the summary counts it: nothing was lost
    outbox.sweep(older_than_seconds=0)
    drain_queue()
    summary = client.get("/goals/summary", headers=user.headers).json()
    assert (summary["progressEntries"], summary["completedGoals"]) == (1, 1)


def test_join_waitlist_with_transaction_throttled_is_503_and_adds_nobody(
    client: TestClient,
) -> None:
    email = f"throttled-{uuid.uuid4().hex[:10]}@example.com"
    with inject(dynamodb_clients(), _throttled_transaction()):
        response = client.post("/waitlist", json={"email": email})
    _assert_unavailable(response)
    # The retry is a first join (201), not a repeat (200): the failed call left nothing behind
    assert client.post("/waitlist", json={"email": email}).status_code == 201


@pytest.fixture
def ai_quota_of_one(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AI_DAILY_QUOTA", "1")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.usefixtures("ai_quota_of_one")
def test_ai_job_with_queue_down_is_503_fails_job_and_refunds_quota(
    client: TestClient, user: LoggedInUser
) -> None:
    with inject([aws.client("sqs")], Fault(unreachable=True)):
        response = client.post("/ai/generate", json={"prompt": "Hi"}, headers=user.headers)
    assert response.status_code == 503, response.text
    assert response.json()["error"]["code"] == "ai_unavailable"
    assert response.headers["retry-after"]
    # The recorded job is failed, not left queued forever
    jobs = client.get("/ai/jobs", headers=user.headers).json()["items"]
    assert [job["status"] for job in jobs] == ["failed"]
    # And the quota of one was given back: the next job is accepted, the one after is 429
    assert (
        client.post("/ai/generate", json={"prompt": "Hi"}, headers=user.headers).status_code == 202
    )
    over = client.post("/ai/generate", json={"prompt": "Again"}, headers=user.headers)
    assert over.status_code == 429 and over.headers["retry-after"]


@pytest.mark.usefixtures("ai_quota_of_one")
def test_ai_job_with_job_table_throttled_is_503_and_refunds_quota(
    client: TestClient, user: LoggedInUser
) -> None:
    fault = Fault(
        operations=frozenset({"PutItem", "TransactWriteItems"}),
        tables=frozenset({get_settings().table_name("ai-jobs")}),
    )
    with inject(dynamodb_clients(), fault):
        response = client.post("/ai/generate", json={"prompt": "Hi"}, headers=user.headers)
    _assert_unavailable(response)
    assert client.get("/ai/jobs", headers=user.headers).json()["items"] == []
    assert (
        client.post("/ai/generate", json={"prompt": "Hi"}, headers=user.headers).status_code == 202
    )
