"""The summary as pure functions: streaks across days, and events in any order."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from app.goals.aggregates import (
    GOAL_COMPLETED,
    GOAL_CREATED,
    GOAL_DELETED,
    GOAL_PROGRESSED,
    GOAL_UPDATED,
    MAX_RUNS,
    GoalEvent,
    GoalState,
    Summary,
    add_day,
    apply_event,
    current_streak,
    to_read,
)

DAY = date(2026, 3, 10)


def _days(*offsets: int) -> tuple[tuple[date, date], ...]:
    runs: tuple[tuple[date, date], ...] = ()
    for offset in offsets:
        runs = add_day(runs, DAY + timedelta(days=offset))
    return runs


def test_current_streak_counts_consecutive_days_up_to_today() -> None:
    runs = _days(0, 1, 2)
    assert current_streak(runs, today=DAY + timedelta(days=2)) == 3
    # Yesterday still counts: today's progress may not be logged yet
    assert current_streak(runs, today=DAY + timedelta(days=3)) == 3
    # A full day without progress breaks it
    assert current_streak(runs, today=DAY + timedelta(days=4)) == 0


def test_current_streak_restarts_after_a_gap() -> None:
    runs = _days(0, 1, 3, 4, 5)
    assert runs == ((DAY, DAY + timedelta(days=1)), (DAY + timedelta(days=3), DAY + timedelta(5)))
    assert current_streak(runs, today=DAY + timedelta(days=5)) == 3


def test_add_day_is_idempotent_and_order_independent() -> None:
    offsets = (0, 2, 1, 2, 5, 4, 0)
    expected = _days(*sorted(set(offsets)))
    for order in itertools.permutations(offsets[:5]):
        assert _days(*order) == _days(*sorted(set(order)))
    assert _days(*offsets) == expected
    assert current_streak(expected, today=DAY + timedelta(days=5)) == 2
    # A back-dated day that fills the gap joins both runs into one streak
    filled = add_day(expected, DAY + timedelta(days=3))
    assert filled == ((DAY, DAY + timedelta(days=5)),)
    assert current_streak(filled, today=DAY + timedelta(days=5)) == 6


def test_add_day_keeps_only_recent_runs() -> None:
    runs = _days(*range(0, 4 * (MAX_RUNS + 5), 2))
    assert len(runs) == MAX_RUNS
    assert runs[-1][1] == DAY + timedelta(days=4 * (MAX_RUNS + 5) - 2)


def test_empty_summary_reads_as_zeros_with_every_category() -> None:
    read = to_read(Summary(), updated_at=None, today=DAY)
    assert read.total_goals == read.active_goals == read.completed_goals == 0
    assert read.current_streak_days == 0 and read.last_progress_date is None
    assert set(read.by_category) == {
        "health",
        "fitness",
        "learning",
        "career",
        "finance",
        "mindfulness",
        "other",
    }


def _event(**fields: object) -> GoalEvent:
    return GoalEvent.model_validate({"ownerId": "u", "goalId": "g", **fields})


def test_apply_event_counts_goal_lifecycle_in_any_order() -> None:
    active = GoalState(status="active", category="health")
    events = [
        (GOAL_CREATED, _event(state=active)),
        (GOAL_PROGRESSED, _event(entryId="e1", day=DAY)),
        (GOAL_COMPLETED, _event(entryId="e2", day=DAY + timedelta(days=1), state=active)),
        (GOAL_CREATED, _event(goalId="g2", state=GoalState(status="active", category="career"))),
        (
            GOAL_UPDATED,
            _event(
                goalId="g2",
                state=GoalState(status="active", category="career"),
                newState=GoalState(status="archived", category="finance"),
            ),
        ),
    ]
    results = set()
    for order in itertools.permutations(events):
        summary = Summary()
        for message_type, event in order:
            summary = apply_event(summary, message_type, event)
        read = to_read(summary, updated_at=None, today=DAY + timedelta(days=1))
        results.add(read.model_dump_json())
    assert len(results) == 1
    read = to_read(summary, updated_at=None, today=DAY + timedelta(days=1))
    assert (read.total_goals, read.active_goals, read.completed_goals) == (2, 0, 1)
    assert read.by_category["health"].model_dump() == {"total": 1, "completed": 1}
    assert read.by_category["finance"].model_dump() == {"total": 1, "completed": 0}
    assert read.by_category["career"].model_dump() == {"total": 0, "completed": 0}
    assert read.progress_entries == 2 and read.current_streak_days == 2


def test_apply_event_deleted_goal_takes_its_entries_away() -> None:
    state = GoalState(status="completed", category="fitness")
    summary = apply_event(Summary(), GOAL_CREATED, _event(state=state))
    for offset in range(3):
        summary = apply_event(summary, GOAL_PROGRESSED, _event(day=DAY + timedelta(offset)))
    summary = apply_event(summary, GOAL_DELETED, _event(state=state, progressEntries=3))
    read = to_read(summary, updated_at=None, today=DAY + timedelta(days=2))
    assert read.total_goals == read.completed_goals == read.progress_entries == 0
    assert read.by_category["fitness"].model_dump() == {"total": 0, "completed": 0}
    # The streak is activity history: it outlives the deleted goal
    assert read.current_streak_days == 3


def test_apply_event_completion_without_entry_counts_goal_not_entry() -> None:
    # Given a goal whose two entries were counted by their goal.progressed events
    active = GoalState(status="active", category="career")
    summary = apply_event(Summary(), GOAL_CREATED, _event(state=active))
    for entry in ("e1", "e2"):
        summary = apply_event(summary, GOAL_PROGRESSED, _event(entryId=entry, day=DAY))
    # When the completion they reached together arrives, without an entry of its own
    summary = apply_event(summary, GOAL_COMPLETED, _event(state=active, title="t"))
    # Then the goal counts as completed and the entries are not counted again
    read = to_read(summary, updated_at=None, today=DAY)
    assert (read.total_goals, read.active_goals, read.completed_goals) == (1, 0, 1)
    assert read.by_category["career"].model_dump() == {"total": 1, "completed": 1}
    assert read.progress_entries == 2 and read.current_streak_days == 1
