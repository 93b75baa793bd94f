"""The goal summary: read by the API, kept up to date by the goal.* jobs, exactly once per event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from app.auth import service as auth_service
from app.core import email
from app.core.config import get_settings
from app.core.errors import VersionConflict, WriteContention
from app.core.observability import logger
from app.core.schemas import utc_now
from app.core.usecases import retry_on_conflict
from app.goals import aggregates, summary_repository
from app.goals.aggregates import GoalEvent, Summary
from app.goals.schemas import GoalSummary

# Events of one user processed at once (several Lambdas) conflict on the summary's version.
SAVE_ATTEMPTS = 8
MILESTONE_TEMPLATE = "milestone"

SaveOutcome = Literal["saved", "duplicate"]


class SummaryBusy(Exception):
    """The summary kept changing under this event; the message is retried by the queue."""


def get_summary(*, owner_id: str) -> GoalSummary:
    """Return the owner's summary; all zeros before their first goal event is processed."""
    stored = summary_repository.get(owner_id)
    today = utc_now().date()
    if stored is None:
        return aggregates.to_read(Summary(), updated_at=None, today=today)
    return aggregates.to_read(stored.summary, updated_at=stored.updated_at, today=today)


def _apply_once(message_type: str, event_id: str, event: GoalEvent) -> SaveOutcome:
    stored = summary_repository.get(event.owner_id, consistent=True)
    # Read after the summary: an event saved since that read also moved the summary's version,
    # so the save below then fails on the version rather than on the marker.
    if summary_repository.is_applied(event.owner_id, event_id):
        logger.info("goal event already applied", extra={"event_id": event_id})
        return "duplicate"
    current = stored.summary if stored else Summary()
    summary_repository.save(
        event.owner_id,
        aggregates.apply_event(current, message_type, event),
        expected_version=stored.version if stored else None,
        event_id=event_id,
    )
    return "saved"


def apply_event(*, message_type: str, event_id: str, payload: dict[str, Any]) -> SaveOutcome:
    """Apply one goal event to its owner's summary; a repeated event id changes nothing."""
    event = GoalEvent.model_validate(payload)
    try:
        return retry_on_conflict(
            lambda: _apply_once(message_type, event_id, event),
            attempts=SAVE_ATTEMPTS,
            retry_on=(VersionConflict, WriteContention),
        )
    except (VersionConflict, WriteContention) as exc:
        raise SummaryBusy(event.owner_id) from exc


def _number(value: float | None) -> str:
    if value is None:
        return "?"
    return f"{Decimal(str(value)).normalize():,f}"


def send_milestone(*, event_id: str, payload: dict[str, Any]) -> bool:
    """Email the owner that a goal was completed, once per event; return whether this sent it."""
    event = GoalEvent.model_validate(payload)
    to = auth_service.user_email(event.owner_id)
    if to is None:
        logger.info("milestone without a recipient", extra={"event_id": event_id})
        return False
    progress = f"{_number(event.current_value)} of {_number(event.target_value)}"
    if event.unit:
        progress += f" {event.unit}"
    return email.send_once(
        dedupe_key=f"goal.completed:{event_id}",
        to=to,
        template=MILESTONE_TEMPLATE,
        values={
            "goal_title": event.title or "your goal",
            "progress": progress,
            "app_url": get_settings().app_url,
        },
    )
