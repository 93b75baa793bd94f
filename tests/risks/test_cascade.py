"""Deleting a project deletes its risks through the queue, as its requirements go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from fastapi.testclient import TestClient

from app.core import aws
from app.core import jobs as core_jobs
from app.core.jobs import JobContext, JobMessage
from app.projects import service as projects_service
from app.risks import jobs as risk_jobs
from app.risks.domain import RISKS
from app.risks.exceptions import ProjectStillExists
from tests.conftest import LoggedInUser
from tests.risks.helpers import create_project, create_risk

Drain = Callable[[], list[dict[str, Any]]]


def _stored(project_id: str) -> list[dict[str, Any]]:
    """Return the risk items stored under a project, straight from the table."""
    items: list[dict[str, Any]] = aws.table(RISKS.name).query(
        KeyConditionExpression=Key("projectId").eq(project_id), ConsistentRead=True
    )["Items"]
    return items


def _with_risks(client: TestClient, user: LoggedInUser, count: int) -> str:
    project_id = str(create_project(client, user)["projectId"])
    for number in range(count):
        create_risk(client, user, project_id, {"title": f"Risk {number}"})
    return project_id


def test_delete_project_cascades_to_risks_and_requirements(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a project with risks and a requirement, and another project that keeps its risk
    project_id = _with_risks(client, user, 3)
    requirement = {"type": "functional", "title": "R"}
    requirements = f"/projects/{project_id}/requirements"
    assert client.post(requirements, json=requirement, headers=user.headers).status_code == 201
    kept = _with_risks(client, user, 1)
    # When the project is deleted and the queue drains
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    assert len(_stored(project_id)) == 3
    drain_queue()
    # Then its risks are gone from the table, as are its requirements; the other project's stay
    assert _stored(project_id) == []
    assert client.get(requirements, headers=user.headers).status_code == 404
    assert len(_stored(kept)) == 1
    assert core_jobs.subscribers(projects_service.PROJECT_DELETED)


def test_project_with_many_risks_is_purged_over_follow_up_messages(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a handler that deletes two risks per message
    monkeypatch.setattr(risk_jobs, "RISKS_PER_PAGE", 2)
    monkeypatch.setattr(risk_jobs, "PAGES_PER_MESSAGE", 1)
    sent: list[str] = []
    real_enqueue = core_jobs.enqueue

    def spy(message_type: str, payload: dict[str, Any], **kwargs: Any) -> str:
        sent.append(message_type)
        return real_enqueue(message_type, payload, **kwargs)

    monkeypatch.setattr(core_jobs, "enqueue", spy)
    project_id = _with_risks(client, user, 5)
    # When the project is deleted and the queue drains
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    drain_queue()
    # Then every risk went, the rest in this domain's own follow-up messages
    assert _stored(project_id) == []
    assert sent.count(risk_jobs.RISKS_PURGE) == 2


def test_project_deleted_event_before_the_delete_is_retried_then_dropped(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given an event for a project whose delete has not happened (or failed)
    project_id = _with_risks(client, user, 2)
    message = JobMessage(
        type=projects_service.PROJECT_DELETED, id="e", payload={"projectId": project_id}
    )
    # Then early deliveries ask to be retried and later ones give up, deleting nothing
    with pytest.raises(ProjectStillExists):
        risk_jobs.handle_project_deleted(message, JobContext(message_id="m", receive_count=1))
    last = risk_jobs.MAX_RECEIVES_WHILE_PROJECT_EXISTS
    risk_jobs.handle_project_deleted(message, JobContext(message_id="m", receive_count=last))
    assert len(_stored(project_id)) == 2


def test_redelivered_project_deleted_event_is_harmless(
    client: TestClient, user: LoggedInUser
) -> None:
    project_id = _with_risks(client, user, 2)
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    message = JobMessage(
        type=projects_service.PROJECT_DELETED, id="e", payload={"projectId": project_id}
    )
    for _ in range(2):
        risk_jobs.handle_project_deleted(message, JobContext(message_id="m"))
    assert _stored(project_id) == []
