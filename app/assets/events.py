"""S3 event notifications as the bucket delivers them to the jobs queue, read for assets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import unquote_plus

# The job types the core worker gives S3's notifications: a record's eventSource, and the
# test event S3 sends once when the bucket's notification is configured.
S3_RECORD: Final = "aws:s3"
S3_TEST_EVENT: Final = "s3:TestEvent"


@dataclass(frozen=True)
class ObjectCreated:
    """An object S3 reports as created; key is decoded, and empty if the record has none."""

    bucket: str | None
    key: str


def _field(parent: Any, name: str) -> Any:
    return parent.get(name) if isinstance(parent, Mapping) else None


def object_created(record: Mapping[str, Any]) -> ObjectCreated | None:
    """Return the object an S3 record announces as created; None for any other event."""
    if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
        return None
    s3 = record.get("s3")
    bucket = _field(_field(s3, "bucket"), "name")
    raw_key = _field(_field(s3, "object"), "key")
    return ObjectCreated(
        bucket=bucket if isinstance(bucket, str) else None,
        # S3 URL-encodes keys in notifications (spaces as '+'); moto also encodes '/'.
        key=unquote_plus(raw_key) if isinstance(raw_key, str) else "",
    )
