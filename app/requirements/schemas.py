"""Requirement request and response models."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.ai import service as ai_service
from app.core.schemas import SINGLE_LINE, PatchModel, RequestModel, ResponseModel
from app.core.versioning import ExpectedVersion

RequirementType = Literal["user_story", "functional", "non_functional", "test_case"]
Priority = Literal["low", "medium", "high"]
RequirementStatus = Literal["draft", "approved", "done"]
Source = Literal["manual", "ai"]

Title = Annotated[str, StringConstraints(min_length=1, max_length=300), SINGLE_LINE]
Description = Annotated[str, StringConstraints(max_length=10000)]


class RequirementCreate(RequestModel):
    """A new requirement; it starts as a draft with source `manual`."""

    type: RequirementType
    title: Title
    description: Description = ""
    priority: Priority = "medium"


class RequirementUpdate(PatchModel):
    """Changes to a requirement; fields left out stay as they are and may not be null."""

    not_null: ClassVar[tuple[str, ...]] = ("type", "title", "description", "priority", "status")

    version: ExpectedVersion | None = None
    type: RequirementType | None = None
    title: Title | None = None
    description: Description | None = None
    priority: Priority | None = None
    status: RequirementStatus | None = Field(
        default=None, description="Any of the three statuses; the owner moves it freely."
    )

    @model_validator(mode="after")
    def _check_changes(self) -> Self:
        if not self.changes():
            raise ValueError("send at least one field to change besides version")
        return self


class RequirementRead(ResponseModel):
    """A requirement of a project."""

    requirement_id: str
    project_id: str
    type: RequirementType
    title: str
    description: str
    priority: Priority
    status: RequirementStatus
    source: Source
    version: int
    created_at: str
    updated_at: str


class DraftRequirement(ai_service.GeneratedOutput):
    """One requirement of the project."""

    type: RequirementType
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(max_length=4_000)
    priority: Priority


class RequirementsDraft(ai_service.GeneratedOutput):
    """Requirements drafted for the project, without duplicates."""

    requirements: list[DraftRequirement] = Field(min_length=1, max_length=30)
