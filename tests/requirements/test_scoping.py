"""Owner scoping: every requirement route on another user's project is a 404 and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import create_requirement, get_requirement, list_all

ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/projects/{project}/requirements", {"type": "functional", "title": "Injected"}),
    ("GET", "/projects/{project}/requirements", None),
    ("GET", "/projects/{project}/requirements?type=functional", None),
    ("GET", "/projects/{project}/requirements/{requirement}", None),
    ("PATCH", "/projects/{project}/requirements/{requirement}", {"version": 1, "title": "Mine"}),
    (
        "PATCH",
        "/projects/{project}/requirements/{requirement}",
        {"version": 1, "type": "test_case"},
    ),
    ("DELETE", "/projects/{project}/requirements/{requirement}", None),
]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    ROUTES,
    ids=["POST", "LIST", "LIST type", "GET", "PATCH", "PATCH type", "DELETE"],
)
def test_access_requirement_of_other_user_is_not_found(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    # Given another user's project with a requirement
    project_id = create_project(client, other_user)["projectId"]
    theirs = create_requirement(client, other_user, project_id)
    # When this user uses their ids
    response = client.request(
        method,
        path.format(project=project_id, requirement=theirs["requirementId"]),
        json=body,
        headers=user.headers,
    )
    # Then it answers exactly like a project that does not exist
    missing = client.request(
        method,
        path.format(project=str(uuid.uuid4()), requirement=theirs["requirementId"]),
        json=body,
        headers=user.headers,
    )
    assert response.status_code == missing.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"
    assert response.json()["error"]["message"] == missing.json()["error"]["message"]
    # And the owner's data is untouched
    assert get_requirement(client, other_user, project_id, theirs["requirementId"]) == theirs
    assert list_all(client, other_user, project_id) == [theirs]
