"""Idempotent creates: replays return the first response, a changed body is refused."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core import idempotency
from app.core.errors import Conflict
from app.projects import repository, service
from app.projects.schemas import ProjectCreate
from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT


def _post(client: TestClient, user: LoggedInUser, key: str, body: dict[str, Any]) -> Any:
    return client.post("/projects", json=body, headers={**user.headers, "Idempotency-Key": key})


def _listed(client: TestClient, user: LoggedInUser) -> list[str]:
    items = client.get("/projects", headers=user.headers).json()["items"]
    return [p["projectId"] for p in items]


def test_create_project_replay_returns_first_response(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a create with a key
    key = str(uuid.uuid4())
    first = _post(client, user, key, FULL_PROJECT)
    assert first.status_code == 201, first.text
    # When the same request is sent again
    replay = _post(client, user, key, FULL_PROJECT)
    # Then it gets the same answer and nothing new exists
    assert replay.status_code == 201
    assert replay.json() == first.json()
    assert _listed(client, user) == [first.json()["projectId"]]


def test_create_project_replay_with_other_body_conflicts(
    client: TestClient, user: LoggedInUser
) -> None:
    key = str(uuid.uuid4())
    first = _post(client, user, key, {"name": "First"})
    assert first.status_code == 201
    response = _post(client, user, key, {"name": "Second"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert _listed(client, user) == [first.json()["projectId"]]


def test_create_project_same_key_other_user_is_separate(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Keys are scoped to the caller: the same key from someone else is a different request
    key = str(uuid.uuid4())
    mine = _post(client, user, key, {"name": "Same"})
    theirs = _post(client, other_user, key, {"name": "Same"})
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["projectId"] != theirs.json()["projectId"]
    assert _listed(client, other_user) == [theirs.json()["projectId"]]


def test_create_project_without_key_creates_each_time(
    client: TestClient, user: LoggedInUser
) -> None:
    for _ in range(2):
        assert client.post("/projects", json={"name": "P"}, headers=user.headers).status_code == 201
    assert len(_listed(client, user)) == 2


def test_create_project_concurrently_with_same_key_creates_one(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given two requests with one key, released at the same moment
    key = str(uuid.uuid4())
    start = threading.Barrier(2)

    def send(_: int) -> Any:
        start.wait()
        return _post(client, user, key, FULL_PROJECT)

    # When
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(send, range(2)))
    # Then exactly one project exists; the other request either replayed it or was told to retry
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([201, 201], [201, 409]), [r.text for r in responses]
    created = {r.json()["projectId"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert _listed(client, user) == list(created)
    for response in responses:
        if response.status_code == 409:
            assert response.headers["Retry-After"] == "1"
    # And a retry after the first finished replays it
    assert _post(client, user, key, FULL_PROJECT).json()["projectId"] in created


def test_create_project_with_malformed_key_is_rejected(
    client: TestClient, user: LoggedInUser
) -> None:
    response = _post(client, user, "has spaces", {"name": "P"})
    assert response.status_code == 422
    assert _listed(client, user) == []


def test_create_project_after_abandoned_attempt_takes_key_over(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given an attempt that died mid-create and so left its in-progress record behind
    monkeypatch.setattr(idempotency._persistence(), "delete_record", lambda **_: None)
    monkeypatch.setattr(idempotency, "REQUEST_DEADLINE_MILLIS", 1000)
    key = str(uuid.uuid4())
    body = ProjectCreate.model_validate({"name": "Retried"})

    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("the function died")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(repository, "create", crash)
        service.create_project(owner_id=user.sub, body=body, idempotency_key=key)
    # When a retry comes while that attempt could still be running, it is told to wait
    with pytest.raises(Conflict):
        service.create_project(owner_id=user.sub, body=body, idempotency_key=key)
    # Then once no request could still be running, a retry takes the key over and creates once
    time.sleep(1.1)
    created = service.create_project(owner_id=user.sub, body=body, idempotency_key=key)
    assert _listed(client, user) == [created.project_id]
