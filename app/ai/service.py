"""The ai domain's public service: jobs of every kind are submitted, read and run through here.

Other domains declare their kinds as `AiKind` objects (prompt builder, output schema, apply
step), list them in their `domain.py`, and queue them with `generate`, which answers 202 with
the job's Location. The ai domain imports no other domain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Response
from pydantic import BaseModel

from app.ai import kinds, repository, runner, submission
from app.ai.exceptions import AiJobNotFound
from app.ai.kinds import AiKind, JobRef
from app.ai.outputs import CodeOutput, GeneratedOutput, TextOutput
from app.ai.prompting import Prompt, Turn, fence, load_template, preamble, render
from app.ai.repository import AiJobRecord
from app.ai.schemas import (
    MAX_INPUT_CHARS,
    MAX_SYSTEM_CHARS,
    AiJobAccepted,
    AiJobRead,
    CodeGenerateRequest,
    GenerateInstructions,
    JobError,
    TextGenerateRequest,
)
from app.core.schemas import Page
from app.core.usecases import paginate

__all__ = [
    "CODE",
    "JOB_TYPE",
    "TEXT",
    "TextOutput",
    "AiJobAccepted",
    "AiKind",
    "GenerateInstructions",
    "GeneratedOutput",
    "JobRef",
    "Prompt",
    "fence",
    "generate",
    "get_job",
    "list_jobs",
    "load_template",
    "preamble",
    "queue_turn",
    "Turn",
    "register",
    "register_context",
    "render_prompt",
    "run_job",
    "submit_code",
    "submit_text",
]

C = TypeVar("C")
O = TypeVar("O", bound=BaseModel)  # noqa: E741 - the output type parameter
JOB_TYPE = submission.JOB_TYPE
ContextLoader = Callable[[str, str], Mapping[str, object]]
_context_loaders: dict[str, ContextLoader] = {}
render_prompt = render
run_job = runner.run_job
register = kinds.register


@dataclass(frozen=True)
class CodeContext:
    """A code request and the owner-checked project it is about, if any."""

    body: CodeGenerateRequest
    project: Mapping[str, object] | None


def _text_prompt(body: TextGenerateRequest) -> Prompt:
    return render(
        load_template("app.ai", "text"),
        {"prompt": body.prompt, "instructions": body.system},
        limits={"prompt": MAX_INPUT_CHARS, "instructions": MAX_SYSTEM_CHARS},
    )


def _code_prompt(context: CodeContext) -> Prompt:
    body = context.body
    return render(
        load_template("app.ai", "code"),
        {
            "language": body.language,
            "specification": body.specification,
            "project": context.project,
        },
        limits={"specification": MAX_INPUT_CHARS},
    )


TEXT: AiKind[TextGenerateRequest, Any] = AiKind(
    "text", None, prompt=_text_prompt, max_tokens=1024, temperature=0.7
)
CODE: AiKind[CodeContext, CodeOutput] = AiKind(
    "code", CodeOutput, prompt=_code_prompt, max_tokens=4096, temperature=0.2
)


def register_context(name: str, loader: ContextLoader) -> None:
    """Let a domain give owner-checked context for an id, e.g. "projectId" for code jobs.

    The loader takes (owner_id, object_id) and raises NotFound unless the owner has it.
    """
    _context_loaders[name] = loader


def generate(
    kind: AiKind[C, O],
    context: C,
    *,
    owner_id: str,
    response: Response,
    target: Mapping[str, str] | None = None,
    idempotency_key: str | None = None,
    max_tokens: int | None = None,
    temperature: float | None = None,
) -> AiJobAccepted:
    """Queue a generation of a kind and answer 202 with the job's Location to poll.

    Raises AiQuotaExceeded (429) over quota and AiUnavailable (503) if it cannot be queued.
    """
    kinds.register(kind)
    job = submission.submit(
        owner_id=owner_id,
        kind=kind,
        prompt=kind.prompt(context),
        target=target,
        max_tokens=max_tokens,
        temperature=temperature,
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = job_path(job.job_id)
    return job


def submit_text(
    *,
    owner_id: str,
    body: TextGenerateRequest,
    response: Response,
    idempotency_key: str | None = None,
) -> AiJobAccepted:
    """Queue a free-text job."""
    return generate(
        TEXT,
        body,
        owner_id=owner_id,
        response=response,
        max_tokens=body.max_tokens,
        temperature=body.temperature,
        idempotency_key=idempotency_key,
    )


def submit_code(
    *,
    owner_id: str,
    body: CodeGenerateRequest,
    response: Response,
    idempotency_key: str | None = None,
) -> AiJobAccepted:
    """Queue a code job; a projectId must be one of the caller's projects (404 otherwise)."""
    project: Mapping[str, object] | None = None
    target: dict[str, str] = {}
    if body.project_id is not None:
        loader = _context_loaders.get("projectId")
        if loader is None:
            raise AiJobNotFound("Project not found.")
        project = loader(owner_id, body.project_id)
        target = {"projectId": body.project_id}
    return generate(
        CODE,
        CodeContext(body, project),
        owner_id=owner_id,
        response=response,
        target=target,
        idempotency_key=idempotency_key,
    )


def queue_turn(
    *,
    kind: AiKind[Any, Any],
    owner_id: str,
    target: Mapping[str, str],
    reserve: Callable[[str], None],
) -> AiJobAccepted:
    """Queue a conversation turn, prompted by the worker when it runs (`AiKind.run_prompt`).

    `reserve(job_id)` stores the caller's side (e.g. a pending reply) after the quota unit is
    taken; if it raises, the unit is given back and nothing is queued. Raises AiQuotaExceeded
    (429) over quota and AiUnavailable (503) if the job cannot be queued.
    """
    kinds.register(kind)
    return submission.queue_turn(owner_id=owner_id, kind=kind, target=target, reserve=reserve)


def job_path(job_id: str) -> str:
    """Return the path a client polls for a job."""
    return f"/ai/jobs/{job_id}"


def to_read(record: AiJobRecord) -> AiJobRead:
    """Convert a stored job to its API model; results show only once the job succeeded."""
    succeeded = record.status == "succeeded"
    return AiJobRead(
        job_id=record.job_id,
        kind=record.kind,
        status=record.status,
        result=record.result if succeeded else None,
        error=JobError(**record.error) if record.error else None,
        engine=record.engine,
        model=record.model,
        cached=record.cached,
        target=record.target or None,
        created_at=record.created_at,
        updated_at=record.updated_at,
        completed_at=record.completed_at,
    )


def get_job(*, owner_id: str, job_id: str) -> AiJobRead:
    """Return one of the owner's jobs."""
    record = repository.get(job_id, owner_id=owner_id)
    if record is None:
        raise AiJobNotFound()
    return to_read(record)


def list_jobs(*, owner_id: str, limit: int, cursor: str | None) -> Page[AiJobRead]:
    """Return a page of the owner's jobs, newest first."""
    return paginate(
        owner=owner_id,
        scope="ai-jobs",
        cursor=cursor,
        fetch=lambda start_key: repository.list_page(
            owner_id=owner_id, limit=limit, start_key=start_key
        ),
        convert=to_read,
    )
