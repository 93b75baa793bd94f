"""Small helpers shared by the requirement tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser


def requirements_path(project_id: str) -> str:
    """Return the collection path of a project's requirements."""
    return f"/projects/{project_id}/requirements"


def create_requirement(
    client: TestClient,
    user: LoggedInUser,
    project_id: str,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create a requirement through the API and return the 201 body."""
    response = client.post(
        requirements_path(project_id),
        json=body if body is not None else {"type": "functional", "title": "Requirement"},
        headers={**user.headers, **(headers or {})},
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def get_requirement(
    client: TestClient, user: LoggedInUser, project_id: str, requirement_id: str
) -> dict[str, Any]:
    """Return the requirement as its owner sees it."""
    response = client.get(f"{requirements_path(project_id)}/{requirement_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def list_all(
    client: TestClient, user: LoggedInUser, project_id: str, **params: Any
) -> list[dict[str, Any]]:
    """Return every requirement of a project, following cursors."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(requirements_path(project_id), params=query, headers=user.headers)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json()["nextCursor"]
        if cursor is None:
            return items
