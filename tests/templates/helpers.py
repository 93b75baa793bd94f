"""Small helpers shared by the template tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser

TEMPLATE: dict[str, Any] = {
    "name": "Bridge inspection",
    "description": "Periodic inspection of a road bridge.",
    "disciplines": ["Structural", "Surveying"],
    "phases": [
        {
            "name": "Survey",
            "description": "Measure what is there.",
            "sprints": [{"name": "Drone survey", "goal": "A point cloud"}, {"name": "Cores"}],
        },
        {"name": "Report"},
    ],
    "roles": [
        {"role": "Lead engineer", "discipline": "Structural", "responsibilities": ["Sign off"]},
        {"role": "Surveyor"},
    ],
}


def create_template(
    client: TestClient,
    user: LoggedInUser,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create a template through the API and return the 201 body."""
    response = client.post(
        "/templates",
        json=TEMPLATE if body is None else body,
        headers={**user.headers, **(headers or {})},
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def list_all(client: TestClient, user: LoggedInUser, query: str = "") -> list[dict[str, Any]]:
    """Follow every page of GET /templates and return the items in order."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = f"/templates?limit=3{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=user.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["nextCursor"]
        if cursor is None:
            return items
