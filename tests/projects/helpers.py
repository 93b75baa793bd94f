"""Small helpers shared by the project and requirement tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from app.core import aws
from tests.conftest import LoggedInUser

FULL_PROJECT: dict[str, Any] = {
    "name": "Bridge retrofit",
    "description": "Seismic retrofit of a 1960s road bridge.",
    "requirementsSummary": "Keep two lanes open during works.",
    "constraints": "Budget 2M; river closed to works April to June.",
    "disciplines": ["structural", "geotechnical"],
    "team": [{"name": "Ada", "role": "lead engineer"}, {"name": "Lin", "role": "surveyor"}],
    "phases": [
        {
            "name": "Survey",
            "description": "Measure what is there.",
            "sprints": [{"name": "Drone survey", "goal": "Point cloud"}, {"name": "Cores"}],
        },
        {"name": "Design"},
    ],
}


def create_project(
    client: TestClient,
    user: LoggedInUser,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create a project through the API and return the 201 body."""
    response = client.post(
        "/projects",
        json=body if body is not None else {"name": "Project"},
        headers={**user.headers, **(headers or {})},
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def get_project(client: TestClient, user: LoggedInUser, project_id: str) -> dict[str, Any]:
    """Return the project as its owner sees it."""
    response = client.get(f"/projects/{project_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@contextmanager
def count_dynamodb_calls() -> Iterator[list[str]]:
    """Record the name of every DynamoDB API call made through the app's clients."""
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    emitters = {
        id(e): e
        for e in (aws.client("dynamodb").meta.events, aws.dynamodb().meta.client.meta.events)
    }
    for emitter in emitters.values():
        emitter.register("before-call.dynamodb", record, unique_id="count-dynamodb-calls")
    try:
        yield calls
    finally:
        for emitter in emitters.values():
            emitter.unregister("before-call.dynamodb", unique_id="count-dynamodb-calls")
