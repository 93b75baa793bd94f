"""Queue handlers of the goals domain: the summary, the milestone email, the progress cascade."""

from __future__ import annotations

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.goals import progress, summary_service
from app.goals.aggregates import (
    GOAL_COMPLETED,
    GOAL_CREATED,
    GOAL_DELETED,
    GOAL_PROGRESSED,
    GOAL_UPDATED,
)


def _apply(message: JobMessage, context: JobContext) -> None:
    outcome = summary_service.apply_event(
        message_type=message.type, event_id=message.id, payload=message.payload
    )
    logger.info(
        "goal event applied",
        extra={
            "event_id": message.id,
            "outcome": outcome,
            "receive_count": context.receive_count,
        },
    )


@jobs.register(GOAL_CREATED)
@jobs.register(GOAL_UPDATED)
@jobs.register(GOAL_PROGRESSED)
def handle_goal_event(message: JobMessage, context: JobContext) -> None:
    """Apply the event to the owner's summary, once per event id."""
    _apply(message, context)


@jobs.register(GOAL_COMPLETED)
def handle_goal_completed(message: JobMessage, context: JobContext) -> None:
    """Count the completion and email the milestone, each once per event id."""
    # Two steps, each deduplicated on its own: a failed email is retried on redelivery even
    # though the summary step then finds the event already applied.
    _apply(message, context)
    summary_service.send_milestone(event_id=message.id, payload=message.payload)


@jobs.register(GOAL_DELETED)
def handle_goal_deleted(message: JobMessage, context: JobContext) -> None:
    """Take the goal out of the summary and delete its progress entries."""
    _apply(message, context)
    goal_id = message.payload.get("goalId")
    if isinstance(goal_id, str) and goal_id:
        progress.purge_progress(goal_id=goal_id)
