"""Project request and response models."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from app.ai import service as ai_service
from app.core.schemas import SINGLE_LINE, EntityId, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

MAX_PHASES = 50
MAX_SPRINTS_PER_PHASE = 50
MAX_TEAM_MEMBERS = 100
MAX_DISCIPLINES = 100

ProjectStatus = Literal["draft", "active", "completed", "archived"]

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=4000)]
LongText = Annotated[str, StringConstraints(max_length=10000)]


class TeamMember(RequestModel):
    """A person on the project; a role from a template starts without a name."""

    name: Name | None = None
    role: Label


class SprintCreate(RequestModel):
    """A new sprint inside a new phase."""

    name: Name
    goal: Text | None = None


class PhaseCreate(RequestModel):
    """A new phase with its sprints."""

    name: Name
    description: Text | None = None
    sprints: list[SprintCreate] = Field(default_factory=list, max_length=MAX_SPRINTS_PER_PHASE)


class ProjectCreate(RequestModel):
    """A new project; the server assigns every id and starts it as a draft."""

    name: Name
    description: LongText | None = None
    requirements_summary: LongText | None = None
    constraints: LongText | None = None
    disciplines: list[Label] = Field(default_factory=list, max_length=MAX_DISCIPLINES)
    team: list[TeamMember] = Field(default_factory=list, max_length=MAX_TEAM_MEMBERS)
    phases: list[PhaseCreate] = Field(default_factory=list, max_length=MAX_PHASES)
    template_id: EntityId | None = Field(
        default=None,
        description="Start from this template (a built-in or the caller's own): its "
        "disciplines, its phases and sprints with fresh ids, and its roles as team entries "
        "without names. Fields given in the body win over the template's.",
    )


class SprintEdit(PatchModel):
    """A sprint in a PATCH: with sprintId it is kept (and moved here), without it is new."""

    not_null: ClassVar[tuple[str, ...]] = ("name",)

    sprint_id: EntityId | None = Field(default=None, description="Keep this existing sprint.")
    name: Name | None = Field(default=None, description="Required for a new sprint.")
    goal: Text | None = None

    @model_validator(mode="after")
    def _new_needs_name(self) -> SprintEdit:
        if self.sprint_id is None and self.name is None:
            raise ValueError("a new sprint (without sprintId) needs a name")
        return self


class PhaseEdit(PatchModel):
    """A phase in a PATCH: with phaseId it is kept, without it is new.

    For a kept phase, fields left out keep their values; `sprints` left out keeps its sprints.
    """

    not_null: ClassVar[tuple[str, ...]] = ("name", "sprints")

    phase_id: EntityId | None = Field(default=None, description="Keep this existing phase.")
    name: Name | None = Field(default=None, description="Required for a new phase.")
    description: Text | None = None
    sprints: list[SprintEdit] | None = Field(
        default=None,
        max_length=MAX_SPRINTS_PER_PHASE,
        description="The phase's complete sprint list; sprints left out are removed.",
    )

    @model_validator(mode="after")
    def _new_needs_name(self) -> PhaseEdit:
        if self.phase_id is None and self.name is None:
            raise ValueError("a new phase (without phaseId) needs a name")
        return self


class ProjectUpdate(PatchModel):
    """Changes to a project. Text fields sent as null are cleared."""

    not_null: ClassVar[tuple[str, ...]] = ("name", "disciplines", "team", "phases", "status")

    version: ExpectedVersion | None = None
    name: Name | None = None
    description: LongText | None = None
    requirements_summary: LongText | None = None
    constraints: LongText | None = None
    disciplines: list[Label] | None = Field(default=None, max_length=MAX_DISCIPLINES)
    team: list[TeamMember] | None = Field(default=None, max_length=MAX_TEAM_MEMBERS)
    phases: list[PhaseEdit] | None = Field(
        default=None,
        max_length=MAX_PHASES,
        description="The complete phase list: phases left out are removed, order is kept.",
    )
    status: ProjectStatus | None = Field(
        default=None, description="Any of the four statuses; the owner moves it freely."
    )

    @model_validator(mode="after")
    def _changes_something(self) -> ProjectUpdate:
        if not self.changes():
            raise ValueError("send at least one field to change besides version")
        return self


class GeneratedPlan(ResponseModel):
    """AI-generated content of a phase or sprint."""

    model_config = ConfigDict(extra="allow")

    objectives: list[Any] = Field(default_factory=list)
    deliverables: list[Any] = Field(default_factory=list)
    tasks: list[Any] = Field(default_factory=list)
    risks: list[Any] = Field(default_factory=list)


class TeamMemberRead(ResponseModel):
    """A person on the project; a role from a template has no name until one is given."""

    name: str | None = None
    role: str


class SprintRead(ResponseModel):
    """A sprint of a phase."""

    sprint_id: str
    name: str
    goal: str | None = None
    generated: GeneratedPlan | None = None


class PhaseRead(ResponseModel):
    """A phase of a project."""

    phase_id: str
    name: str
    description: str | None = None
    generated: GeneratedPlan | None = None
    sprints: list[SprintRead] = Field(default_factory=list)


class ProjectRead(ResponseModel):
    """A project."""

    project_id: str
    name: str
    description: str | None = None
    requirements_summary: str | None = None
    constraints: str | None = None
    disciplines: list[str] = Field(default_factory=list)
    team: list[TeamMemberRead] = Field(default_factory=list)
    phases: list[PhaseRead] = Field(default_factory=list)
    template_id: str | None = Field(default=None, description="The template it started from.")
    status: ProjectStatus
    version: int
    created_at: str
    updated_at: str


PlanLine = Annotated[str, Field(min_length=1, max_length=500)]


class PlanTask(ai_service.GeneratedOutput):
    """A concrete piece of work."""

    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2_000)
    days: float | None = Field(default=None, ge=0, le=365, description="Estimate in days.")


class PlanRisk(ai_service.GeneratedOutput):
    """A risk to the plan and how to handle it."""

    description: str = Field(min_length=1, max_length=1_000)
    likelihood: Literal["low", "medium", "high"]
    mitigation: str = Field(default="", max_length=1_000)


class PhasePlan(ai_service.GeneratedOutput):
    """The plan of one project phase: objectives, deliverables, tasks and risks."""

    objectives: list[PlanLine] = Field(min_length=1, max_length=10)
    deliverables: list[PlanLine] = Field(min_length=1, max_length=10)
    tasks: list[PlanTask] = Field(min_length=1, max_length=30)
    risks: list[PlanRisk] = Field(default_factory=list, max_length=10)


class SprintPlan(PhasePlan):
    """The plan of one sprint: objectives, deliverables, tasks and risks."""
