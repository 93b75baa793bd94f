"""No lost notifications: a failed SendMessage leaves the message in the outbox for the sweep."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from botocore.exceptions import EndpointConnectionError
from fastapi.testclient import TestClient

from app.core import aws, outbox
from app.core.config import get_settings
from app.core.tables import OUTBOX
from app.handler import handler
from app.local.poller import LocalContext, scheduled_event
from tests.conftest import LoggedInUser
from tests.core.mailbox import sent_to
from tests.goals.helpers import add_progress, create_goal, summary
from tests.waitlist.helpers import fresh_email

Drain = Callable[[], list[dict[str, Any]]]


@contextmanager
def failing_send_message() -> Iterator[list[str]]:
    """Make every SendMessage of the app's SQS client fail as if the endpoint were down."""
    attempts: list[str] = []

    def fail(params: dict[str, Any], **_: Any) -> None:
        attempts.append(params["MessageBody"])
        raise EndpointConnectionError(endpoint_url="https://sqs.us-east-1.amazonaws.com")

    events = aws.client("sqs").meta.events
    events.register("before-parameter-build.sqs.SendMessage", fail)
    try:
        yield attempts
    finally:
        events.unregister("before-parameter-build.sqs.SendMessage", fail)


def outbox_bodies(owner_id: str) -> list[dict[str, Any]]:
    """Return the pending outbox messages about this owner, through the sweep's index."""
    table = aws.table(OUTBOX.name)
    bodies = []
    for shard in range(outbox.SWEEP_SHARDS):
        response = table.query(
            IndexName=outbox.SWEEP_INDEX, KeyConditionExpression=Key("sweepShard").eq(str(shard))
        )
        for item in response["Items"]:
            body = json.loads(str(item["body"]))
            if body["payload"].get("ownerId") == owner_id:
                bodies.append(body)
    return bodies


def test_sent_message_leaves_nothing_in_outbox(client: TestClient, user: LoggedInUser) -> None:
    goal = create_goal(client, user, targetValue=3)
    add_progress(client, user, goal["goalId"], 1)
    assert outbox_bodies(user.sub) == []


def test_failed_send_is_delivered_by_scheduled_sweep(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Drain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a goal at 4 of 10, announced normally
    goal = create_goal(client, user, title="Save 10", targetValue=10, category="finance")
    add_progress(client, user, goal["goalId"], 4)
    # When SQS is down while the completing progress is logged
    with failing_send_message() as attempts:
        response = client.post(
            f"/goals/{goal['goalId']}/progress", json={"value": 6}, headers=user.headers
        )
    # Then the request still succeeds (the change is committed) and the message waits in the outbox
    assert response.status_code == 201 and response.json()["goalStatus"] == "completed"
    assert len(attempts) == 1
    pending = outbox_bodies(user.sub)
    assert [(body["type"], body["payload"]["goalId"]) for body in pending] == [
        ("goal.completed", goal["goalId"])
    ]
    assert json.loads(attempts[0])["id"] == pending[0]["id"]
    drain_queue()
    assert summary(client, user)["completedGoals"] == 0
    # And a sweep leaves it alone while it is younger than the sweep age
    assert handler(scheduled_event("us-east-1"), LocalContext())["outboxFailed"] == 0
    assert len(outbox_bodies(user.sub)) == 1
    # When the scheduled sweep runs once it is old enough
    monkeypatch.setattr(get_settings(), "outbox_sweep_age_seconds", 0)
    swept = handler(scheduled_event("us-east-1"), LocalContext())
    # Then it is sent and cleared, and the queue delivers it: counted and emailed once
    assert swept["outboxSent"] >= 1 and swept["outboxFailed"] == 0
    assert outbox_bodies(user.sub) == []
    drain_queue()
    body = summary(client, user)
    assert (body["totalGoals"], body["completedGoals"], body["progressEntries"]) == (1, 1, 2)
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1


def test_sweep_keeps_message_while_queue_still_fails(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    with failing_send_message():
        create_goal(client, user)
        monkeypatch.setattr(get_settings(), "outbox_sweep_age_seconds", 0)
        result = outbox.sweep()
    assert result.failed == 1 and result.sent == 0
    assert [body["type"] for body in outbox_bodies(user.sub)] == ["goal.created"]
    assert outbox.sweep().failed == 0
    assert outbox_bodies(user.sub) == []


def test_failed_waitlist_welcome_is_sent_after_sweep(
    client: TestClient, drain_queue: Drain
) -> None:
    email = fresh_email("outbox")
    with failing_send_message():
        assert client.post("/waitlist", json={"email": email}).status_code == 201
    drain_queue()
    assert sent_to(email) == []
    assert outbox.sweep(older_than_seconds=0).failed == 0
    drain_queue()
    assert len(sent_to(email)) == 1
