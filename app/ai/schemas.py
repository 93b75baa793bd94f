"""Request and response models of the AI routes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from app.core.schemas import EntityId, RequestModel, ResponseModel

JobStatus = Literal["queued", "running", "succeeded", "failed"]
Engine = Literal["bedrock", "gemini", "emulator"]

MAX_INPUT_CHARS = 16_000
MAX_SYSTEM_CHARS = 4_000
MAX_OUTPUT_TOKENS = 4_096


class TextGenerateRequest(RequestModel):
    """Free text generation."""

    prompt: str = Field(min_length=1, max_length=MAX_INPUT_CHARS)
    system: str | None = Field(
        default=None,
        max_length=MAX_SYSTEM_CHARS,
        description="Extra instructions; they are added to, never replace, the service's own.",
    )
    max_tokens: int | None = Field(default=None, ge=1, le=MAX_OUTPUT_TOKENS)
    temperature: float | None = Field(default=None, ge=0, le=1)


class CodeGenerateRequest(RequestModel):
    """Code generation from a specification, optionally in the context of a project."""

    specification: str = Field(min_length=1, max_length=MAX_INPUT_CHARS)
    language: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z][A-Za-z0-9+#. -]*$",
        examples=["python", "typescript", "c#"],
    )
    project_id: EntityId | None = Field(
        default=None, description="One of the caller's projects, used as context."
    )


class GenerateInstructions(RequestModel):
    """Optional guidance for a domain generation (requirements, phase, sprint, goal plans)."""

    instructions: str | None = Field(default=None, max_length=2_000)


class AiJobAccepted(ResponseModel):
    """The answer to a generation request: poll GET /ai/jobs/{jobId}."""

    job_id: str
    status: JobStatus


class JobError(ResponseModel):
    """Why a job failed."""

    code: str
    message: str


class AiJobRead(ResponseModel):
    """One AI job and, once it succeeded, its validated result."""

    job_id: str
    kind: str
    status: JobStatus
    result: dict[str, Any] | None = None
    error: JobError | None = None
    engine: Engine | None = None
    model: str | None = Field(
        default=None, description='The model that answered; "emulator/..." when emulated.'
    )
    cached: bool = False
    target: dict[str, str] | None = Field(
        default=None, description="What the result was applied to, e.g. {projectId, phaseId}."
    )
    created_at: str
    updated_at: str
    completed_at: str | None = None
