"""Queue poison: a message that always fails ends in the DLQ; its batch neighbours succeed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.core import aws, outbox
from app.core.queues import JOBS
from app.goals.aggregates import GOAL_CREATED, GoalEvent, GoalState
from app.handler import handler
from app.local.aws_emulator import LocalAws
from app.local.poller import QueuePoller
from tests.conftest import LoggedInUser
from tests.goals.helpers import summary


def _take_from_dlq(dlq_url: str, marker: str) -> list[dict[str, Any]]:
    """Receive the DLQ's messages carrying the marker and delete them; release the rest."""
    sqs = aws.client("sqs")
    found: list[dict[str, Any]] = []
    for _ in range(5):
        messages = sqs.receive_message(
            QueueUrl=dlq_url, MaxNumberOfMessages=10, AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            break
        for message in messages:
            if marker in message["Body"]:
                found.append(message)
                sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            else:
                sqs.change_message_visibility(
                    QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                )
    return found


def test_poison_message_reaches_dlq_while_batch_neighbour_succeeds(
    client: TestClient,
    user: LoggedInUser,
    local_aws: LocalAws,
    drain_queue: Callable[[], list[dict[str, Any]]],
) -> None:
    # Given an empty queue, then one batch of a poison message and a good goal event
    drain_queue()
    marker = f"poison-{uuid.uuid4()}"
    poison = json.dumps({"type": "test.no_such_handler", "id": marker, "payload": {}})
    event = GoalEvent(
        owner_id=user.sub,
        goal_id=str(uuid.uuid4()),
        state=GoalState(status="active", category="mindfulness"),
    )
    good = outbox.new_message(GOAL_CREATED, event.payload())
    sent = aws.client("sqs").send_message_batch(
        QueueUrl=local_aws.jobs_queue_url,
        Entries=[{"Id": "poison", "MessageBody": poison}, {"Id": "good", "MessageBody": good.body}],
    )
    ids = {entry["Id"]: entry["MessageId"] for entry in sent["Successful"]}
    poller = QueuePoller(local_aws.jobs_queue_url, handler, retry_delay_seconds=0)
    # When the poller processes the first batch
    first = poller.poll_once(wait_seconds=0)
    # Then only the poison is reported failed, and the good message took effect
    assert first is not None
    assert first["batchItemFailures"] == [{"itemIdentifier": ids["poison"]}]
    assert summary(client, user)["byCategory"]["mindfulness"] == {"total": 1, "completed": 0}
    # When polling goes on until the queue is empty
    results = [first, *poller.drain()]
    # Then the poison failed once per receive, up to maxReceiveCount, and now sits in the DLQ
    failures = [
        f for r in results for f in r["batchItemFailures"] if f["itemIdentifier"] == ids["poison"]
    ]
    assert len(failures) == JOBS.max_receive_count
    dead = _take_from_dlq(local_aws.jobs_dlq_url, marker)
    assert [message["Body"] for message in dead] == [poison]
    assert int(dead[0]["Attributes"]["ApproximateReceiveCount"]) >= JOBS.max_receive_count
    # And the good message was applied exactly once
    assert summary(client, user)["totalGoals"] == 1
