"""The SQS side of the Lambda: partial-batch processing through Powertools' BatchProcessor."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from app.core.jobs import JobContext, dispatch
from app.core.observability import annotate, logger, request_id_var


def _handle_record(record: SQSRecord) -> None:
    receive_count = int(record.attributes.approximate_receive_count or 1)
    token = request_id_var.set(record.message_id)
    annotate("job_type", _job_type(record.body))
    try:
        dispatch(record.body, JobContext(message_id=record.message_id, receive_count=receive_count))
    except Exception:
        logger.exception("job failed", extra={"message_id": record.message_id})
        raise
    finally:
        request_id_var.reset(token)


def process_sqs_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process an SQS batch; failed records are listed in batchItemFailures for redelivery."""
    # An all-failed batch still answers with its failures rather than raising, so that the
    # event source retries exactly those messages and the DLQ counts stay per message.
    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    response = process_partial_response(
        event=event, record_handler=_handle_record, processor=processor, context=context
    )
    return dict(response)


def _job_type(body: str) -> str:
    """Return a message's job type for the trace, without failing on a malformed body."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return "unparsable"
    kind = parsed.get("type") if isinstance(parsed, dict) else None
    return kind if isinstance(kind, str) else "unknown"
