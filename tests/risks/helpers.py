"""Small helpers shared by the risk tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser

RISK: dict[str, Any] = {
    "title": "Supplier delivers the sensor late",
    "description": "The only qualified supplier quotes 16 weeks.",
    "category": "schedule",
    "likelihood": 3,
    "impact": 4,
    "mitigation": "Qualify a second supplier.",
    "ownerRole": "Procurement lead",
}


def risks_path(project_id: str) -> str:
    """Return the collection path of a project's risks."""
    return f"/projects/{project_id}/risks"


def create_project(client: TestClient, user: LoggedInUser, **fields: Any) -> dict[str, Any]:
    """Create a project with two phases and return it."""
    body = {
        "name": "Sensor hub",
        "description": "A battery-powered sensor hub for cold-chain monitoring.",
        "phases": [
            {"name": "Prototype", "sprints": [{"name": "Bring-up", "goal": "Boards boot"}]},
            {"name": "Pilot"},
        ],
        **fields,
    }
    response = client.post("/projects", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project


def create_risk(
    client: TestClient,
    user: LoggedInUser,
    project_id: str,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create a risk through the API and return the 201 body."""
    response = client.post(
        risks_path(project_id),
        json=RISK if body is None else {**RISK, **body},
        headers={**user.headers, **(headers or {})},
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def list_all(
    client: TestClient, user: LoggedInUser, project_id: str, query: str = ""
) -> list[dict[str, Any]]:
    """Follow every page of a project's risk list and return the items in order."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        url = f"{risks_path(project_id)}?limit=2{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=user.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["nextCursor"]
        if cursor is None:
            return items
