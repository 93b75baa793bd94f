"""Queue handlers of the assets domain: S3 ObjectCreated events confirm uploads."""

from __future__ import annotations

from urllib.parse import unquote_plus

from app.assets import service
from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger


@jobs.register(jobs.S3_OBJECT_CREATED)
def handle_object_created(message: JobMessage, context: JobContext) -> None:
    """Mark the asset behind a new object uploaded (or failed); other keys are ignored."""
    raw_key = message.payload.get("key")
    bucket = message.payload.get("bucket")
    if not isinstance(raw_key, str) or not raw_key:
        logger.warning("s3 event without a key", extra={"event_id": message.id})
        return
    # S3 URL-encodes keys in notifications (spaces as '+'); moto also encodes '/'.
    key = unquote_plus(raw_key)
    outcome = service.confirm_object_created(
        bucket=bucket if isinstance(bucket, str) else None, key=key
    )
    logger.info(
        "s3 object created",
        extra={
            "event_id": message.id,
            "outcome": outcome,
            "receive_count": context.receive_count,
        },
    )
