"""Project CRUD through the API: shapes, server-assigned fields, updates and deletes."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project

SERVER_ONLY = {"ownerId", "typeKey", "PK", "SK"}


def test_create_project_assigns_ids_and_starts_draft(
    client: TestClient, user: LoggedInUser
) -> None:
    # When
    created = create_project(client, user, FULL_PROJECT)
    # Then the server assigned every id, the version and the timestamps
    assert uuid.UUID(created["projectId"]).version == 4
    assert created["status"] == "draft" and created["version"] == 1
    assert created["createdAt"] == created["updatedAt"] and created["createdAt"].endswith("Z")
    assert [p["name"] for p in created["phases"]] == ["Survey", "Design"]
    ids = [p["phaseId"] for p in created["phases"]]
    ids += [s["sprintId"] for p in created["phases"] for s in p["sprints"]]
    assert len(ids) == len(set(ids)) == 4
    assert created["phases"][0]["sprints"][0] == {
        "sprintId": created["phases"][0]["sprints"][0]["sprintId"],
        "name": "Drone survey",
        "goal": "Point cloud",
        "generated": None,
    }
    assert created["team"] == FULL_PROJECT["team"]
    assert created["disciplines"] == FULL_PROJECT["disciplines"]
    assert not SERVER_ONLY & set(created)
    # And reading it back gives the same object
    assert get_project(client, user, created["projectId"]) == created


def test_create_project_with_name_only_has_empty_lists(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_project(client, user, {"name": "  Minimal  "})
    assert created["name"] == "Minimal"
    assert created["phases"] == [] and created["team"] == [] and created["disciplines"] == []
    assert created["description"] is None


def test_get_project_sends_version_as_etag(client: TestClient, user: LoggedInUser) -> None:
    created = create_project(client, user)
    response = client.get(f"/projects/{created['projectId']}", headers=user.headers)
    assert response.headers["ETag"] == '"1"'


def test_list_projects_shows_only_own_newest_first(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given three projects of this user and one of another
    mine = [create_project(client, user, {"name": f"P{i}"})["projectId"] for i in range(3)]
    create_project(client, other_user)
    # When
    body = client.get("/projects", headers=user.headers).json()
    # Then
    assert [p["projectId"] for p in body["items"]] == list(reversed(mine))
    assert body["nextCursor"] is None
    assert not SERVER_ONLY & set(body["items"][0])


def test_update_project_changes_fields_and_bumps_version(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given
    created = create_project(client, user, FULL_PROJECT)
    # When
    response = client.patch(
        f"/projects/{created['projectId']}",
        json={
            "version": 1,
            "name": "Bridge retrofit, stage 2",
            "description": None,
            "team": [{"name": "Ada", "role": "director"}],
            "disciplines": [],
            "status": "active",
        },
        headers=user.headers,
    )
    # Then
    assert response.status_code == 200, response.text
    updated = response.json()
    assert response.headers["ETag"] == '"2"'
    assert updated["version"] == 2 and updated["updatedAt"] > created["updatedAt"]
    assert updated["name"] == "Bridge retrofit, stage 2" and updated["description"] is None
    assert updated["team"] == [{"name": "Ada", "role": "director"}]
    assert updated["disciplines"] == [] and updated["status"] == "active"
    # And untouched fields and phases stay as they were
    assert updated["constraints"] == created["constraints"]
    assert updated["phases"] == created["phases"]
    assert updated["createdAt"] == created["createdAt"]
    assert get_project(client, user, created["projectId"]) == updated


def test_update_project_with_if_match_header(client: TestClient, user: LoggedInUser) -> None:
    created = create_project(client, user)
    response = client.patch(
        f"/projects/{created['projectId']}",
        json={"constraints": "none"},
        headers={**user.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["constraints"] == "none" and response.json()["version"] == 2


def test_finding_07_weak_etag_in_if_match_is_refused(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_project(client, user)
    path = f"/projects/{created['projectId']}"
    weak = client.patch(
        path, json={"constraints": "weak"}, headers={**user.headers, "If-Match": 'W/"1"'}
    )
    # If-Match compares strongly: a weak tag is a 422 naming the header, and writes nothing
    assert weak.status_code == 422, weak.text
    assert weak.json()["error"]["details"] == [{"loc": ["header", "If-Match"]}]
    assert get_project(client, user, created["projectId"])["version"] == 1


def test_update_project_moves_status_back_and_forth(client: TestClient, user: LoggedInUser) -> None:
    created = create_project(client, user)
    path = f"/projects/{created['projectId']}"
    for version, status in enumerate(["active", "completed", "archived", "draft"], start=1):
        response = client.patch(
            path, json={"version": version, "status": status}, headers=user.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status


def test_delete_project_then_it_is_gone(client: TestClient, user: LoggedInUser) -> None:
    created = create_project(client, user)
    path = f"/projects/{created['projectId']}"
    response = client.delete(path, headers=user.headers)
    assert response.status_code == 204 and response.content == b""
    assert client.get(path, headers=user.headers).status_code == 404
    assert client.delete(path, headers=user.headers).status_code == 404
    listed = client.get("/projects", headers=user.headers).json()["items"]
    assert created["projectId"] not in [p["projectId"] for p in listed]


def test_get_project_unknown_id_is_not_found_envelope(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.get(f"/projects/{uuid.uuid4()}", headers=user.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_projects_without_token_are_unauthorized(client: TestClient) -> None:
    for method, path in [("GET", "/projects"), ("POST", "/projects"), ("GET", "/projects/x")]:
        response = client.request(method, path, json={"name": "x"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
