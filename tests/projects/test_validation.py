"""Strict input: unknown and server-owned fields are 422, every string and list is bounded."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project


@pytest.mark.parametrize(
    "extra",
    [
        {"ownerId": "someone-else"},
        {"projectId": "chosen-id"},
        {"version": 7},
        {"createdAt": "2020-01-01T00:00:00.000000Z"},
        {"updatedAt": "2020-01-01T00:00:00.000000Z"},
        {"status": "active"},
        {"phases": [{"name": "P", "phaseId": "chosen"}]},
        {"phases": [{"name": "P", "sprints": [{"name": "S", "sprintId": "chosen"}]}]},
        {"phases": [{"name": "P", "generated": {"objectives": ["x"]}}]},
        {"team": [{"name": "A", "role": "B", "email": "a@example.com"}]},
        {"owner_id": "snake-case"},
    ],
    ids=[
        "ownerId",
        "projectId",
        "version",
        "createdAt",
        "updatedAt",
        "status",
        "phaseId",
        "sprintId",
        "generated",
        "team-extra",
        "snake-case",
    ],
)
def test_create_project_with_server_owned_field_is_rejected(
    client: TestClient, user: LoggedInUser, extra: dict[str, Any]
) -> None:
    response = client.post("/projects", json={"name": "P", **extra}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert client.get("/projects", headers=user.headers).json()["items"] == []


@pytest.mark.parametrize(
    "extra",
    [
        {"ownerId": "someone-else"},
        {"projectId": "other"},
        {"createdAt": "2020-01-01T00:00:00.000000Z"},
        {"updatedAt": "2020-01-01T00:00:00.000000Z"},
        {"requirements": []},
        {"status": "deleted"},
        {"name": None},
        {"phases": None},
        {"team": None},
    ],
    ids=lambda extra: f"{next(iter(extra))}={next(iter(extra.values()))}",
)
def test_update_project_with_server_owned_or_null_field_is_rejected(
    client: TestClient, user: LoggedInUser, extra: dict[str, Any]
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    response = client.patch(
        f"/projects/{project['projectId']}", json={"version": 1, **extra}, headers=user.headers
    )
    assert response.status_code == 422, response.text
    assert get_project(client, user, project["projectId"]) == project


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 201},
        {"name": "P", "description": "x" * 10001},
        {"name": "P", "disciplines": ["d"] * 101},
        {"name": "P", "disciplines": ["x" * 101]},
        {"name": "P", "team": [{"name": "A", "role": "B"}] * 101},
        {"name": "P", "phases": [{"name": "P"}] * 51},
        {"name": "P", "phases": [{"name": "P", "sprints": [{"name": "S"}] * 51}]},
        {"name": "P", "phases": [{"name": "P", "description": "x" * 4001}]},
        {"name": 5},
        {},
    ],
    ids=[
        "empty-name",
        "blank-name",
        "long-name",
        "long-description",
        "many-disciplines",
        "long-discipline",
        "big-team",
        "many-phases",
        "many-sprints",
        "long-phase-description",
        "number-name",
        "no-name",
    ],
)
def test_create_project_out_of_bounds_is_rejected(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    response = client.post("/projects", json=body, headers=user.headers)
    assert response.status_code == 422, response.text


def test_create_project_at_the_limits_is_accepted(client: TestClient, user: LoggedInUser) -> None:
    body = {
        "name": "x" * 200,
        "phases": [{"name": f"P{i}"} for i in range(49)]
        + [{"name": "Last", "sprints": [{"name": f"S{i}"} for i in range(50)]}],
        "disciplines": [f"d{i}" for i in range(100)],
    }
    created = create_project(client, user, body)
    assert len(created["phases"]) == 50 and len(created["phases"][-1]["sprints"]) == 50


@pytest.mark.parametrize("path", ["/projects/has%20space", "/projects/" + "a" * 65])
def test_get_project_with_malformed_id_is_rejected(
    client: TestClient, user: LoggedInUser, path: str
) -> None:
    assert client.get(path, headers=user.headers).status_code == 422


def test_create_project_with_non_json_body_is_rejected(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.post(
        "/projects",
        content=b"name=P",
        headers={**user.headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
