"""Feed the emulated jobs queue to the Lambda handler, the way the SQS event source does."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.core import aws
from app.core.observability import logger

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class LocalContext:
    """A stand-in for the Lambda context object."""

    function_name: str = "planforge-local"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:000000000000:function:planforge-local"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timeout_seconds: float = 60.0
    _started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        """Return the milliseconds left before the simulated timeout."""
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


def to_sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """Build the Lambda SQS event for received messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": message.get("MessageAttributes", {}),
                "md5OfBody": message.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


def scheduled_event(region: str) -> dict[str, Any]:
    """Build the EventBridge "Scheduled Event" the cloud sends the function every minute."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": region,
        "resources": [f"arn:aws:events:{region}:000000000000:rule/planforge-local-outbox-sweep"],
        "detail": {},
    }


class QueuePoller:
    """Long-poll a queue and hand batches to a handler; failed records are retried after a delay.

    While running, it also hands the handler a scheduled event every sweep_interval_seconds, as
    EventBridge does in the cloud, so the outbox sweep runs locally too.
    """

    def __init__(
        self,
        queue_url: str,
        handler: LambdaHandler,
        *,
        batch_size: int = 10,
        wait_seconds: int = 1,
        retry_delay_seconds: int = 2,
        sweep_interval_seconds: float | None = 30.0,
    ) -> None:
        self.queue_url = queue_url
        self.handler = handler
        self.batch_size = batch_size
        self.wait_seconds = wait_seconds
        self.retry_delay_seconds = retry_delay_seconds
        self.sweep_interval_seconds = sweep_interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sqs = aws.client("sqs")
        attributes = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        self.queue_arn = attributes["Attributes"]["QueueArn"]
        self.region = self.queue_arn.split(":")[3]

    def poll_once(self, wait_seconds: int | None = None) -> dict[str, Any] | None:
        """Receive one batch and process it; return the handler's response, or None if empty."""
        response = self._sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self.wait_seconds if wait_seconds is None else wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return None
        result = self.handler(to_sqs_event(messages, self.queue_arn, self.region), LocalContext())
        failed = {failure["itemIdentifier"] for failure in result.get("batchItemFailures", [])}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)
                ],
            )
        for message in messages:
            if message["MessageId"] in failed:
                # The event source would wait out the visibility timeout; locally, retry sooner.
                self._sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_delay_seconds,
                )
        return result

    def drain(self, max_batches: int = 100) -> list[dict[str, Any]]:
        """Process batches until the queue is empty; return every handler response."""
        results = []
        for _ in range(max_batches):
            result = self.poll_once(wait_seconds=0)
            if result is None:
                break
            results.append(result)
        return results

    def start(self) -> None:
        """Poll in a daemon thread until stop()."""
        self._thread = threading.Thread(target=self._run, name="queue-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the current batch."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.wait_seconds + 5)

    def _run(self) -> None:
        last_sweep = time.monotonic()
        while not self._stop.is_set():
            try:
                self.poll_once()
                interval = self.sweep_interval_seconds
                if interval is not None and time.monotonic() - last_sweep >= interval:
                    last_sweep = time.monotonic()
                    self.handler(scheduled_event(self.region), LocalContext())
            except Exception:
                logger.exception("queue poll failed")
                self._stop.wait(1)
