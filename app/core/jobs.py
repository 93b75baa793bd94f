"""The jobs registry: domains register handlers by message type; the worker dispatches."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.core import aws
from app.core.config import get_settings
from app.core.observability import logger

MAX_MESSAGE_BYTES = 200 * 1024


class JobMessage(BaseModel):
    """The body of every message on the jobs queue."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(min_length=1, max_length=64)
    id: str = Field(min_length=1, max_length=128, description="Per-event id, for consumer dedup.")
    payload: dict[str, Any] = Field(default_factory=dict)


class JobContext(BaseModel):
    """What a handler may want to know about the delivery."""

    message_id: str
    receive_count: int = 1


JobHandler = Callable[[JobMessage, JobContext], None]


class UnknownJobType(Exception):
    """No handler is registered for the message type."""


class InvalidJobMessage(Exception):
    """The record body is not a job message we understand."""


_registry: dict[str, JobHandler] = {}


def register(message_type: str) -> Callable[[JobHandler], JobHandler]:
    """Register the decorated function as the handler of a message type."""

    def decorator(handler: JobHandler) -> JobHandler:
        existing = _registry.get(message_type)
        if existing is not None and existing is not handler:
            raise RuntimeError(f"job type {message_type!r} is registered twice")
        _registry[message_type] = handler
        return handler

    return decorator


def build_message(
    message_type: str, payload: dict[str, Any], *, event_id: str | None = None
) -> str:
    """Serialise a job message body."""
    message = JobMessage(type=message_type, id=event_id or str(uuid.uuid4()), payload=payload)
    body = message.model_dump_json()
    if len(body.encode()) > MAX_MESSAGE_BYTES:
        raise ValueError("job message too large")
    return body


def enqueue(message_type: str, payload: dict[str, Any], *, event_id: str | None = None) -> str:
    """Send a job message to the jobs queue and return its event id."""
    body = build_message(message_type, payload, event_id=event_id)
    aws.client("sqs").send_message(QueueUrl=get_settings().jobs_queue_url, MessageBody=body)
    return str(json.loads(body)["id"])


def parse_record_body(body: str, message_id: str) -> Iterator[JobMessage]:
    """Turn one SQS body into job messages: our envelope, or an AWS service's notification.

    A notification's `Records` become one message each, typed by the record's `eventSource`
    (`aws:s3`), and a service's test event one typed by its `Event` (`s3:TestEvent`); the
    domain that wired the notification registers handlers for those types.
    """
    try:
        data = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise InvalidJobMessage("body is not JSON") from exc
    if isinstance(data, dict) and isinstance(data.get("Records"), list):
        for index, record in enumerate(data["Records"]):
            source = record.get("eventSource") if isinstance(record, dict) else None
            yield _notification(source, f"{message_id}:{index}", record)
        return
    if isinstance(data, dict) and "type" not in data and "Event" in data:
        yield _notification(data["Event"], message_id, data)
        return
    try:
        yield JobMessage.model_validate(data)
    except ValidationError as exc:
        raise InvalidJobMessage("body is not a job message") from exc


def _notification(message_type: Any, event_id: str, payload: Any) -> JobMessage:
    if not isinstance(message_type, str):
        raise InvalidJobMessage("unsupported record in body")
    try:
        return JobMessage(type=message_type, id=event_id, payload=payload)
    except ValidationError as exc:
        raise InvalidJobMessage("unsupported record in body") from exc


def dispatch(body: str, context: JobContext) -> None:
    """Run the registered handler for every message in one record body; raise on failure."""
    for message in parse_record_body(body, context.message_id):
        handler = _registry.get(message.type)
        if handler is None:
            raise UnknownJobType(message.type)
        logger.info("job started", extra={"job_type": message.type, "event_id": message.id})
        handler(message, context)
