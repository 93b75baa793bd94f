"""DynamoDB access for asset records; stored items never leave this module."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from app.assets.domain import ASSETS
from app.assets.exceptions import AssetNotFound
from app.assets.schemas import AssetStatus
from app.core.expressions import Changes
from app.core.records import Page
from app.core.store import DynamoStore

TTL = ASSETS.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class AssetRecord:
    """A stored asset; the owner-status index attribute is derived when stored."""

    asset_id: str
    owner_id: str
    object_key: str
    file_name: str
    content_type: str
    size: int
    status: AssetStatus
    version: int
    created_at: str
    updated_at: str
    expires_at: int
    uploaded_at: str | None = None


def _owner_status(owner_id: str, status: str) -> str:
    return f"{owner_id}#{status}"


def _to_item(record: AssetRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "assetId": record.asset_id,
        "ownerId": record.owner_id,
        "ownerStatus": _owner_status(record.owner_id, record.status),
        "objectKey": record.object_key,
        "fileName": record.file_name,
        "contentType": record.content_type,
        "size": record.size,
        "status": record.status,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
        TTL: record.expires_at,
    }
    if record.uploaded_at is not None:
        item["uploadedAt"] = record.uploaded_at
    return item


def _from_item(item: dict[str, Any]) -> AssetRecord:
    return AssetRecord(
        asset_id=item["assetId"],
        owner_id=item["ownerId"],
        object_key=item["objectKey"],
        file_name=item["fileName"],
        content_type=item["contentType"],
        size=int(item["size"]),
        status=item["status"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        expires_at=int(item[TTL]),
        uploaded_at=item.get("uploadedAt"),
    )


_store = DynamoStore(ASSETS, to_item=_to_item, from_item=_from_item, not_found=AssetNotFound)


def create(record: AssetRecord) -> None:
    """Store a new record; its id must be unused."""
    _store.put_new(record)


def get(asset_id: str, *, owner_id: str) -> AssetRecord | None:
    """Return the owner's unexpired record, or None."""
    return _store.get({"assetId": asset_id}, owner=owner_id)


def set_status(
    record: AssetRecord,
    *,
    status: AssetStatus,
    allowed_from: tuple[AssetStatus, ...],
    uploaded_at: str | None,
) -> AssetRecord:
    """Move a record to a status if it is still at its version, in an allowed status, unexpired.

    Raises AssetNotFound when it is gone, expired or not the owner's, VersionConflict when it
    moved on in between.
    """
    from boto3.dynamodb.conditions import Attr

    sets: dict[str, Any] = {
        "status": status,
        "ownerStatus": _owner_status(record.owner_id, status),
    }
    if uploaded_at is not None:
        sets["uploadedAt"] = uploaded_at
    return _store.update(
        {"assetId": record.asset_id},
        Changes(set=sets),
        owner=record.owner_id,
        expected_version=record.version,
        condition=Attr("status").is_in(list(allowed_from)) & Attr(TTL).gt(int(time.time())),
    )


def delete(record: AssetRecord) -> None:
    """Delete the record if it is still the owner's."""
    _store.delete({"assetId": record.asset_id}, owner=record.owner_id)


def list_page(
    *, owner_id: str, status: AssetStatus | None, limit: int, start_key: dict[str, Any] | None
) -> Page[AssetRecord]:
    """Query one page of the owner's unexpired records, newest first, through an index."""
    if status is None:
        index, hash_value = "byOwner", owner_id
    else:
        index, hash_value = "byOwnerStatus", _owner_status(owner_id, status)
    return _store.query(hash_value, index=index, limit=limit, start_key=start_key, owner=owner_id)
