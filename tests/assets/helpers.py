"""Small helpers shared by the asset tests."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser

CONTENT = b"%PDF-1.7 planforge test document\n"


def create_asset(
    client: TestClient,
    user: LoggedInUser,
    *,
    file_name: str = "report.pdf",
    content_type: str = "application/pdf",
    size: int = len(CONTENT),
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create an asset through the API and return the 201 body."""
    response = client.post(
        "/assets",
        json={"fileName": file_name, "contentType": content_type, "size": size},
        headers={**user.headers, **(headers or {})},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def upload(
    created: dict[str, Any], content: bytes = CONTENT, *, content_type: str | None = None
) -> httpx.Response:
    """POST the bytes to the presigned URL as a browser form would, with plain httpx."""
    fields = dict(created["upload"]["fields"])
    if content_type is not None:
        fields["Content-Type"] = content_type
    return httpx.post(
        created["upload"]["url"],
        data=fields,
        files={"file": ("upload.bin", content, fields["Content-Type"])},
        timeout=10,
    )


def create_uploaded(client: TestClient, user: LoggedInUser) -> tuple[dict[str, Any], str, str]:
    """Create an asset and upload its object; return the 201 body, the asset id and the key."""
    created = create_asset(client, user)
    upload(created)
    return created, created["asset"]["assetId"], created["upload"]["fields"]["key"]


def sqs_event(*bodies: str) -> dict[str, Any]:
    """Build the Lambda SQS event the event source mapping would deliver."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "AQEB" + uuid.uuid4().hex,
                "body": body,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:planforge-local-jobs",
                "awsRegion": "us-east-1",
            }
            for body in bodies
        ]
    }


def s3_created_body(bucket: str, key: str, size: int) -> str:
    """Return an S3 ObjectCreated notification body as S3 sends it to SQS."""
    record = {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": "us-east-1",
        "eventName": "ObjectCreated:Post",
        "s3": {
            "s3SchemaVersion": "1.0",
            "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
            "object": {"key": key, "size": size},
        },
    }
    return json.dumps({"Records": [record]})
