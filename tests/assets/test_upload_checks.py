"""complete checks the object against the record; S3 outages answer 503."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from fastapi.testclient import TestClient

from app.assets import storage
from app.handler import handler
from app.local.aws_emulator import LocalAws
from app.local.poller import LocalContext
from tests.assets.helpers import CONTENT, create_asset, s3_created_body, sqs_event, upload
from tests.conftest import LoggedInUser


def test_complete_asset_with_wrong_size_conflicts_and_keeps_record(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given an asset declared at len(CONTENT) bytes, and a larger object (moto ignores the policy)
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created, CONTENT + b"trailing bytes")
    # When the client completes
    response = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    # Then it is a 409 naming the size, and the record is exactly as it was
    assert response.status_code == 409
    assert response.json()["error"]["details"][0]["field"] == "size"
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json() == created["asset"]


def test_complete_asset_with_wrong_type_conflicts_and_keeps_record(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created, content_type="text/html")
    response = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert response.status_code == 409
    assert response.json()["error"]["details"] == [
        {"field": "contentType", "expected": "application/pdf", "actual": "text/html"}
    ]
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json() == created["asset"]


def test_complete_asset_after_corrected_upload_succeeds(
    client: TestClient, user: LoggedInUser
) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created, b"wrong")
    assert client.post(f"/assets/{asset_id}/complete", headers=user.headers).status_code == 409
    upload(created)
    response = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert response.status_code == 200 and response.json()["status"] == "uploaded"


@pytest.fixture
def s3_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the assets storage at a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead: Any = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{port}",
        config=Config(
            signature_version="s3v4", connect_timeout=1, retries={"total_max_attempts": 1}
        ),
    )
    monkeypatch.setattr(storage, "_s3", lambda: dead)
    yield


@pytest.mark.parametrize(
    ("method", "suffix"), [("POST", "/complete"), ("DELETE", "")], ids=["complete", "delete"]
)
def test_asset_route_with_s3_unreachable_is_unavailable(
    client: TestClient, user: LoggedInUser, method: str, suffix: str, request: Any
) -> None:
    # Given an asset, and then S3 going away
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    request.getfixturevalue("s3_down")
    # When a route that needs S3 runs
    response = client.request(method, f"/assets/{asset_id}{suffix}", headers=user.headers)
    # Then it is a 503 with Retry-After, leaking nothing, and the record is untouched
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert "127.0.0.1" not in response.text
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json() == created["asset"]


def test_s3_event_with_s3_unreachable_is_retried(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws, s3_down: None
) -> None:
    created = create_asset(client, user)
    event = sqs_event(s3_created_body(local_aws.bucket, created["upload"]["fields"]["key"], 1))
    response = handler(event, LocalContext())
    assert response["batchItemFailures"] == [{"itemIdentifier": event["Records"][0]["messageId"]}]
