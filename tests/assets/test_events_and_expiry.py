"""The S3 ObjectCreated path through the worker, and records past their TTL."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import pytest
from fastapi.testclient import TestClient

from app.assets import repository, service, storage
from app.assets.exceptions import AssetNotFound
from app.assets.repository import AssetRecord
from app.core import aws
from app.core.config import get_settings
from app.core.dynamo import plain_item
from app.handler import handler
from app.local.aws_emulator import LocalAws
from app.local.poller import LocalContext
from tests.assets.helpers import (
    CONTENT,
    create_asset,
    create_uploaded,
    s3_created_body,
    sqs_event,
    upload,
)
from tests.conftest import LoggedInUser


def _feed(*bodies: str) -> dict[str, Any]:
    return handler(sqs_event(*bodies), LocalContext())


def test_s3_event_marks_uploaded_asset_without_complete(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws
) -> None:
    # Given an uploaded object whose asset is still pending
    _, asset_id, key = create_uploaded(client, user)
    # When its ObjectCreated notification reaches the worker, URL-encoded as moto sends it
    body = s3_created_body(local_aws.bucket, quote_plus(key), len(CONTENT))
    first = _feed(body)
    after_first = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    second = _feed(body)
    # Then the asset is uploaded once, and the redelivery changes nothing
    assert first == second == {"batchItemFailures": []}
    assert after_first["status"] == "uploaded" and after_first["version"] == 2
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json() == after_first
    completed = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert completed.status_code == 200 and completed.json() == after_first


def test_s3_event_through_emulated_notification_marks_uploaded(
    client: TestClient,
    user: LoggedInUser,
    drain_queue: Callable[[], list[dict[str, Any]]],
) -> None:
    # Given an upload to the emulated bucket, which notifies the jobs queue
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created)
    # When the queue is drained through the Lambda handler
    drain_queue()
    # Then the asset was confirmed without the client's call
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json()["status"] == "uploaded"


def test_s3_event_with_mismatched_object_marks_asset_failed(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws
) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    key = created["upload"]["fields"]["key"]
    upload(created, b"not the declared size")
    assert _feed(s3_created_body(local_aws.bucket, key, 21)) == {"batchItemFailures": []}
    asset = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    assert asset["status"] == "failed"
    assert client.get(f"/assets/{asset_id}/download", headers=user.headers).status_code == 409
    # A corrected upload can still be confirmed while the policy is valid
    upload(created)
    assert _feed(s3_created_body(local_aws.bucket, key, len(CONTENT))) == {"batchItemFailures": []}
    assert client.get(f"/assets/{asset_id}", headers=user.headers).json()["status"] == "uploaded"


@pytest.mark.parametrize(
    "make_key",
    [
        lambda _sub: "public/readme.txt",
        lambda sub: f"users/{sub}/assets/{uuid.uuid4()}",
        lambda sub: f"users/{sub}/assets/../../etc/passwd",
        lambda _sub: f"users/{uuid.uuid4()}/other/{uuid.uuid4()}",
    ],
    ids=["outside-prefix", "unknown-asset", "dot-dot", "wrong-layout"],
)
def test_s3_event_for_foreign_key_succeeds_without_change(
    user: LoggedInUser, local_aws: LocalAws, make_key: Callable[[str], str]
) -> None:
    response = _feed(s3_created_body(local_aws.bucket, make_key(user.sub), 10))
    assert response == {"batchItemFailures": []}


def test_s3_event_for_other_bucket_changes_nothing(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user)
    upload(created)
    key = created["upload"]["fields"]["key"]
    assert _feed(s3_created_body("someone-elses-bucket", key, len(CONTENT))) == {
        "batchItemFailures": []
    }
    asset = client.get(f"/assets/{created['asset']['assetId']}", headers=user.headers).json()
    assert asset == created["asset"]


def _store_expired_asset(owner: str, status: str) -> str:
    asset_id = str(uuid.uuid4())
    aws.table("assets").put_item(
        Item={
            "assetId": asset_id,
            "ownerId": owner,
            "ownerStatus": f"{owner}#{status}",
            "objectKey": f"users/{owner}/assets/{asset_id}",
            "fileName": "old.pdf",
            "contentType": "application/pdf",
            "size": 10,
            "status": status,
            "version": 1,
            "createdAt": "2020-01-01T00:00:00.000000Z",
            "updatedAt": "2020-01-01T00:00:00.000000Z",
            "expiresAt": int(time.time()) - 60,
        }
    )
    return asset_id


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("POST", "/complete"), ("GET", "/download"), ("DELETE", "")],
    ids=["get", "complete", "download", "delete"],
)
def test_access_expired_asset_is_not_found(
    client: TestClient, user: LoggedInUser, method: str, suffix: str
) -> None:
    asset_id = _store_expired_asset(user.sub, "uploaded")
    response = client.request(method, f"/assets/{asset_id}{suffix}", headers=user.headers)
    assert response.status_code == 404


def test_mark_record_expiring_after_its_read_raises_not_found(user: LoggedInUser) -> None:
    # Given a pending record read just before its TTL passed (DynamoDB deletes late)
    asset_id = _store_expired_asset(user.sub, "pending")
    item = plain_item(aws.table("assets").get_item(Key={"assetId": asset_id})["Item"])
    record = AssetRecord(
        asset_id=asset_id,
        owner_id=user.sub,
        object_key=str(item["objectKey"]),
        file_name="old.pdf",
        content_type="application/pdf",
        size=10,
        status="pending",
        version=1,
        created_at=str(item["createdAt"]),
        updated_at=str(item["updatedAt"]),
        expires_at=int(item["expiresAt"]),
    )
    # When it is moved to uploaded at its version, Then it is gone (404), not a version conflict
    with pytest.raises(AssetNotFound):
        repository.set_status(
            record, status="uploaded", allowed_from=("pending",), uploaded_at=record.updated_at
        )
    assert aws.table("assets").get_item(Key={"assetId": asset_id})["Item"]["status"] == "pending"


def test_list_assets_omits_expired_records(client: TestClient, user: LoggedInUser) -> None:
    live = create_asset(client, user)["asset"]["assetId"]
    expired = {_store_expired_asset(user.sub, status) for status in ("pending", "uploaded")}
    listed = client.get("/assets", headers=user.headers).json()["items"]
    by_status = client.get("/assets?status=uploaded", headers=user.headers).json()["items"]
    assert [a["assetId"] for a in listed] == [live]
    assert not expired & {a["assetId"] for a in by_status}


def test_create_asset_sets_ttl_from_settings(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user)
    item = plain_item(
        aws.table("assets").get_item(Key={"assetId": created["asset"]["assetId"]})["Item"]
    )
    expected = time.time() + get_settings().asset_ttl_days * 86400
    assert abs(int(item["expiresAt"]) - expected) < 60
    assert created["asset"]["expiresAt"].endswith("Z")


def test_finding_06_complete_and_s3_event_race_converge_quietly(
    client: TestClient,
    user: LoggedInUser,
    local_aws: LocalAws,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given an uploaded object, and a client whose complete call lands while the worker is
    # between reading the pending record and writing it
    _, asset_id, key = create_uploaded(client, user)
    real_head = storage.head
    completed: list[Any] = []

    def head_then_complete(object_key: str) -> Any:
        stored = real_head(object_key)
        if not completed:
            completed.append(None)  # complete_upload heads the object too: race only once
            completed[0] = service.complete_upload(owner_id=user.sub, asset_id=asset_id)
        return stored

    monkeypatch.setattr(storage, "head", head_then_complete)
    # When the S3 event is processed
    with caplog.at_level("INFO"):
        result = _feed(s3_created_body(local_aws.bucket, quote_plus(key), len(CONTENT)))
    # Then both paths agree on uploaded, the job succeeds, and nothing is logged as an error
    assert result == {"batchItemFailures": []}
    assert completed[0].status == "uploaded"
    final = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    assert final["status"] == "uploaded" and final["version"] == 2
    assert not [r for r in caplog.records if r.levelno >= 30 or r.exc_info], caplog.text
