"""Move dead-lettered jobs back to the jobs queue, in the cloud or against the local emulator.

    python scripts/redrive.py --dry-run                       # count only
    python scripts/redrive.py --max 100                       # move up to 100 messages
    make redrive ARGS="--endpoint-url http://127.0.0.1:4566"  # the `make dev` emulator

Queue URLs default to JOBS_QUEUE_URL and JOBS_DLQ_URL (else the jobs URL + "-dlq"); the
endpoint to AWS_ENDPOINT_URL. Each message is sent first and deleted from the DLQ only after
the send succeeded, so a crash half-way duplicates at most one batch and loses nothing (the
worker's jobs are idempotent). Fix the cause (docs/operations.md) before redriving.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import boto3

# SendMessage refuses these; SQS sets them again on the new message.
_SYSTEM = ("AWSTraceHeader",)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue-url", default=os.environ.get("JOBS_QUEUE_URL", ""))
    parser.add_argument("--dlq-url", default=os.environ.get("JOBS_DLQ_URL", ""))
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL") or None)
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--max", type=int, default=1000, help="stop after this many messages")
    parser.add_argument("--dry-run", action="store_true", help="only count the DLQ")
    args = parser.parse_args(argv)
    if not args.queue_url:
        parser.error("--queue-url or JOBS_QUEUE_URL is required")
    args.dlq_url = args.dlq_url or f"{args.queue_url}-dlq"
    return args


def redrive(sqs: Any, queue_url: str, dlq_url: str, limit: int) -> int:
    """Move up to `limit` messages from the DLQ to the queue; return how many moved."""
    moved = 0
    while moved < limit:
        batch = sqs.receive_message(
            QueueUrl=dlq_url,
            MaxNumberOfMessages=min(10, limit - moved),
            WaitTimeSeconds=1,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not batch:
            break
        for message in batch:
            attributes = {
                k: v for k, v in message.get("MessageAttributes", {}).items() if k not in _SYSTEM
            }
            send: dict[str, Any] = {"QueueUrl": queue_url, "MessageBody": message["Body"]}
            if attributes:
                send["MessageAttributes"] = attributes
            sqs.send_message(**send)
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return moved


def main(argv: list[str] | None = None) -> int:
    """Count or redrive the DLQ; print what happened."""
    args = _args(argv)
    sqs = boto3.client("sqs", endpoint_url=args.endpoint_url, region_name=args.region)
    waiting = sqs.get_queue_attributes(
        QueueUrl=args.dlq_url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]["ApproximateNumberOfMessages"]
    print(f"redrive: {waiting} message(s) in {args.dlq_url}")
    if args.dry_run:
        return 0
    moved = redrive(sqs, args.queue_url, args.dlq_url, args.max)
    print(f"redrive: moved {moved} message(s) to {args.queue_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
