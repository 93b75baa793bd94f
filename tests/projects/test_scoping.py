"""Owner scoping: another user's project answers exactly like a missing one and stays unchanged."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project

ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/projects/{id}", None),
    ("PATCH", "/projects/{id}", {"version": 1, "name": "taken over"}),
    ("PATCH", "/projects/{id}", {"version": 1, "phases": [{"name": "injected"}]}),
    ("DELETE", "/projects/{id}", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    ROUTES,
    ids=["GET", "PATCH fields", "PATCH phases", "DELETE"],
)
def test_access_project_of_other_user_is_not_found(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    # Given another user's project
    theirs = create_project(client, other_user, FULL_PROJECT)
    # When this user tries it
    response = client.request(
        method, path.format(id=theirs["projectId"]), json=body, headers=user.headers
    )
    # Then it answers exactly like a missing id
    missing = client.request(
        method, path.format(id=str(uuid.uuid4())), json=body, headers=user.headers
    )
    assert response.status_code == missing.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == missing.json()["error"]["message"]
    # And the owner's project is untouched, at the same version
    assert get_project(client, other_user, theirs["projectId"]) == theirs


def test_patch_with_if_match_on_other_users_project_is_not_found(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    theirs = create_project(client, other_user)
    response = client.patch(
        f"/projects/{theirs['projectId']}",
        json={"status": "archived"},
        headers={**user.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 404
    assert get_project(client, other_user, theirs["projectId"])["version"] == 1


def test_list_projects_never_shows_other_users_projects(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    create_project(client, other_user)
    assert client.get("/projects", headers=user.headers).json() == {
        "items": [],
        "nextCursor": None,
    }
