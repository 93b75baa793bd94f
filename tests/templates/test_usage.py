"""Projects from templates, and usage counted exactly once per project through the queue."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core import aws, outbox
from app.core.outbox import OutboxMessage
from app.handler import handler
from app.local.poller import LocalContext
from app.templates.domain import TEMPLATES
from tests.conftest import LoggedInUser
from tests.templates.helpers import TEMPLATE, create_template

Drain = Callable[[], list[dict[str, Any]]]
BUILTIN = "builtin-research-study"


def _usage(client: TestClient, user: LoggedInUser, template_id: str) -> int:
    response = client.get(f"/templates/{template_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["usage"])


def _project(
    client: TestClient, user: LoggedInUser, body: dict[str, Any], key: str | None = None
) -> Any:
    headers = {**user.headers, **({"Idempotency-Key": key} if key else {})}
    return client.post("/projects", json=body, headers=headers)


def _sqs_event(body: str) -> dict[str, Any]:
    record = {
        "messageId": str(uuid.uuid4()),
        "receiptHandle": "handle",
        "body": body,
        "attributes": {"ApproximateReceiveCount": "1"},
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:planforge-local-jobs",
        "awsRegion": "us-east-1",
    }
    return {"Records": [record]}


def test_project_from_builtin_starts_from_it_and_counts_once(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a built-in's usage and content
    drain_queue()
    template = client.get(f"/templates/{BUILTIN}", headers=user.headers).json()
    # When two projects are created from it
    first = _project(client, user, {"name": "Sleep study", "templateId": BUILTIN})
    second = _project(client, user, {"name": "Diet study", "templateId": BUILTIN})
    assert first.status_code == second.status_code == 201, first.text
    project = first.json()
    # Then the project has the template's disciplines, phases, sprints and roles, fresh ids
    assert project["templateId"] == BUILTIN
    assert project["disciplines"] == template["disciplines"]
    assert [p["name"] for p in project["phases"]] == [p["name"] for p in template["phases"]]
    assert [s["goal"] for s in project["phases"][0]["sprints"]] == [
        s["goal"] for s in template["phases"][0]["sprints"]
    ]
    assert project["team"] == [{"name": None, "role": r["role"]} for r in template["roles"]]
    ids = [p["phaseId"] for p in project["phases"]] + [
        s["sprintId"] for p in project["phases"] for s in p["sprints"]
    ]
    other_ids = [p["phaseId"] for p in second.json()["phases"]]
    assert len(set(ids)) == len(ids) and not set(ids) & set(other_ids)
    stored = client.get(f"/projects/{project['projectId']}", headers=user.headers).json()
    assert stored == project
    # And once the queue drains, the usage has grown by exactly two
    drain_queue()
    assert _usage(client, user, BUILTIN) == template["usage"] + 2


def test_fields_in_the_body_win_over_the_template(client: TestClient, user: LoggedInUser) -> None:
    template = create_template(client, user)
    body = {
        "name": "Own plan",
        "templateId": template["templateId"],
        "phases": [{"name": "Only phase"}],
        "team": [{"name": "Ada", "role": "Lead"}],
    }
    response = _project(client, user, body)
    assert response.status_code == 201, response.text
    project = response.json()
    assert [p["name"] for p in project["phases"]] == ["Only phase"]
    assert project["team"] == [{"name": "Ada", "role": "Lead"}]
    assert project["disciplines"] == TEMPLATE["disciplines"]


def test_unnamed_team_entries_can_be_sent_back_and_named(
    client: TestClient, user: LoggedInUser
) -> None:
    template = create_template(client, user)
    project = _project(client, user, {"name": "P", "templateId": template["templateId"]}).json()
    team = [*project["team"][:1], {**project["team"][1], "name": "Lin"}]
    path = f"/projects/{project['projectId']}"
    response = client.patch(path, json={"version": 1, "team": team}, headers=user.headers)
    assert response.status_code == 200, response.text
    assert response.json()["team"] == [
        {"name": None, "role": "Lead engineer"},
        {"name": "Lin", "role": "Surveyor"},
    ]


def test_idempotent_replay_of_a_create_counts_once(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a create from a template with an Idempotency-Key, sent twice
    template = create_template(client, user)
    body = {"name": "Retried", "templateId": template["templateId"]}
    key = f"from-template-{uuid.uuid4()}"
    first, replay = _project(client, user, body, key), _project(client, user, body, key)
    # Then one project exists, and its template counted it once
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    drain_queue()
    assert _usage(client, user, template["templateId"]) == 1
    projects = client.get("/projects", headers=user.headers).json()["items"]
    assert [p["projectId"] for p in projects] == [first.json()["projectId"]]


def test_usage_message_delivered_twice_counts_once(
    client: TestClient, user: LoggedInUser, drain_queue: Drain, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the usage message of a project created from a template
    sent: list[OutboxMessage] = []
    real_publish = outbox.publish

    def spy(messages: Any) -> int:
        messages = list(messages)
        sent.extend(messages)
        return real_publish(messages)

    monkeypatch.setattr(outbox, "publish", spy)
    template = create_template(client, user)
    assert _project(client, user, {"name": "P", "templateId": template["templateId"]}).is_success
    (message,) = [m for m in sent if m.message_type == "template.used"]
    drain_queue()
    assert _usage(client, user, template["templateId"]) == 1
    # When SQS delivers the same message again, and the outbox sweep sends a copy of it
    copy = json.dumps({**json.loads(message.body), "id": "resent-by-sweep"})
    for body in (message.body, copy):
        assert handler(_sqs_event(body), LocalContext())["batchItemFailures"] == []
    # Then the usage is still one
    assert _usage(client, user, template["templateId"]) == 1


def test_template_deleted_before_its_usage_is_counted_is_not_brought_back(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    drain_queue()
    template = create_template(client, user)
    created = _project(client, user, {"name": "P", "templateId": template["templateId"]})
    assert created.status_code == 201
    path = f"/templates/{template['templateId']}"
    assert client.delete(path, headers=user.headers).status_code == 204
    drain_queue()
    assert client.get(path, headers=user.headers).status_code == 404
    item = aws.table(TEMPLATES.name).get_item(Key={"templateId": template["templateId"]})
    assert "Item" not in item
    project = client.get(f"/projects/{created.json()['projectId']}", headers=user.headers).json()
    assert project["templateId"] == template["templateId"]


def test_project_from_another_users_or_unknown_template_is_404_and_creates_nothing(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    theirs = create_template(client, other_user)["templateId"]
    for template_id in (theirs, "no-such-template"):
        response = _project(client, user, {"name": "P", "templateId": template_id})
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/projects", headers=user.headers).json()["items"] == []
    bad = _project(client, user, {"name": "P", "templateId": "not an id"})
    assert bad.status_code == 422
