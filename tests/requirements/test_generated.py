"""create_generated_requirements: what the AI job stores, with source `ai`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.errors import NotFound, ValidationFailed
from app.requirements import service
from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import list_all

ITEMS = [
    {
        "type": "functional",
        "title": "Log cracks",
        "description": "With photos.",
        "priority": "high",
    },
    {"type": "Test_Case", "title": "Load test", "description": "Proof load.", "priority": "Low"},
]


def test_create_generated_requirements_stores_them_as_ai(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    created = service.create_generated_requirements(
        owner_id=user.sub, project_id=project_id, items=ITEMS
    )
    assert [(r.type, r.priority, r.source, r.status) for r in created] == [
        ("functional", "high", "ai", "draft"),
        ("test_case", "low", "ai", "draft"),
    ]
    listed = list_all(client, user, project_id)
    assert sorted(r["requirementId"] for r in listed) == sorted(r.requirement_id for r in created)
    assert {r["source"] for r in listed} == {"ai"}


def test_create_generated_requirements_with_bad_item_stores_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = create_project(client, user)["projectId"]
    with pytest.raises(ValidationFailed):
        service.create_generated_requirements(
            owner_id=user.sub,
            project_id=project_id,
            items=[*ITEMS, {"type": "epic", "title": "Not a type"}],
        )
    assert list_all(client, user, project_id) == []


def test_create_generated_requirements_on_foreign_project_is_not_found(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    project_id = create_project(client, other_user)["projectId"]
    with pytest.raises(NotFound):
        service.create_generated_requirements(owner_id=user.sub, project_id=project_id, items=ITEMS)
    assert list_all(client, other_user, project_id) == []
