"""Risk request and response models, and the risk assessment's output schema."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.ai import service as ai_service
from app.core.schemas import SINGLE_LINE, EntityId, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

RiskCategory = Literal[
    "technical", "schedule", "budget", "resource", "scope", "security", "compliance", "external"
]
RiskStatus = Literal["open", "mitigating", "accepted", "closed"]
RiskSource = Literal["manual", "ai"]
MAX_SCORE = 25

Title = Annotated[str, StringConstraints(min_length=1, max_length=200), SINGLE_LINE]
Label = Annotated[str, StringConstraints(min_length=1, max_length=100), SINGLE_LINE]
Text = Annotated[str, StringConstraints(max_length=4000)]
Level = Annotated[int, Field(ge=1, le=5, strict=True)]


def title_key(title: str) -> str:
    """Return the form titles are compared in: without surrounding space, case-folded."""
    return title.strip().casefold()


class RiskCreate(RequestModel):
    """A new risk of a project; the server sets score and source."""

    title: Title
    description: Text | None = None
    category: RiskCategory
    likelihood: Level = Field(description="1 (rare) to 5 (almost certain).")
    impact: Level = Field(description="1 (negligible) to 5 (severe).")
    status: RiskStatus = "open"
    mitigation: Text | None = None
    owner_role: Label | None = Field(default=None, description="The role that owns the risk.")
    phase_id: EntityId | None = Field(default=None, description="A phase of the project.")


class RiskUpdate(PatchModel):
    """Changes to a risk. Text fields and phaseId sent as null are cleared."""

    not_null: ClassVar[tuple[str, ...]] = ("title", "category", "likelihood", "impact", "status")

    version: ExpectedVersion | None = None
    title: Title | None = None
    description: Text | None = None
    category: RiskCategory | None = None
    likelihood: Level | None = None
    impact: Level | None = None
    status: RiskStatus | None = None
    mitigation: Text | None = None
    owner_role: Label | None = None
    phase_id: EntityId | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not self.changes():
            raise ValueError("send at least one field to change besides version")
        return self


class RiskAssess(RequestModel):
    """Optional guidance for an AI risk assessment."""

    focus: str | None = Field(
        default=None, max_length=2_000, description="What to look at hardest, e.g. security."
    )


class RiskRead(ResponseModel):
    """A risk of a project."""

    risk_id: str
    project_id: str
    title: str
    description: str | None = None
    category: RiskCategory
    likelihood: int
    impact: int
    score: int = Field(description="likelihood x impact, set by the server.")
    status: RiskStatus
    mitigation: str | None = None
    owner_role: str | None = None
    phase_id: str | None = None
    source: RiskSource
    version: int
    created_at: str
    updated_at: str


class AssessedRisk(ai_service.GeneratedOutput):
    """One risk to the project, rated and with a mitigation."""

    title: str = Field(min_length=1, max_length=200, description="Short and specific.")
    description: str = Field(default="", max_length=2_000)
    category: RiskCategory
    likelihood: int = Field(ge=1, le=5, description="1 rare .. 5 almost certain")
    impact: int = Field(ge=1, le=5, description="1 negligible .. 5 severe")
    mitigation: str = Field(default="", max_length=2_000)
    owner_role: str | None = Field(default=None, max_length=100)
    phase: str | None = Field(
        default=None, max_length=200, description="The name of the phase it belongs to, if one."
    )


class RiskAssessment(ai_service.GeneratedOutput):
    """The main risks of the project, without duplicates."""

    risks: list[AssessedRisk] = Field(min_length=1, max_length=20)
