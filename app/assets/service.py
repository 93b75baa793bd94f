"""Asset use cases: create with a presigned POST, confirm the upload, download, list, delete."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from app.assets import naming, repository, storage
from app.assets.exceptions import (
    AssetNotFound,
    AssetNotUploaded,
    ContentTypeNotAllowed,
    FileTooLarge,
    UploadMismatch,
    UploadMissing,
)
from app.assets.repository import AssetRecord
from app.assets.schemas import (
    AssetCreate,
    AssetCreated,
    AssetRead,
    AssetStatus,
    DownloadLink,
    UploadTarget,
)
from app.core.config import get_settings
from app.core.errors import VersionConflict
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, retry_on_conflict

PENDING: Final = "pending"
UPLOADED: Final = "uploaded"
FAILED: Final = "failed"


def to_read(record: AssetRecord) -> AssetRead:
    """Convert a stored record to its API model."""
    return AssetRead(
        asset_id=record.asset_id,
        file_name=record.file_name,
        content_type=record.content_type,
        size=record.size,
        status=record.status,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
        uploaded_at=record.uploaded_at,
        expires_at=isoformat(datetime.fromtimestamp(record.expires_at, UTC)),
    )


def _validate(content_type: str, size: int) -> None:
    settings = get_settings()
    allowed = {t.lower() for t in settings.upload_allowed_types}
    if content_type not in allowed:
        raise ContentTypeNotAllowed(
            details=[{"loc": ["body", "contentType"], "allowed": sorted(allowed)}]
        )
    if size > settings.upload_max_bytes:
        raise FileTooLarge(
            details=[{"loc": ["body", "size"], "maxBytes": settings.upload_max_bytes}]
        )


def _sign_upload(record: AssetRecord) -> UploadTarget:
    ttl = get_settings().upload_url_ttl_seconds
    expires_at = utc_now() + timedelta(seconds=ttl)
    post = storage.presign_post(
        key=record.object_key,
        content_type=record.content_type,
        size=record.size,
        expires_in=ttl,
    )
    return UploadTarget(url=post.url, fields=post.fields, expires_at=isoformat(expires_at))


def _new_asset(*, owner_id: str, body: AssetCreate, content_type: str) -> AssetCreated:
    now = utc_now()
    asset_id = str(uuid.uuid4())
    record = AssetRecord(
        asset_id=asset_id,
        owner_id=owner_id,
        object_key=naming.object_key(owner_id, asset_id),
        file_name=naming.sanitise_file_name(body.file_name),
        content_type=content_type,
        size=body.size,
        status=PENDING,
        version=1,
        created_at=isoformat(now),
        updated_at=isoformat(now),
        expires_at=int(now.timestamp()) + get_settings().asset_ttl_days * 86400,
    )
    repository.create(record)
    return AssetCreated(asset=to_read(record), upload=_sign_upload(record))


def create_asset(*, owner_id: str, body: AssetCreate, idempotency_key: str | None) -> AssetCreated:
    """Validate the declared file, store a pending record and presign its upload.

    A replay with the same Idempotency-Key returns the first asset; while it is still pending,
    the upload is signed afresh so that a retrying client never gets an expired policy.
    """
    content_type = body.content_type.lower()
    _validate(content_type, body.size)
    created: list[AssetCreated] = []

    def create() -> AssetCreated:
        created.append(_new_asset(owner_id=owner_id, body=body, content_type=content_type))
        return created[0]

    first = idempotent_create(
        scope="assets",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=AssetCreated,
    )
    if created:
        return created[0]
    current = repository.get(first.asset.asset_id, owner_id=owner_id)
    if current is not None and current.status == PENDING:
        return AssetCreated(asset=first.asset, upload=_sign_upload(current))
    return first


def _get_record(owner_id: str, asset_id: str) -> AssetRecord:
    record = repository.get(asset_id, owner_id=owner_id)
    if record is None:
        raise AssetNotFound()
    return record


def get_asset(*, owner_id: str, asset_id: str) -> AssetRead:
    """Return one of the owner's assets."""
    return to_read(_get_record(owner_id, asset_id))


def list_assets(
    *, owner_id: str, status: AssetStatus | None, limit: int, cursor: str | None
) -> Page[AssetRead]:
    """Return a page of the owner's assets, newest first, optionally of one status."""
    return paginate(
        owner=owner_id,
        scope=f"assets:{status or '*'}",
        cursor=cursor,
        fetch=lambda start_key: repository.list_page(
            owner_id=owner_id, status=status, limit=limit, start_key=start_key
        ),
        convert=to_read,
    )


