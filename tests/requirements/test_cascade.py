"""Deleting a project deletes its requirements through the queue, and never too early."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from botocore.exceptions import EndpointConnectionError
from fastapi.testclient import TestClient

from app.core import aws
from app.core import jobs as core_jobs
from app.core.jobs import JobContext, JobMessage
from app.projects import service as projects_service
from app.requirements import jobs as requirement_jobs
from app.requirements import repository
from app.requirements import service as requirement_service
from app.requirements.domain import REQUIREMENTS
from app.requirements.exceptions import ProjectStillExists
from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project, get_project
from tests.requirements.helpers import create_requirement, list_all, requirements_path

Drain = Callable[[], list[dict[str, Any]]]


def _stored(project_id: str) -> list[dict[str, Any]]:
    """Return the requirement items stored under a project, straight from the table."""
    items: list[dict[str, Any]] = aws.table(REQUIREMENTS.name).query(
        KeyConditionExpression=Key("projectId").eq(project_id), ConsistentRead=True
    )["Items"]
    return items


def _with_requirements(client: TestClient, user: LoggedInUser, count: int) -> str:
    project_id = str(create_project(client, user)["projectId"])
    for i in range(count):
        create_requirement(client, user, project_id, {"type": "functional", "title": f"R{i}"})
    return project_id


def test_delete_project_cascades_to_requirements(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a project with requirements, and a second project that must keep its own
    project_id = _with_requirements(client, user, 3)
    kept_project = _with_requirements(client, user, 1)
    requirement_id = list_all(client, user, project_id)[0]["requirementId"]
    # When the project is deleted
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    # Then its requirements are unreachable at once, before the queue has run
    path = requirements_path(project_id)
    assert client.get(path, headers=user.headers).status_code == 404
    assert client.get(f"{path}/{requirement_id}", headers=user.headers).status_code == 404
    assert len(_stored(project_id)) == 3
    # And gone from the table once the queue drains
    drain_queue()
    assert _stored(project_id) == []
    assert len(_stored(kept_project)) == 1


def test_delete_project_with_many_requirements_continues_in_follow_up_messages(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a handler that only deletes one page of two per message
    monkeypatch.setattr(repository, "DELETE_PAGE_SIZE", 2)
    monkeypatch.setattr(requirement_jobs, "PAGES_PER_MESSAGE", 1)
    sent: list[dict[str, Any]] = []
    real_enqueue = core_jobs.enqueue

    def spy(message_type: str, payload: dict[str, Any], **kwargs: Any) -> str:
        sent.append(payload)
        return real_enqueue(message_type, payload, **kwargs)

    monkeypatch.setattr(core_jobs, "enqueue", spy)
    project_id = _with_requirements(client, user, 5)
    # When
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    drain_queue()
    # Then every requirement went, over the first message and its follow-ups
    assert _stored(project_id) == []
    mine = [p for p in sent if p.get("projectId") == project_id]
    assert len(mine) >= 3 and "startKey" not in mine[0] and all("startKey" in p for p in mine[1:])


def test_delete_project_when_queue_is_down_deletes_nothing(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a queue that cannot be reached
    project_id = _with_requirements(client, user, 2)

    def unreachable(*_: Any, **__: Any) -> str:
        raise EndpointConnectionError(endpoint_url="http://sqs.invalid")

    monkeypatch.setattr(core_jobs, "enqueue", unreachable)
    # When
    response = client.delete(f"/projects/{project_id}", headers=user.headers)
    # Then the client is told to retry, and the project and its requirements are all still there
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert get_project(client, user, project_id)["version"] == 1
    assert len(list_all(client, user, project_id)) == 2


def test_project_deleted_event_before_delete_is_retried_then_dropped(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given an event for a project whose delete has not happened (or failed)
    project_id = _with_requirements(client, user, 2)
    message = JobMessage(
        type=projects_service.PROJECT_DELETED,
        id="evt-1",
        payload={"projectId": project_id, "ownerId": user.sub},
    )
    # Then early deliveries ask to be retried and later ones give up, deleting nothing
    with pytest.raises(ProjectStillExists):
        requirement_jobs.handle_project_deleted(
            message, JobContext(message_id="m", receive_count=1)
        )
    requirement_jobs.handle_project_deleted(
        message,
        JobContext(
            message_id="m", receive_count=requirement_jobs.MAX_RECEIVES_WHILE_PROJECT_EXISTS
        ),
    )
    assert len(_stored(project_id)) == 2


def test_project_deleted_event_is_idempotent_and_owner_bound(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given a deleted project's requirements (the event not yet handled)
    project_id = _with_requirements(client, user, 2)
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    context = JobContext(message_id="m")

    def event(owner: str) -> JobMessage:
        payload = {"projectId": project_id, "ownerId": owner}
        return JobMessage(type=projects_service.PROJECT_DELETED, id="e", payload=payload)

    # When an event names the wrong owner, nothing goes
    requirement_jobs.handle_project_deleted(event(other_user.sub), context)
    assert len(_stored(project_id)) == 2
    # And the right one deletes them, twice without harm
    requirement_jobs.handle_project_deleted(event(user.sub), context)
    requirement_jobs.handle_project_deleted(event(user.sub), context)
    assert _stored(project_id) == []


def test_project_deleted_event_for_wrong_owner_walks_the_partition_once(
    client: TestClient,
    user: LoggedInUser,
    other_user: LoggedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a deleted project with five requirements, read two keys per page
    monkeypatch.setattr(repository, "DELETE_PAGE_SIZE", 2)
    project_id = _with_requirements(client, user, 5)
    assert client.delete(f"/projects/{project_id}", headers=user.headers).status_code == 204
    # When an event naming another owner is handled a page at a time, following its keys
    start_key = None
    for _ in range(5):
        start_key = requirement_service.delete_project_requirements(
            owner_id=other_user.sub, project_id=project_id, start_key=start_key, max_pages=1
        )
        if start_key is None:
            break
    # Then it reaches the end of the partition without deleting anything
    assert start_key is None
    assert len(_stored(project_id)) == 5
