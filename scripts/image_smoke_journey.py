"""The image smoke check's journey, run inside the isolated child with only the task root.

Run by scripts/image_smoke.py as `python -I -S -B image_smoke_journey.py TASK_ROOT AI_URL`.
Every call goes through `app.handler.handler`, as Lambda sends it: one request of every
registered domain, the queued jobs as SQS batches, the outbox sweep as a scheduled event; a chat
reply and a structured answer through ChatBedrockConverse, and a Gemini fallback through httpx,
all against the AI emulator. Prints one JSON line; any exception fails the check.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import urllib.request
import uuid
from typing import Any

ROOT, AI_URL = sys.argv[1], sys.argv[2]
sys.path.insert(0, ROOT)

import boto3  # noqa: E402 - from the task root, once it is on sys.path

import app.handler  # noqa: E402
from app.core.config import get_settings  # noqa: E402
from app.domains import domains  # noqa: E402

PASSWORD = "Smoke-Passw0rd-9"  # noqa: S105 - a throwaway user in the emulator
covered: set[str] = set()
calls: list[str] = []


class Context:
    """The Lambda context attributes the app reads."""

    function_name = "planforge-prod-api"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:planforge-prod-api"
    aws_request_id = "smoke-request"

    def get_remaining_time_in_millis(self) -> int:
        """Return a generous time left."""
        return 60_000


def http(
    domain: str, method: str, path: str, status: int, body: Any = None, token: str = ""
) -> Any:
    """Send one HTTP API v2 event for a domain's route; return the JSON body."""
    headers = {"host": "api.example.com", "content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.9",
            },
            "requestId": str(uuid.uuid4()),
            "stage": "$default",
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }
    response = app.handler.handler(event, Context())
    calls.append(f"{method} {path} -> {response['statusCode']}")
    if response["statusCode"] != status:
        raise AssertionError(f"{method} {path}: {response['statusCode']} {response.get('body')}")
    covered.add(domain)
    return json.loads(response["body"]) if response.get("body") else None


def run_queued_jobs() -> int:
    """Hand every queued message to the handler as SQS does; return how many were handled."""
    sqs = boto3.client("sqs")
    url = get_settings().jobs_queue_url
    handled = 0
    for _ in range(30):
        messages = sqs.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return handled
        records = [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:planforge-prod-jobs",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
        result = app.handler.handler({"Records": records}, Context())
        if result.get("batchItemFailures"):
            raise AssertionError(f"the worker failed records: {result}")
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        handled += len(messages)
    raise AssertionError("the jobs queue did not drain")


def emulator(path: str, body: dict[str, Any]) -> None:
    """POST to the AI emulator's control API (loopback)."""
    request = urllib.request.Request(  # noqa: S310 - the loopback emulator's URL
        f"{AI_URL}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


def finished(token: str, job_id: str, engine: str) -> dict[str, Any]:
    """Return a job that must have succeeded on the given engine with an emulated model."""
    job: dict[str, Any] = http("ai", "GET", f"/ai/jobs/{job_id}", 200, token=token)
    if job["status"] != "succeeded" or job["engine"] != engine or not job["result"]:
        raise AssertionError(f"job {job_id} did not succeed on {engine}: {job}")
    if not str(job["model"]).startswith("emulator/"):
        raise AssertionError(f"job {job_id} was not answered by the emulator: {job['model']}")
    return job


def journey() -> dict[str, Any]:
    """Run the journey; return what the report needs."""
    email = f"smoke-{uuid.uuid4().hex[:10]}@example.com"
    http("auth", "POST", "/auth/register", 201, {"email": email, "password": PASSWORD, "name": "S"})
    # Prod refuses auto-confirm; confirm as an administrator would.
    settings = get_settings()
    boto3.client("cognito-idp").admin_confirm_sign_up(
        UserPoolId=settings.cognito_user_pool_id, Username=email
    )
    token = http("auth", "POST", "/auth/login", 200, {"email": email, "password": PASSWORD})[
        "accessToken"
    ]
    http("auth", "GET", "/auth/me", 200, token=token)
    project = http("projects", "POST", "/projects", 201, {"name": "Smoke"}, token)["projectId"]
    http("projects", "GET", f"/projects/{project}", 200, token=token)
    requirements = f"/projects/{project}/requirements"
    http(
        "requirements", "POST", requirements, 201, {"type": "functional", "title": "Log in"}, token
    )
    structured = http("requirements", "POST", f"{requirements}/generate", 202, {}, token)["jobId"]
    risk = {"title": "Late parts", "category": "schedule", "likelihood": 3, "impact": 4}
    http("risks", "POST", f"/projects/{project}/risks", 201, risk, token)
    http("risks", "GET", f"/projects/{project}/risks", 200, token=token)
    http("templates", "GET", "/templates", 200, token=token)
    http("sessions", "POST", "/sessions", 201, {"title": "Smoke", "projectId": project}, token)
    http("sessions", "GET", "/sessions", 200, token=token)
    http("goals", "POST", "/goals", 201, {"title": "Ship", "category": "career"}, token)
    http("goals", "GET", "/goals", 200, token=token)
    http("waitlist", "POST", "/waitlist", 201, {"email": f"w-{email}"})
    asset = {"fileName": "plan.pdf", "contentType": "application/pdf", "size": 1024}
    http("assets", "POST", "/assets", 201, asset, token)
    http("assets", "GET", "/assets", 200, token=token)
    chat = http("ai", "POST", "/ai/generate", 202, {"prompt": "Name three risks."}, token)["jobId"]
    handled = run_queued_jobs()
    sweep = app.handler.handler(
        {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}}, Context()
    )
    chat_job = finished(token, chat, "bedrock")
    finished(token, structured, "bedrock")
    stored = http("requirements", "GET", requirements, 200, token=token)["items"]
    if not any(item["source"] == "ai" for item in stored):
        raise AssertionError(f"the structured answer was not stored: {stored}")
    # Bedrock down: the chain falls back to Gemini over httpx (key from Secrets Manager).
    emulator("/_emulator/faults", {"provider": "bedrock", "fault": "unavailable", "count": 20})
    fallback = http("ai", "POST", "/ai/generate", 202, {"prompt": "And one more."}, token)["jobId"]
    handled += run_queued_jobs()
    emulator("/_emulator/reset", {})
    finished(token, fallback, "gemini")
    return {
        "jobs_handled": handled,
        "outbox_sweep": sweep,
        "chat_reply_chars": len(str(chat_job["result"])),
    }


def uncompiled() -> list[str]:
    """Return the task root's modules that were loaded without precompiled bytecode."""
    missing = []
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(ROOT) and path.endswith(".py"):
            cached = importlib.util.cache_from_source(path)
            if not os.path.exists(cached):
                missing.append(module.__name__)
    return sorted(missing)


def main() -> None:
    """Run the journey and print the report."""
    result = journey()
    registered = sorted(domain.name for domain in domains())
    print(
        json.dumps(
            {
                **result,
                "domains": registered,
                "not_covered": sorted(set(registered) - covered),
                "calls": calls,
                "uncompiled": uncompiled(),
                "loaded": sorted({m.split(".")[0] for m in sys.modules if "langchain" in m}),
                "httpx_loaded": "httpx" in sys.modules,
                "xray_loaded": "aws_xray_sdk.ext.botocore.patch" in sys.modules,
            }
        )
    )


if __name__ == "__main__":
    main()
