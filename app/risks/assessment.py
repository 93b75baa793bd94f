"""AI risk assessment (kind `risk_assessment`): a bounded prompt, and adding what it found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from fastapi import Response

from app.ai import service as ai_service
from app.projects import service as projects_service
from app.projects.schemas import ProjectRead
from app.requirements import service as requirements_service
from app.requirements.schemas import RequirementRead
from app.risks import service
from app.risks.schemas import RiskAssess, RiskAssessment

KIND: Final = "risk_assessment"
# What the model sees is bounded, whatever the project's size (ai_service caps the whole prompt
# at MAX_RENDERED_PROMPT_CHARS, 24,000): the project's text fields are cut to their own limits
# below; phases (in order) and requirements (newest first, the first 100 only) are kept whole
# while they fit their budget, and the rest are left out and counted as "notShown".
PROJECT_CHARS: Final = 5_000
PHASES_CHARS: Final = 5_000
REQUIREMENTS_CHARS: Final = 8_000
FOCUS_CHARS: Final = 2_000
MAX_REQUIREMENTS: Final = 100
TEXT_CHARS: Final = 300


@dataclass(frozen=True)
class AssessmentContext:
    """The owner-checked project, its newest requirements and the caller's focus."""

    project: ProjectRead
    requirements: list[RequirementRead]
    focus: str | None


def _cut(text: str | None, limit: int = TEXT_CHARS) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit] + " [cut]"


def _fit(items: list[dict[str, Any]], budget: int) -> dict[str, Any]:
    """Keep items, in order, while their JSON fits the budget; count the ones left out."""
    kept: list[dict[str, Any]] = []
    used = len('{"items": [], "notShown": 000000}')
    for item in items:
        size = len(json.dumps(item, ensure_ascii=False)) + 2
        if used + size > budget:
            break
        kept.append(item)
        used += size
    return {"items": kept, "notShown": len(items) - len(kept)}


def build_prompt(context: AssessmentContext) -> ai_service.Prompt:
    """Build the prompt from the project, its phases and sprints, and its requirements."""
    project = context.project
    phases = [
        {
            "name": phase.name,
            "description": _cut(phase.description),
            "sprints": [{"name": s.name, "goal": _cut(s.goal, 200)} for s in phase.sprints],
        }
        for phase in project.phases
    ]
    requirements = [
        {
            "type": r.type,
            "priority": r.priority,
            "status": r.status,
            "title": r.title,
            "description": _cut(r.description),
        }
        for r in context.requirements
    ]
    facts = {
        "name": project.name,
        "description": _cut(project.description, 2_500),
        "requirementsSummary": _cut(project.requirements_summary, 1_200),
        "constraints": _cut(project.constraints, 800),
        "disciplines": project.disciplines[:20],
        "status": project.status,
    }
    return ai_service.render_prompt(
        ai_service.load_template("app.risks", KIND),
        {
            "project": facts,
            "phases": _fit(phases, PHASES_CHARS),
            "requirements": _fit(requirements, REQUIREMENTS_CHARS),
            "focus": context.focus,
        },
        limits={
            "project": PROJECT_CHARS,
            "phases": PHASES_CHARS,
            "requirements": REQUIREMENTS_CHARS,
            "focus": FOCUS_CHARS,
        },
    )


def add_risks(job: ai_service.JobRef, assessment: RiskAssessment) -> dict[str, Any]:
    """Add the assessed risks the project does not have yet; report the new riskIds."""
    created = service.add_assessed_risks(
        owner_id=job.owner_id, project_id=job.target["projectId"], risks=assessment.risks
    )
    return {"riskIds": created}


RISK_ASSESSMENT: ai_service.AiKind[AssessmentContext, RiskAssessment] = ai_service.AiKind(
    KIND, RiskAssessment, prompt=build_prompt, apply=add_risks, max_tokens=4096, temperature=0.3
)


def assess_risks(
    *,
    owner_id: str,
    project_id: str,
    body: RiskAssess | None,
    idempotency_key: str | None,
    response: Response,
) -> ai_service.AiJobAccepted:
    """Queue an AI assessment of the owner's project; new risks are added with source `ai`."""
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    newest = requirements_service.list_requirements(
        owner_id=owner_id,
        project_id=project_id,
        requirement_type=None,
        limit=MAX_REQUIREMENTS,
        cursor=None,
    )
    context = AssessmentContext(project, newest.items, body.focus if body else None)
    return ai_service.generate(
        RISK_ASSESSMENT,
        context,
        owner_id=owner_id,
        response=response,
        target={"projectId": project_id},
        idempotency_key=idempotency_key,
    )
