"""S3 notifications as the assets domain reads them, alone and through the worker."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from app.assets import events
from app.handler import handler
from app.local.aws_emulator import LocalAws
from app.local.poller import LocalContext
from tests.assets.helpers import (
    CONTENT,
    create_uploaded,
    s3_created_body,
    sqs_event,
)
from tests.conftest import LoggedInUser


def _record(event_name: str, s3: Any) -> dict[str, Any]:
    return {"eventSource": events.S3_RECORD, "eventName": event_name, "s3": s3}


def test_object_created_decodes_url_encoded_key() -> None:
    s3 = {"bucket": {"name": "b"}, "object": {"key": "users%2Fu%2Fassets%2Fmy+file"}}
    assert events.object_created(_record("ObjectCreated:Post", s3)) == events.ObjectCreated(
        bucket="b", key="users/u/assets/my file"
    )


def test_object_created_ignores_other_events() -> None:
    s3 = {"bucket": {"name": "b"}, "object": {"key": "k"}}
    assert events.object_created(_record("ObjectRemoved:Delete", s3)) is None
    assert events.object_created({"eventSource": events.S3_RECORD}) is None


def test_object_created_without_object_has_empty_key() -> None:
    assert events.object_created(_record("ObjectCreated:Put", None)) == events.ObjectCreated(
        bucket=None, key=""
    )
    s3 = {"bucket": "not-a-map", "object": {"key": 5}}
    assert events.object_created(_record("ObjectCreated:Put", s3)) == events.ObjectCreated(
        bucket=None, key=""
    )


def test_s3_body_with_removed_and_created_records_confirms_only_created(
    client: TestClient, user: LoggedInUser, local_aws: LocalAws
) -> None:
    # Given an uploaded object whose asset is pending, and a body that also reports a removal
    created, asset_id, key = create_uploaded(client, user)
    removed = _record(
        "ObjectRemoved:Delete", {"bucket": {"name": local_aws.bucket}, "object": {"key": key}}
    )
    first = json.loads(s3_created_body(local_aws.bucket, key, len(CONTENT)))["Records"][0]
    # When the removal alone, then removal and creation together reach the worker
    alone = handler(sqs_event(json.dumps({"Records": [removed]})), LocalContext())
    after_removal = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    both = handler(sqs_event(json.dumps({"Records": [removed, first]})), LocalContext())
    # Then every record is acknowledged; only the creation changed the asset
    assert alone == both == {"batchItemFailures": []}
    assert after_removal == created["asset"]
    asset = client.get(f"/assets/{asset_id}", headers=user.headers).json()
    assert (asset["status"], asset["version"]) == ("uploaded", 2)


def test_s3_record_without_key_is_acknowledged(local_aws: LocalAws) -> None:
    body = json.dumps({"Records": [_record("ObjectCreated:Put", {"bucket": {"name": "b"}})]})
    assert handler(sqs_event(body), LocalContext()) == {"batchItemFailures": []}
