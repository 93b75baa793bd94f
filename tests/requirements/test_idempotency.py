"""Idempotent requirement creates, scoped to the caller and the project."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import list_all, requirements_path

BODY = {"type": "functional", "title": "Log cracks"}


def _post(
    client: TestClient, user: LoggedInUser, project_id: str, key: str, body: dict[str, Any]
) -> Any:
    return client.post(
        requirements_path(project_id), json=body, headers={**user.headers, "Idempotency-Key": key}
    )


def test_create_requirement_replay_returns_first_and_mismatch_conflicts(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    key = str(uuid.uuid4())
    first = _post(client, user, project_id, key, BODY)
    replay = _post(client, user, project_id, key, BODY)
    changed = _post(client, user, project_id, key, {**BODY, "priority": "high"})
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert changed.status_code == 409
    assert [r["requirementId"] for r in list_all(client, user, project_id)] == [
        first.json()["requirementId"]
    ]


def test_create_requirement_same_key_in_other_project_is_separate(
    client: TestClient, user: LoggedInUser
) -> None:
    first_project = create_project(client, user)["projectId"]
    second_project = create_project(client, user)["projectId"]
    key = str(uuid.uuid4())
    first = _post(client, user, first_project, key, BODY)
    second = _post(client, user, second_project, key, BODY)
    assert first.status_code == second.status_code == 201
    assert second.json()["projectId"] == second_project
    assert len(list_all(client, user, second_project)) == 1


def test_create_requirement_concurrently_with_same_key_creates_one(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    key = str(uuid.uuid4())
    start = threading.Barrier(2)

    def send(_: int) -> Any:
        start.wait()
        return _post(client, user, project_id, key, BODY)

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(send, range(2)))
    assert sorted(r.status_code for r in responses) in ([201, 201], [201, 409])
    created = {r.json()["requirementId"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert [r["requirementId"] for r in list_all(client, user, project_id)] == list(created)
