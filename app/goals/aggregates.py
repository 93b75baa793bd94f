"""The per-user goal summary as pure functions: events in, new summary out.

Every change is a delta or a set union, so the summary is right once every event is applied,
whatever order the queue delivers them in. Streaks keep the recent runs of consecutive progress
days rather than one counter, so a late or back-dated entry lands in the right run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any, Final

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from app.goals.schemas import CATEGORIES, CategoryCount, GoalCategory, GoalStatus, GoalSummary

GOAL_CREATED: Final = "goal.created"
GOAL_UPDATED: Final = "goal.updated"
GOAL_DELETED: Final = "goal.deleted"
GOAL_PROGRESSED: Final = "goal.progressed"
GOAL_COMPLETED: Final = "goal.completed"
GOAL_EVENTS: Final = (GOAL_CREATED, GOAL_UPDATED, GOAL_DELETED, GOAL_PROGRESSED, GOAL_COMPLETED)
# Runs older than this many are forgotten; only a back-dated entry bridging every gap since
# could have joined them to the current streak.
MAX_RUNS = 60

Run = tuple[dt.date, dt.date]


class GoalState(BaseModel):
    """The fields of a goal that the summary counts."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True)

    status: GoalStatus
    category: GoalCategory


class GoalEvent(BaseModel):
    """The payload of every goal.* message; which fields are set depends on the type."""

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True)

    owner_id: str
    goal_id: str
    # created / deleted: the goal's state; completed: the state before completion.
    state: GoalState | None = None
    # updated: the state after the change (`state` is the one before).
    new_state: GoalState | None = None
    # deleted: how many progress entries went with the goal.
    progress_entries: int = 0
    # progressed / completed (a completion by entries logged together has no entry of its own)
    entry_id: str | None = None
    day: dt.date | None = None
    # completed: what the milestone email says
    title: str | None = None
    current_value: float | None = None
    target_value: float | None = None
    unit: str | None = None

    def payload(self) -> dict[str, Any]:
        """Return the message payload, camelCase and JSON-ready."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


@dataclass(frozen=True)
class Summary:
    """The stored summary, as Python values."""

    totals: dict[str, int] = field(default_factory=dict)  # "total" and one key per status
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)
    progress_entries: int = 0
    runs: tuple[Run, ...] = ()


def add_day(runs: tuple[Run, ...], day: dt.date) -> tuple[Run, ...]:
    """Add a progress day to the runs of consecutive days, merging neighbours."""
    one = dt.timedelta(days=1)
    start, end = day, day
    kept: list[Run] = []
    for run_start, run_end in runs:
        if run_start - one <= end and start <= run_end + one:
            start, end = min(start, run_start), max(end, run_end)
        else:
            kept.append((run_start, run_end))
    kept.append((start, end))
    return tuple(sorted(kept)[-MAX_RUNS:])


def latest_run(runs: tuple[Run, ...]) -> Run | None:
    """Return the run that ends last, or None without progress."""
    return max(runs, key=lambda run: run[1]) if runs else None


def current_streak(runs: tuple[Run, ...], today: dt.date) -> int:
    """Return the consecutive days of the latest run if it reaches yesterday or today, else 0."""
    run = latest_run(runs)
    if run is None or run[1] < today - dt.timedelta(days=1):
        return 0
    return (run[1] - run[0]).days + 1


def _count(summary: Summary, state: GoalState, delta: int) -> Summary:
    totals = dict(summary.totals)
    totals["total"] = totals.get("total", 0) + delta
    totals[state.status] = totals.get(state.status, 0) + delta
    by_category = {name: dict(counts) for name, counts in summary.by_category.items()}
    counts = by_category.setdefault(state.category, {"total": 0, "completed": 0})
    counts["total"] += delta
    if state.status == "completed":
        counts["completed"] += delta
    return replace(summary, totals=totals, by_category=by_category)


def _progress(summary: Summary, event: GoalEvent) -> Summary:
    if event.day is None:
        raise ValueError("a progress event needs its day")
    return replace(
        summary,
        progress_entries=summary.progress_entries + 1,
        runs=add_day(summary.runs, event.day),
    )


def _required(state: GoalState | None, message_type: str) -> GoalState:
    if state is None:
        raise ValueError(f"{message_type} needs the goal's state")
    return state


def apply_event(summary: Summary, message_type: str, event: GoalEvent) -> Summary:
    """Return the summary after one goal event."""
    if message_type == GOAL_PROGRESSED:
        return _progress(summary, event)
    state = _required(event.state, message_type)
    if message_type == GOAL_CREATED:
        return _count(summary, state, +1)
    if message_type == GOAL_DELETED:
        removed = _count(summary, state, -1)
        return replace(removed, progress_entries=removed.progress_entries - event.progress_entries)
    if message_type == GOAL_UPDATED:
        new_state = _required(event.new_state, message_type)
        return _count(_count(summary, state, -1), new_state, +1)
    if message_type == GOAL_COMPLETED:
        completed = GoalState(status="completed", category=state.category)
        counted = _count(_count(summary, state, -1), completed, +1)
        # Without an entry the goal was completed by entries counted in their own events.
        return counted if event.entry_id is None else _progress(counted, event)
    raise ValueError(f"not a goal event: {message_type}")


def to_read(summary: Summary, *, updated_at: str | None, today: dt.date) -> GoalSummary:
    """Convert a summary to its API model, with every category present."""
    run = latest_run(summary.runs)
    return GoalSummary(
        total_goals=summary.totals.get("total", 0),
        active_goals=summary.totals.get("active", 0),
        completed_goals=summary.totals.get("completed", 0),
        by_category={
            name: CategoryCount(**summary.by_category.get(name, {"total": 0, "completed": 0}))
            for name in CATEGORIES
        },
        progress_entries=summary.progress_entries,
        current_streak_days=current_streak(summary.runs, today),
        last_progress_date=run[1] if run else None,
        updated_at=updated_at,
    )
