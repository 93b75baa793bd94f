"""The summary, kept from the queue: correct once it drains, and once per event on redelivery."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.core import aws
from app.handler import handler
from app.local.aws_emulator import LocalAws
from app.local.poller import LocalContext, to_sqs_event
from tests.conftest import LoggedInUser
from tests.core.mailbox import sent_to
from tests.goals.helpers import add_progress, create_goal, summary

Drain = Callable[[], list[dict[str, Any]]]


def test_summary_is_zero_before_any_goal(client: TestClient, user: LoggedInUser) -> None:
    body = summary(client, user)
    assert body["totalGoals"] == body["activeGoals"] == body["completedGoals"] == 0
    assert body["progressEntries"] == body["currentStreakDays"] == 0
    assert body["updatedAt"] is None
    assert body["byCategory"]["fitness"] == {"total": 0, "completed": 0}


def test_summary_counts_completed_goal_after_queue_drains(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a goal at 4 of 10 km
    goal = create_goal(client, user, title="Run <10> km", targetValue=10, unit="km")
    add_progress(client, user, goal["goalId"], 4)
    # When 6 more complete it and the queue drains
    add_progress(client, user, goal["goalId"], 6)
    drain_queue()
    # Then the summary counts the completed goal and both entries
    body = summary(client, user)
    assert (body["totalGoals"], body["activeGoals"], body["completedGoals"]) == (1, 0, 1)
    assert body["byCategory"]["fitness"] == {"total": 1, "completed": 1}
    assert body["progressEntries"] == 2 and body["currentStreakDays"] == 1
    assert body["updatedAt"] is not None
    # And exactly one milestone email went out, with the title escaped in its HTML body
    emails = sent_to(user.email, subject_contains="Goal reached")
    assert len(emails) == 1
    assert emails[0].subject == "Goal reached: Run <10> km"
    assert "Run &lt;10&gt; km" in emails[0].body and "10 of 10 km" in emails[0].body
    # And draining again changes nothing
    drain_queue()
    assert summary(client, user) == body
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1


def test_summary_follows_updates_and_deletes(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    health = create_goal(client, user, category="health")
    career = create_goal(client, user, category="career")
    add_progress(client, user, health["goalId"], 1)
    add_progress(client, user, health["goalId"], 1)
    archived = client.patch(
        f"/goals/{career['goalId']}",
        json={"status": "archived", "category": "finance", "version": 1},
        headers=user.headers,
    )
    assert archived.status_code == 200
    assert client.delete(f"/goals/{health['goalId']}", headers=user.headers).status_code == 204
    drain_queue()
    body = summary(client, user)
    assert (body["totalGoals"], body["activeGoals"], body["completedGoals"]) == (1, 0, 0)
    assert body["byCategory"]["finance"] == {"total": 1, "completed": 0}
    assert body["byCategory"]["career"] == body["byCategory"]["health"]
    assert body["byCategory"]["health"] == {"total": 0, "completed": 0}
    assert body["progressEntries"] == 0


def _take_own_record(local_aws: LocalAws, owner_id: str) -> list[dict[str, Any]]:
    """Receive the queue's messages, keep this owner's, and release everyone else's at once."""
    sqs = aws.client("sqs")
    mine: list[dict[str, Any]] = []
    for _ in range(10):
        received = sqs.receive_message(
            QueueUrl=local_aws.jobs_queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
        ).get("Messages", [])
        for message in received:
            if json.loads(message["Body"]).get("payload", {}).get("ownerId") == owner_id:
                mine.append(message)
            else:
                sqs.change_message_visibility(
                    QueueUrl=local_aws.jobs_queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=0,
                )
        if mine:
            return mine
    return mine


def test_duplicate_delivery_changes_summary_and_email_once(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws, drain_queue: Drain
) -> None:
    # Given the goal.completed message of a goal completed in one step
    drain_queue()
    goal = create_goal(client, user, targetValue=5, category="learning")
    drain_queue()
    add_progress(client, user, goal["goalId"], 5)
    messages = _take_own_record(local_aws, user.sub)
    assert [json.loads(m["Body"])["type"] for m in messages] == ["goal.completed"]
    arn = aws.client("sqs").get_queue_attributes(
        QueueUrl=local_aws.jobs_queue_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    event = to_sqs_event(messages, arn, local_aws.region)
    # When the same record is delivered twice
    first = handler(event, LocalContext())
    second = handler(event, LocalContext())
    aws.client("sqs").delete_message(
        QueueUrl=local_aws.jobs_queue_url, ReceiptHandle=messages[0]["ReceiptHandle"]
    )
    # Then both deliveries succeed, but the completion is counted and emailed once
    assert first == second == {"batchItemFailures": []}
    body = summary(client, user)
    assert (body["totalGoals"], body["completedGoals"], body["activeGoals"]) == (1, 1, 0)
    assert body["progressEntries"] == 1
    assert body["byCategory"]["learning"] == {"total": 1, "completed": 1}
    assert len(sent_to(user.email, subject_contains="Goal reached")) == 1
