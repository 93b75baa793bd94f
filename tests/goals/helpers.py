"""Small helpers shared by the goal tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser


def create_goal(client: TestClient, user: LoggedInUser, **fields: Any) -> dict[str, Any]:
    """Create a goal through the API and return the 201 body."""
    body = {"title": "Run 10 km", "category": "fitness", **fields}
    response = client.post("/goals", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def add_progress(
    client: TestClient, user: LoggedInUser, goal_id: str, value: float, **fields: Any
) -> dict[str, Any]:
    """Log progress through the API and return the 201 body."""
    response = client.post(
        f"/goals/{goal_id}/progress", json={"value": value, **fields}, headers=user.headers
    )
    assert response.status_code == 201, response.text
    entry: dict[str, Any] = response.json()
    return entry


def summary(client: TestClient, user: LoggedInUser) -> dict[str, Any]:
    """Return the caller's goal summary."""
    response = client.get("/goals/summary", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
