"""SQS queue specs shared by the app, the local emulator and the Terraform check."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QueueSpec:
    """A queue, its dead-letter queue and its redrive settings."""

    name: str
    max_receive_count: int = 5
    visibility_timeout_seconds: int = 360
    retention_seconds: int = 4 * 24 * 3600
    dlq_retention_seconds: int = 14 * 24 * 3600

    @property
    def dlq_name(self) -> str:
        """Return the dead-letter queue's logical name."""
        return f"{self.name}-dlq"


# One queue carries async jobs, notifications, AI jobs and S3 ObjectCreated events.
# Visibility is 6 x the 60 s function timeout, as AWS advises for SQS event sources.
JOBS = QueueSpec(name="jobs")

ALL_QUEUES: tuple[QueueSpec, ...] = (JOBS,)
