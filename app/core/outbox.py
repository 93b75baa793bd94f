"""The transactional outbox: a message is stored with the change it announces, then sent.

A write and its outbox item commit in one DynamoDB transaction. After the commit the request
sends the message to the jobs queue and deletes the item. If SendMessage fails, the item stays,
and the scheduled sweep sends it later. A message may thus be sent twice (never zero times);
consumers dedupe on its id.
"""

from __future__ import annotations

import time
import uuid
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from app.core import aws, jobs
from app.core.config import get_settings
from app.core.observability import logger
from app.core.schemas import isoformat, utc_now
from app.core.tables import OUTBOX
from app.core.transactions import TransactItem, build

SWEEP_SHARDS = 4
SWEEP_INDEX = "bySweepShard"
# As long as the DLQ keeps messages: an item this old has been failing for two weeks.
TTL_SECONDS = 14 * 24 * 3600
_TTL = OUTBOX.ttl_attribute or "expiresAt"


@dataclass(frozen=True)
class OutboxMessage:
    """A job message waiting to be committed and sent."""

    event_id: str
    message_type: str
    body: str


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    sent: int
    failed: int


def new_message(
    message_type: str, payload: dict[str, Any], *, event_id: str | None = None
) -> OutboxMessage:
    """Build a job message with its event id, ready to go into a transaction."""
    event_id = event_id or str(uuid.uuid4())
    body = jobs.build_message(message_type, payload, event_id=event_id)
    return OutboxMessage(event_id=event_id, message_type=message_type, body=body)


def _shard(event_id: str) -> str:
    return str(zlib.crc32(event_id.encode()) % SWEEP_SHARDS)


def put_operation(message: OutboxMessage) -> TransactItem:
    """Return the TransactWriteItems entry that stores a message in the outbox."""
    item = {
        "outboxId": message.event_id,
        "sweepShard": _shard(message.event_id),
        "createdAt": isoformat(utc_now()),
        "messageType": message.message_type,
        "body": message.body,
        _TTL: int(time.time()) + TTL_SECONDS,
    }
    from boto3.dynamodb.conditions import Attr

    return build(OUTBOX.name, "Put", Item=item, Condition=Attr("outboxId").not_exists())


def publish(messages: Iterable[OutboxMessage]) -> int:
    """Send committed messages to the jobs queue and clear them; failures wait for the sweep."""
    return sum(_deliver(message.event_id, message.body) for message in messages)


def _deliver(outbox_id: str, body: str) -> bool:
    try:
        aws.client("sqs").send_message(QueueUrl=get_settings().jobs_queue_url, MessageBody=body)
    except (ClientError, BotoCoreError) as exc:
        logger.warning(
            "outbox send failed; the sweep will retry",
            extra={"event_id": outbox_id, "error": type(exc).__name__},
        )
        return False
    try:
        aws.table(OUTBOX.name).delete_item(Key={"outboxId": outbox_id})
    except (ClientError, BotoCoreError):
        # The message is out: at worst the sweep sends it again, and consumers dedupe on its id.
        logger.warning("outbox item not cleared", extra={"event_id": outbox_id})
    return True


def _pending(shard: str, cutoff: str, limit: int) -> Iterator[dict[str, Any]]:
    from boto3.dynamodb.conditions import Key

    kwargs: dict[str, Any] = {
        "IndexName": SWEEP_INDEX,
        "KeyConditionExpression": Key("sweepShard").eq(shard) & Key("createdAt").lte(cutoff),
        "Limit": min(limit, 100),
    }
    served = 0
    while served < limit:
        response = aws.table(OUTBOX.name).query(**kwargs)
        for item in response.get("Items", []):
            served += 1
            yield item
            if served >= limit:
                return
        if "LastEvaluatedKey" not in response:
            return
        kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def sweep(*, older_than_seconds: int | None = None, max_messages: int = 500) -> SweepResult:
    """Send the outbox items older than the cutoff that the requests could not send."""
    settings = get_settings()
    age = settings.outbox_sweep_age_seconds if older_than_seconds is None else older_than_seconds
    cutoff = isoformat(utc_now() - timedelta(seconds=age))
    sent = failed = 0
    table = aws.table(OUTBOX.name)
    for shard in range(SWEEP_SHARDS):
        if failed or sent >= max_messages:
            break
        for entry in _pending(str(shard), cutoff, max_messages - sent):
            outbox_id = str(entry["outboxId"])
            # The index lags the table: skip items a request has sent and cleared meanwhile.
            current = table.get_item(Key={"outboxId": outbox_id}, ConsistentRead=True).get("Item")
            if current is None:
                continue
            if not _deliver(outbox_id, str(current["body"])):
                # The queue is failing: leave the rest for the next run rather than hammer it.
                failed += 1
                break
            sent += 1
    if sent or failed:
        logger.info("outbox swept", extra={"sent": sent, "failed": failed})
    return SweepResult(sent=sent, failed=failed)
