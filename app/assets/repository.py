"""DynamoDB access for asset records; stored items never leave this module."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.assets.domain import ASSETS
from app.assets.exceptions import AssetNotFound
from app.assets.schemas import AssetStatus
from app.core import aws, dynamo
from app.core.errors import NotFound, VersionConflict
from app.core.schemas import isoformat, utc_now

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

TTL = ASSETS.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class AssetRecord:
    """A stored asset, keys and index attributes stripped."""

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


@dataclass(frozen=True)
class RecordPage:
    """One page of records and the DynamoDB key to continue from."""

    records: list[AssetRecord]
    last_key: dict[str, Any] | None


def _table() -> Table:
    return aws.table(ASSETS.name)


def _owner_status(owner_id: str, status: str) -> str:
    return f"{owner_id}#{status}"


def _to_record(item: dict[str, Any]) -> AssetRecord:
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


def create(record: AssetRecord) -> None:
    """Store a new record; its id must be unused."""
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
    dynamo.put_new(_table(), item, key_attribute="assetId")


def get(asset_id: str, *, owner_id: str) -> AssetRecord | None:
    """Return the owner's unexpired record, or None."""
    item = dynamo.get_owned(_table(), {"assetId": asset_id}, owner=owner_id, ttl_attribute=TTL)
    return None if item is None else _to_record(item)


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

    now = isoformat(utc_now())
    sets = [
        "#status = :new_status",
        "#ownerStatus = :new_owner_status",
        "#updatedAt = :new_now",
        "#version = #version + :new_one",
    ]
    names = {
        "#status": "status",
        "#ownerStatus": "ownerStatus",
        "#updatedAt": "updatedAt",
        "#version": "version",
    }
    values: dict[str, Any] = {
        ":new_status": status,
        ":new_owner_status": _owner_status(record.owner_id, status),
        ":new_now": now,
        ":new_one": 1,
    }
    if uploaded_at is not None:
        sets.append("#uploadedAt = :new_uploaded_at")
        names["#uploadedAt"] = "uploadedAt"
        values[":new_uploaded_at"] = uploaded_at
    # boto3 names the condition's placeholders #n0/:v0..., so ours must not look like those.
    condition = (
        Attr("ownerId").eq(record.owner_id)
        & Attr("version").eq(record.version)
        & Attr("status").is_in(list(allowed_from))
        & Attr(TTL).gt(int(time.time()))
    )
    try:
        response = _table().update_item(
            Key={"assetId": record.asset_id},
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except ClientError as exc:
        if dynamo.is_conditional_failure(exc):
            raise _condition_error(exc, record.owner_id) from exc
        raise
    return _to_record(dynamo.plain_item(response["Attributes"]))


def _condition_error(exc: ClientError, owner_id: str) -> Exception:
    old: dict[str, Any] = exc.response.get("Item") or {}  # type: ignore[assignment]
    owned = old.get("ownerId", {}).get("S") == owner_id
    if not owned or int(old.get(TTL, {}).get("N", "0")) <= int(time.time()):
        return AssetNotFound()
    return VersionConflict(details=[{"currentVersion": int(old.get("version", {}).get("N", "0"))}])


def delete(record: AssetRecord) -> None:
    """Delete the record if it is still the owner's."""
    try:
        dynamo.delete_owned(_table(), {"assetId": record.asset_id}, owner=record.owner_id)
    except NotFound as exc:
        raise AssetNotFound() from exc


def list_page(
    *, owner_id: str, status: AssetStatus | None, limit: int, start_key: dict[str, Any] | None
) -> RecordPage:
    """Query one page of the owner's unexpired records, newest first, through an index."""
    from boto3.dynamodb.conditions import Attr, Key

    if status is None:
        index, condition = "byOwner", Key("ownerId").eq(owner_id)
    else:
        index, condition = "byOwnerStatus", Key("ownerStatus").eq(_owner_status(owner_id, status))
    kwargs: dict[str, Any] = {
        "IndexName": index,
        "KeyConditionExpression": condition,
        # moto never deletes expired items and DynamoDB deletes them late: filter them out.
        "FilterExpression": Attr(TTL).gt(int(time.time())),
        "Limit": limit,
        "ScanIndexForward": False,
    }
    if start_key:
        kwargs["ExclusiveStartKey"] = start_key
    response = _table().query(**kwargs)
    items = [dynamo.plain_item(item) for item in response.get("Items", [])]
    return RecordPage(
        records=[_to_record(i) for i in items if not dynamo.is_expired(i, TTL)],
        last_key=response.get("LastEvaluatedKey"),
    )
