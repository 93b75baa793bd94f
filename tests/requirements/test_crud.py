"""Requirement CRUD through the API, nested under a project the caller owns."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import (
    create_requirement,
    get_requirement,
    list_all,
    requirements_path,
)

STORY = {
    "type": "user_story",
    "title": "As an inspector I can log cracks",
    "description": "With photo and position.",
    "priority": "high",
}


def test_create_requirement_starts_draft_and_manual(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user)
    created = create_requirement(client, user, project["projectId"], STORY)
    assert created["projectId"] == project["projectId"]
    assert {k: created[k] for k in STORY} == STORY
    assert created["status"] == "draft" and created["source"] == "manual"
    assert created["version"] == 1 and created["createdAt"] == created["updatedAt"]
    assert len(created["requirementId"]) == 26
    assert not {"ownerId", "typeKey"} & set(created)
    assert get_requirement(client, user, project["projectId"], created["requirementId"]) == created


def test_create_requirement_defaults_priority_and_description(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user)
    created = create_requirement(
        client, user, project["projectId"], {"type": "test_case", "title": "Load test passes"}
    )
    assert created["priority"] == "medium" and created["description"] == ""


def test_list_requirements_newest_first_and_by_type(client: TestClient, user: LoggedInUser) -> None:
    # Given requirements of two types
    project_id = create_project(client, user)["projectId"]
    made = [
        create_requirement(client, user, project_id, {"type": kind, "title": f"R{i}"})
        for i, kind in enumerate(["functional", "user_story", "functional", "non_functional"])
    ]
    ids = [r["requirementId"] for r in made]
    # Then the whole list is newest first
    assert [r["requirementId"] for r in list_all(client, user, project_id)] == ids[::-1]
    # And ?type= returns only that type, newest first
    functional = list_all(client, user, project_id, type="functional")
    assert [r["requirementId"] for r in functional] == [ids[2], ids[0]]
    assert list_all(client, user, project_id, type="test_case") == []
    assert not {"ownerId", "typeKey"} & set(functional[0])


def test_update_requirement_changes_fields_and_type(client: TestClient, user: LoggedInUser) -> None:
    # Given
    project_id = create_project(client, user)["projectId"]
    created = create_requirement(client, user, project_id, STORY)
    path = f"{requirements_path(project_id)}/{created['requirementId']}"
    # When its type, status and title change
    response = client.patch(
        path,
        json={"version": 1, "type": "functional", "status": "approved", "title": "Crack log"},
        headers=user.headers,
    )
    # Then
    assert response.status_code == 200, response.text
    updated = response.json()
    assert response.headers["ETag"] == '"2"'
    assert (updated["type"], updated["status"], updated["title"]) == (
        "functional",
        "approved",
        "Crack log",
    )
    assert updated["version"] == 2 and updated["createdAt"] == created["createdAt"]
    assert updated["description"] == STORY["description"] and updated["source"] == "manual"
    # And the type filter follows the new type
    assert [r["requirementId"] for r in list_all(client, user, project_id, type="functional")] == [
        created["requirementId"]
    ]
    assert list_all(client, user, project_id, type="user_story") == []


def test_update_requirement_with_if_match(client: TestClient, user: LoggedInUser) -> None:
    project_id = create_project(client, user)["projectId"]
    created = create_requirement(client, user, project_id)
    response = client.patch(
        f"{requirements_path(project_id)}/{created['requirementId']}",
        json={"status": "done"},
        headers={**user.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "done"


def test_delete_requirement_then_it_is_gone(client: TestClient, user: LoggedInUser) -> None:
    project_id = create_project(client, user)["projectId"]
    kept = create_requirement(client, user, project_id, {"type": "functional", "title": "Kept"})
    gone = create_requirement(client, user, project_id, {"type": "functional", "title": "Gone"})
    path = f"{requirements_path(project_id)}/{gone['requirementId']}"
    assert client.delete(path, headers=user.headers).status_code == 204
    assert client.get(path, headers=user.headers).status_code == 404
    assert client.delete(path, headers=user.headers).status_code == 404
    assert [r["requirementId"] for r in list_all(client, user, project_id)] == [
        kept["requirementId"]
    ]


def test_requirement_of_one_project_is_not_found_under_another(
    client: TestClient, user: LoggedInUser
) -> None:
    first = create_project(client, user)["projectId"]
    second = create_project(client, user)["projectId"]
    created = create_requirement(client, user, first)
    response = client.get(
        f"{requirements_path(second)}/{created['requirementId']}", headers=user.headers
    )
    assert response.status_code == 404
