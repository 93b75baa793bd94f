"""AI-drafted templates (kind `template`): the prompt, and storing the validated draft."""

from __future__ import annotations

import uuid
from typing import Any, Final

from fastapi import Response
from pydantic import ValidationError

from app.ai import service as ai_service
from app.core.errors import ValidationFailed
from app.core.schemas import isoformat, utc_now
from app.templates import service
from app.templates.schemas import TemplateCreate, TemplateDraft, TemplateGenerate

KIND: Final = "template"
# Draft template ids derive from the job id, so storing one job's draft twice is a no-op.
_DRAFT_IDS: Final = uuid.UUID("6f1d0a52-3c1e-4b8e-9a43-5d2f7c1b9e10")
_SINGLE_LINE_FIELDS: Final = ("name", "role", "discipline")


def build_prompt(request: TemplateGenerate) -> ai_service.Prompt:
    """Build the prompt from what the caller wants the template to cover."""
    return ai_service.render_prompt(
        ai_service.load_template("app.templates", KIND),
        {
            "description": request.description,
            "disciplines": request.disciplines,
            "name": request.name,
        },
        limits={"description": 4_000, "disciplines": 2_500, "name": 300},
    )


def _one_line(value: Any, key: str = "") -> Any:
    """Fold the line breaks a model may put in names, which the API's models refuse."""
    if isinstance(value, dict):
        return {k: _one_line(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_one_line(item, key) for item in value]
    if isinstance(value, str) and key in (*_SINGLE_LINE_FIELDS, "disciplines", "responsibilities"):
        return " ".join(value.split())
    return value


def store_draft(job: ai_service.JobRef, draft: TemplateDraft) -> dict[str, str]:
    """Store the draft as a template of the job's owner; report its templateId."""
    fields = _one_line(draft.model_dump(mode="json"))
    if job.target.get("name"):
        fields["name"] = job.target["name"]
    try:
        spec = TemplateCreate.model_validate(fields)
    except ValidationError as exc:
        raise ValidationFailed("The drafted template does not meet the template limits.") from exc
    template_id = str(uuid.uuid5(_DRAFT_IDS, job.job_id))
    record = service.new_record(
        spec, template_id=template_id, owner_id=job.owner_id, created_at=isoformat(utc_now())
    )
    service.add_template(record)  # False: this job's draft is stored already
    return {"templateId": template_id}


TEMPLATE_DRAFT: ai_service.AiKind[TemplateGenerate, TemplateDraft] = ai_service.AiKind(
    KIND, TemplateDraft, prompt=build_prompt, apply=store_draft, max_tokens=4096, temperature=0.4
)


def generate_template(
    *,
    owner_id: str,
    body: TemplateGenerate,
    idempotency_key: str | None,
    response: Response,
) -> ai_service.AiJobAccepted:
    """Queue an AI draft of a template; on success it is stored as the caller's."""
    return ai_service.generate(
        TEMPLATE_DRAFT,
        body,
        owner_id=owner_id,
        response=response,
        target={"name": body.name} if body.name else {},
        idempotency_key=idempotency_key,
    )