def _mismatch(record: AssetRecord, stored: storage.StoredObject) -> list[dict[str, Any]]:
    problems: list[dict[str, Any]] = []
    if stored.size != record.size:
        problems.append({"field": "size", "expected": record.size, "actual": stored.size})
    if stored.content_type.lower() != record.content_type:
        problems.append(
            {
                "field": "contentType",
                "expected": record.content_type,
                "actual": stored.content_type[:255],
            }
        )
    return problems


def _mark(record: AssetRecord, status: AssetStatus) -> AssetRecord:
    return repository.set_status(
        record,
        status=status,
        allowed_from=(PENDING, FAILED) if status == UPLOADED else (PENDING,),
        uploaded_at=isoformat(utc_now()) if status == UPLOADED else None,
    )


def complete_upload(*, owner_id: str, asset_id: str) -> AssetRead:
    """Check the uploaded object against the record and mark the asset uploaded.

    Idempotent: an uploaded asset is returned unchanged. On a missing or mismatching object the
    answer is 409 and the record is left as it was.
    """
    record = _get_record(owner_id, asset_id)
    if record.status == UPLOADED:
        return to_read(record)
    stored = storage.head(record.object_key)
    if stored is None:
        raise UploadMissing()
    problems = _mismatch(record, stored)
    if problems:
        raise UploadMismatch(details=problems)
    try:
        return to_read(_mark(record, UPLOADED))
    except VersionConflict:
        # The S3 event may have confirmed it in between; that is the same outcome.
        current = _get_record(owner_id, asset_id)
        if current.status == UPLOADED:
            return to_read(current)
        raise


# A conflict means another path just moved the record; the re-read almost always ends it.
EVENT_ATTEMPTS = 3


def confirm_object_created(*, bucket: str | None, key: str) -> str:
    """Apply an S3 ObjectCreated event to its asset and return what happened, for the log.

    Matching objects make the asset uploaded; a mismatch marks a pending asset failed (the
    POST policy makes that impossible on real S3). Unknown keys and assets change nothing.
    """
    if bucket != get_settings().assets_bucket:
        return "ignored_bucket"
    parsed = naming.parse_object_key(key)
    if parsed is None:
        return "ignored_key"
    owner_id, asset_id = parsed
    try:
        # complete_upload (or a redelivery) may move it first: read again and converge.
        return retry_on_conflict(
            lambda: _apply_object(owner_id=owner_id, asset_id=asset_id, key=key),
            attempts=EVENT_ATTEMPTS,
        )
    except VersionConflict:
        return "contended"


def _apply_object(*, owner_id: str, asset_id: str, key: str) -> str:
    record = repository.get(asset_id, owner_id=owner_id)
    if record is None or record.object_key != key:
        return "unknown_asset"
    if record.status == UPLOADED:
        return "already_uploaded"
    stored = storage.head(key)
    if stored is None:
        return "object_gone"
    target: AssetStatus = FAILED if _mismatch(record, stored) else UPLOADED
    if target == record.status:
        return "unchanged"
    try:
        _mark(record, target)
    except AssetNotFound:
        return "unknown_asset"
    return target


def download_link(*, owner_id: str, asset_id: str) -> DownloadLink:
    """Presign a GET for an uploaded asset, served as an attachment with its stored type."""
    record = _get_record(owner_id, asset_id)
    if record.status != UPLOADED:
        raise AssetNotUploaded()
    ttl = get_settings().download_url_ttl_seconds
    expires_at = utc_now() + timedelta(seconds=ttl)
    url = storage.presign_get(
        key=record.object_key,
        file_name=record.file_name,
        content_type=record.content_type,
        expires_in=ttl,
    )
    return DownloadLink(url=url, expires_at=isoformat(expires_at))


@dataclass(frozen=True)
class AssetText:
    """The start of an uploaded file, decoded as UTF-8, for other domains to read."""

    file_name: str
    content_type: str
    text: str
    truncated: bool


def read_text(*, owner_id: str, asset_id: str, max_bytes: int) -> AssetText | None:
    """Return up to max_bytes of one of the owner's uploaded files as text; None if it is gone.

    Bytes that are not UTF-8 become U+FFFD, so any file reads without error.
    """
    record = repository.get(asset_id, owner_id=owner_id)
    if record is None or record.status != UPLOADED:
        return None
    data = storage.read_start(record.object_key, max_bytes)
    if data is None:
        return None
    return AssetText(
        file_name=record.file_name,
        content_type=record.content_type,
        text=data.decode("utf-8", errors="replace"),
        truncated=record.size > len(data),
    )


def delete_asset(*, owner_id: str, asset_id: str) -> None:
    """Delete the object, then the record; if S3 fails the record stays for a retry."""
    record = _get_record(owner_id, asset_id)
    storage.delete(record.object_key)
    repository.delete(record)
