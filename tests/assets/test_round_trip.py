"""The whole asset flow on the emulated S3: presign, upload, complete, download, delete."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient

from app.core import aws
from app.local.aws_emulator import LocalAws
from tests.assets.helpers import CONTENT, create_asset, upload
from tests.conftest import LoggedInUser


def test_upload_asset_round_trip_returns_same_bytes(
    client: TestClient, user: LoggedInUser, moto_url: str
) -> None:
    # Given a new asset with a presigned POST pointing at the emulated S3
    created = create_asset(client, user, file_name="Quarterly report.pdf")
    asset = created["asset"]
    assert asset["status"] == "pending" and asset["version"] == 1
    assert created["upload"]["method"] == "POST"
    assert created["upload"]["url"].startswith(moto_url)
    # When the client uploads the bytes with plain httpx and completes
    assert upload(created).status_code in (200, 201, 204)
    completed = client.post(f"/assets/{asset['assetId']}/complete", headers=user.headers)
    # Then the asset is uploaded and its download returns the same bytes as an attachment
    assert completed.status_code == 200, completed.text
    assert completed.json()["status"] == "uploaded"
    assert completed.json()["version"] == 2 and completed.json()["uploadedAt"]
    link = client.get(f"/assets/{asset['assetId']}/download", headers=user.headers)
    assert link.status_code == 200
    downloaded = httpx.get(link.json()["url"], timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.content == CONTENT
    assert downloaded.headers["content-type"] == "application/pdf"
    assert downloaded.headers["content-disposition"].startswith("attachment;")
    assert 'filename="Quarterly report.pdf"' in downloaded.headers["content-disposition"]


def test_complete_asset_twice_returns_it_unchanged(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created)
    first = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    second = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()


def test_delete_asset_removes_object_and_record(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws
) -> None:
    # Given an uploaded asset
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    upload(created)
    assert client.post(f"/assets/{asset_id}/complete", headers=user.headers).status_code == 200
    key = created["upload"]["fields"]["key"]
    # When it is deleted
    response = client.delete(f"/assets/{asset_id}", headers=user.headers)
    # Then both the record and the object are gone
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"/assets/{asset_id}", headers=user.headers).status_code == 404
    listed = aws.client("s3").list_objects_v2(Bucket=local_aws.bucket, Prefix=key)
    assert listed.get("KeyCount", 0) == 0
    assert client.delete(f"/assets/{asset_id}", headers=user.headers).status_code == 404


def test_delete_pending_asset_without_object_succeeds(
    client: TestClient, user: LoggedInUser
) -> None:
    asset_id = create_asset(client, user)["asset"]["assetId"]
    assert client.delete(f"/assets/{asset_id}", headers=user.headers).status_code == 204
    assert client.get(f"/assets/{asset_id}", headers=user.headers).status_code == 404


def test_download_asset_before_upload_conflicts(client: TestClient, user: LoggedInUser) -> None:
    asset_id = create_asset(client, user)["asset"]["assetId"]
    response = client.get(f"/assets/{asset_id}/download", headers=user.headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_complete_asset_without_object_conflicts(client: TestClient, user: LoggedInUser) -> None:
    created = create_asset(client, user)
    asset_id = created["asset"]["assetId"]
    response = client.post(f"/assets/{asset_id}/complete", headers=user.headers)
    assert response.status_code == 409
    after = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    assert after == created["asset"]
