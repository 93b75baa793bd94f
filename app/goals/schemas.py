"""Goal, progress and summary request and response models."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field, StringConstraints

from app.ai import service as ai_service
from app.core.schemas import SINGLE_LINE, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

GoalStatus = Literal["active", "completed", "archived"]
GoalCategory = Literal["health", "fitness", "learning", "career", "finance", "mindfulness", "other"]
CATEGORIES: tuple[str, ...] = get_args(GoalCategory)

MAX_TARGET = 1_000_000_000_000
MAX_STEP = 1_000_000_000
# DynamoDB numbers stop at 38 digits; below a millionth a value is noise anyway.
MIN_AMOUNT = 0.000001
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DUE_DATE = dt.date(2100, 12, 31)

Title = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Description = Annotated[str, StringConstraints(max_length=4000)]
Unit = Annotated[str, StringConstraints(min_length=1, max_length=32), SINGLE_LINE]
Note = Annotated[str, StringConstraints(max_length=1000)]
Target = Annotated[float, Field(ge=MIN_AMOUNT, le=MAX_TARGET, allow_inf_nan=False)]
DueDate = Annotated[dt.date, Field(ge=EARLIEST_DATE, le=LATEST_DUE_DATE)]


class GoalCreate(RequestModel):
    """A new goal; it starts active at currentValue 0, which moves only with progress."""

    title: Title
    description: Description | None = None
    category: GoalCategory = "other"
    target_value: Target | None = Field(
        default=None, description="Reaching it through progress marks the goal completed."
    )
    unit: Unit | None = None
    due_date: DueDate | None = None


class GoalUpdate(PatchModel):
    """Changes to a goal. description, targetValue, unit and dueDate sent as null are cleared."""

    not_null: ClassVar[tuple[str, ...]] = ("title", "category", "status")

    version: ExpectedVersion | None = None
    title: Title | None = None
    description: Description | None = None
    category: GoalCategory | None = None
    target_value: Target | None = None
    unit: Unit | None = None
    due_date: DueDate | None = None
    status: GoalStatus | None = Field(
        default=None,
        description="Archive, reopen or complete by hand; progress never reopens a goal.",
    )


class GoalRead(ResponseModel):
    """A goal."""

    goal_id: str
    title: str
    description: str | None = None
    category: GoalCategory
    target_value: float | None = None
    unit: str | None = None
    current_value: float
    due_date: dt.date | None = None
    status: GoalStatus
    plan: dict[str, Any] | None = Field(default=None, description="The AI coaching plan, if any.")
    version: int
    created_at: str
    updated_at: str


class ProgressCreate(RequestModel):
    """Progress towards a goal: `value` is added to its currentValue."""

    value: Annotated[float, Field(ge=MIN_AMOUNT, le=MAX_STEP, allow_inf_nan=False)]
    note: Note | None = None
    date: Annotated[
        dt.date | None,
        Field(
            ge=EARLIEST_DATE,
            description="The UTC day the progress was made; today when left out, never later.",
        ),
    ] = None


class ProgressRead(ResponseModel):
    """A progress entry, with the goal's value and status right after it."""

    entry_id: str
    goal_id: str
    value: float
    note: str | None = None
    date: dt.date
    current_value: float
    goal_status: GoalStatus
    version: int
    created_at: str
    updated_at: str


class CategoryCount(ResponseModel):
    """Goals in one category."""

    total: int = 0
    completed: int = 0


class GoalSummary(ResponseModel):
    """The caller's goal statistics, kept from the queue: correct once it has drained."""

    total_goals: int = 0
    active_goals: int = 0
    completed_goals: int = 0
    by_category: dict[str, CategoryCount] = Field(default_factory=dict)
    progress_entries: int = 0
    current_streak_days: int = Field(
        default=0,
        description="Consecutive UTC days with progress, ending today or yesterday (else 0).",
    )
    last_progress_date: dt.date | None = None
    updated_at: str | None = None


class CoachingStep(ai_service.GeneratedOutput):
    """One step of the plan, repeated at its cadence."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2_000)
    cadence: Literal["daily", "weekly", "biweekly", "monthly", "once"]
    weeks: int | None = Field(default=None, ge=1, le=104, description="How long to keep it up.")


class GoalPlan(ai_service.GeneratedOutput):
    """A coaching plan of steps with a cadence, towards the goal."""

    summary: str = Field(min_length=1, max_length=2_000)
    steps: list[CoachingStep] = Field(min_length=1, max_length=12)
