"""Helpers for the AI tests: queue jobs through the API and run them through the worker."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.handler import handler
from app.local.poller import LocalContext
from tests.conftest import LoggedInUser

Drain = Callable[[], list[dict[str, Any]]]


def queue_text(client: TestClient, user: LoggedInUser, prompt: str, **extra: Any) -> str:
    """Queue a text job and return its id."""
    response = client.post("/ai/generate", json={"prompt": prompt, **extra}, headers=user.headers)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["jobId"]
    return job_id


def job(client: TestClient, user: LoggedInUser, job_id: str) -> dict[str, Any]:
    """Return the job as its owner sees it."""
    response = client.get(f"/ai/jobs/{job_id}", headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def run_queued(drain_queue: Drain) -> None:
    """Run every queued job and check the worker reported no failed record."""
    for result in drain_queue():
        assert result["batchItemFailures"] == [], result


def deliver(job_id: str) -> dict[str, Any]:
    """Hand one `ai.job` message for the job to the Lambda handler, as SQS would."""
    body = json.dumps({"type": "ai.job", "id": job_id, "payload": {"jobId": job_id}})
    event = {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "handle",
                "body": body,
                "attributes": {"ApproximateReceiveCount": "2"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:planforge-local-jobs",
                "awsRegion": "us-east-1",
            }
        ]
    }
    result: dict[str, Any] = handler(event, LocalContext())
    return result


def create_project(client: TestClient, user: LoggedInUser, **fields: Any) -> dict[str, Any]:
    """Create a project with one phase and one sprint and return it."""
    body = {
        "name": "Checkout revamp",
        "description": "Rebuild the checkout of the web shop.",
        "phases": [{"name": "Discovery", "sprints": [{"name": "Sprint 1", "goal": "Map flows"}]}],
        **fields,
    }
    response = client.post("/projects", json=body, headers=user.headers)
    assert response.status_code == 201, response.text
    project: dict[str, Any] = response.json()
    return project
