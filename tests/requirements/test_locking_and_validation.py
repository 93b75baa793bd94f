"""Requirements: stale versions conflict, server-owned and unknown fields are refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import (
    create_requirement,
    get_requirement,
    list_all,
    requirements_path,
)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"version": 1, "title": "stale"}, {}),
        ({"title": "stale"}, {"If-Match": '"1"'}),
        ({"version": 1, "type": "test_case"}, {}),
    ],
    ids=["body-version", "if-match", "type-change"],
)
def test_update_requirement_with_stale_version_conflicts(
    client: TestClient, user: LoggedInUser, body: dict[str, Any], headers: dict[str, str]
) -> None:
    # Given a requirement already at version 2
    project_id = create_project(client, user)["projectId"]
    created = create_requirement(client, user, project_id)
    path = f"{requirements_path(project_id)}/{created['requirementId']}"
    moved = client.patch(path, json={"version": 1, "priority": "low"}, headers=user.headers)
    assert moved.status_code == 200
    # When a client at version 1 writes
    response = client.patch(path, json=body, headers={**user.headers, **headers})
    # Then
    assert response.status_code == 409, response.text
    assert response.json()["error"]["details"] == [{"currentVersion": 2}]
    assert get_requirement(client, user, project_id, created["requirementId"]) == moved.json()


@pytest.mark.parametrize(
    "extra",
    [
        {"ownerId": "x"},
        {"projectId": "x"},
        {"requirementId": "x"},
        {"version": 3},
        {"createdAt": "2020-01-01T00:00:00.000000Z"},
        {"status": "approved"},
        {"source": "ai"},
        {"typeKey": "functional#x"},
    ],
    ids=lambda extra: next(iter(extra)),
)
def test_create_requirement_with_server_owned_field_is_rejected(
    client: TestClient, user: LoggedInUser, extra: dict[str, Any]
) -> None:
    project_id = create_project(client, user)["projectId"]
    response = client.post(
        requirements_path(project_id),
        json={"type": "functional", "title": "T", **extra},
        headers=user.headers,
    )
    assert response.status_code == 422, response.text
    assert list_all(client, user, project_id) == []


@pytest.mark.parametrize(
    "body",
    [
        {"version": 1, "source": "ai"},
        {"version": 1, "ownerId": "x"},
        {"version": 1, "projectId": "x"},
        {"version": 1, "updatedAt": "2020-01-01T00:00:00.000000Z"},
        {"version": 1, "title": None},
        {"version": 1, "type": "epic"},
        {"version": 1, "status": "rejected"},
        {"version": 1},
        {"title": "no version"},
    ],
    ids=[
        "source",
        "ownerId",
        "projectId",
        "updatedAt",
        "null-title",
        "bad-type",
        "bad-status",
        "nothing",
        "no-version",
    ],
)
def test_update_requirement_with_invalid_body_is_rejected(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    project_id = create_project(client, user)["projectId"]
    created = create_requirement(client, user, project_id)
    response = client.patch(
        f"{requirements_path(project_id)}/{created['requirementId']}",
        json=body,
        headers=user.headers,
    )
    assert response.status_code == 422, response.text
    assert get_requirement(client, user, project_id, created["requirementId"]) == created


@pytest.mark.parametrize(
    "body",
    [
        {"type": "epic", "title": "T"},
        {"type": "functional", "title": ""},
        {"type": "functional", "title": "x" * 301},
        {"type": "functional", "title": "T", "description": "x" * 10001},
        {"type": "functional", "title": "T", "priority": "urgent"},
        {"title": "T"},
    ],
    ids=["type", "empty-title", "long-title", "long-description", "priority", "no-type"],
)
def test_create_requirement_out_of_bounds_is_rejected(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    project_id = create_project(client, user)["projectId"]
    response = client.post(requirements_path(project_id), json=body, headers=user.headers)
    assert response.status_code == 422, response.text


def test_list_requirements_with_unknown_type_is_rejected(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    response = client.get(
        requirements_path(project_id), params={"type": "epic"}, headers=user.headers
    )
    assert response.status_code == 422
