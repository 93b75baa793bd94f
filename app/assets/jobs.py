"""Queue handlers of the assets domain: S3 ObjectCreated events confirm uploads."""

from __future__ import annotations

from app.assets import events, service
from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger


@jobs.register(events.S3_RECORD)
def handle_s3_record(message: JobMessage, context: JobContext) -> None:
    """Mark the asset behind a new object uploaded (or failed); other events are ignored."""
    created = events.object_created(message.payload)
    if created is None:
        return
    if not created.key:
        logger.warning("s3 event without a key", extra={"event_id": message.id})
        return
    outcome = service.confirm_object_created(bucket=created.bucket, key=created.key)
    logger.info(
        "s3 object created",
        extra={
            "event_id": message.id,
            "outcome": outcome,
            "receive_count": context.receive_count,
        },
    )


@jobs.register(events.S3_TEST_EVENT)
def acknowledge_s3_test_event(message: JobMessage, context: JobContext) -> None:  # noqa: ARG001
    """Acknowledge the test event S3 sends when the notification is configured; no work."""
