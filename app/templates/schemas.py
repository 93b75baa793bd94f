"""Template request and response models."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.ai import service as ai_service
from app.core.schemas import SINGLE_LINE, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

MAX_DISCIPLINES = 20
MAX_PHASES = 30
MAX_SPRINTS_PER_PHASE = 20
MAX_ROLES = 30
MAX_RESPONSIBILITIES = 15

TemplateScope = Literal["all", "builtin", "mine"]

Name = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
Line = Annotated[str, StringConstraints(min_length=1, max_length=300), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=4000)]
Brief = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


def discipline_key(discipline: str) -> str:
    """Return the form disciplines are matched in: trimmed and case-folded."""
    return discipline.strip().casefold()


class TemplateSprintSpec(RequestModel):
    """A sprint of a template phase."""

    name: Name
    goal: Text | None = None


class TemplatePhaseSpec(RequestModel):
    """A phase of a template, with its sprints."""

    name: Name
    description: Text | None = None
    sprints: list[TemplateSprintSpec] = Field(
        default_factory=list, max_length=MAX_SPRINTS_PER_PHASE
    )


class TemplateRoleSpec(RequestModel):
    """A role a project from this template needs; it becomes an unnamed team entry."""

    role: Label
    discipline: Label | None = None
    responsibilities: list[Line] = Field(default_factory=list, max_length=MAX_RESPONSIBILITIES)


class TemplateCreate(RequestModel):
    """A new template owned by the caller."""

    name: Name
    description: Text | None = None
    disciplines: list[Label] = Field(default_factory=list, max_length=MAX_DISCIPLINES)
    phases: list[TemplatePhaseSpec] = Field(default_factory=list, max_length=MAX_PHASES)
    roles: list[TemplateRoleSpec] = Field(default_factory=list, max_length=MAX_ROLES)


class BuiltInTemplate(TemplateCreate):
    """A built-in template as shipped in app/templates/builtin (same limits as the API's)."""

    template_id: Annotated[str, StringConstraints(pattern=r"^builtin-[a-z0-9-]{1,56}$")]
    created_at: str


class TemplateUpdate(PatchModel):
    """Changes to one of the caller's templates; lists sent replace the stored ones."""

    not_null: ClassVar[tuple[str, ...]] = ("name", "disciplines", "phases", "roles")

    version: ExpectedVersion | None = None
    name: Name | None = None
    description: Text | None = None
    disciplines: list[Label] | None = Field(default=None, max_length=MAX_DISCIPLINES)
    phases: list[TemplatePhaseSpec] | None = Field(default=None, max_length=MAX_PHASES)
    roles: list[TemplateRoleSpec] | None = Field(default=None, max_length=MAX_ROLES)

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.changes():
            raise ValueError("send at least one field to change besides version")
        return self


class TemplateGenerate(RequestModel):
    """What an AI-drafted template should cover."""

    description: Brief = Field(description="The kind of work the template is for.")
    disciplines: list[Label] | None = Field(default=None, max_length=MAX_DISCIPLINES)
    name: Name | None = Field(default=None, description="Used instead of the drafted name.")


class TemplateSprintRead(ResponseModel):
    """A sprint of a template phase."""

    name: str
    goal: str | None = None


class TemplatePhaseRead(ResponseModel):
    """A phase of a template."""

    name: str
    description: str | None = None
    sprints: list[TemplateSprintRead] = Field(default_factory=list)


class TemplateRoleRead(ResponseModel):
    """A role of a template."""

    role: str
    discipline: str | None = None
    responsibilities: list[str] = Field(default_factory=list)


class TemplateRead(ResponseModel):
    """A template: built in (read-only, everyone's) or the caller's own."""

    template_id: str
    name: str
    description: str | None = None
    disciplines: list[str] = Field(default_factory=list)
    phases: list[TemplatePhaseRead] = Field(default_factory=list)
    roles: list[TemplateRoleRead] = Field(default_factory=list)
    built_in: bool
    usage: int = Field(
        description="Projects created from the template; counted through the queue, so it "
        "lags a create by a moment."
    )
    version: int
    created_at: str
    updated_at: str


DraftLabel = Annotated[str, StringConstraints(min_length=1, max_length=100)]
DraftLine = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class DraftSprint(ai_service.GeneratedOutput):
    """A sprint of a drafted phase."""

    name: str = Field(min_length=1, max_length=200)
    goal: str = Field(default="", max_length=1_000, description="Concrete and checkable.")


class DraftPhase(ai_service.GeneratedOutput):
    """A phase of the drafted template, in order."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=1_000)
    sprints: list[DraftSprint] = Field(min_length=1, max_length=6)


class DraftRole(ai_service.GeneratedOutput):
    """A role the team needs."""

    role: str = Field(min_length=1, max_length=100)
    discipline: str | None = Field(default=None, max_length=100)
    responsibilities: list[DraftLine] = Field(default_factory=list, max_length=6)


class TemplateDraft(ai_service.GeneratedOutput):
    """A reusable project template: disciplines, phases with sprints, and roles."""

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2_000)
    disciplines: list[DraftLabel] = Field(min_length=1, max_length=10)
    phases: list[DraftPhase] = Field(min_length=2, max_length=8)
    roles: list[DraftRole] = Field(min_length=1, max_length=10)
