"""AI coaching plans for goals: the route, the output schema and the apply step."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, Field

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey
from app.core.openapi import error_responses
from app.goals import service as goals_service

KIND = "goal_plan"
router = APIRouter(prefix="/goals", tags=["goals"])
GoalId = Annotated[
    str, Path(alias="goalId", min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")
]


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


def apply_plan(job: ai_service.JobRef, output: BaseModel) -> None:
    """Store the validated plan on the goal."""
    plan = GoalPlan.model_validate(output.model_dump()).model_dump(mode="json")
    goals_service.apply_goal_plan(owner_id=job.owner_id, goal_id=job.target["goalId"], plan=plan)


ai_service.register_kind(KIND, GoalPlan, apply_plan, max_tokens=2048, temperature=0.4)


@router.post(
    "/{goalId}/plan",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_goal_plan(
    goal_id: GoalId,
    user: CurrentUser,
    response: Response,
    body: ai_service.GenerateInstructions | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI coaching plan for the goal; it is stored on the goal as `plan`."""
    goal = goals_service.get_goal(owner_id=user.sub, goal_id=goal_id)
    facts = {
        "title": goal.title,
        "description": goal.description,
        "category": goal.category,
        "target": goal.target_value,
        "unit": goal.unit,
        "current": goal.current_value,
        "dueDate": goal.due_date.isoformat() if goal.due_date else None,
        "status": goal.status,
    }
    prompt = ai_service.render_prompt(
        ai_service.load_template("app.goals", KIND),
        {"goal": facts, "instructions": body.instructions if body else None},
    )
    job = ai_service.submit_job(
        owner_id=user.sub,
        kind=KIND,
        prompt=prompt,
        target={"goalId": goal_id},
        idempotency_key=idempotency_key,
    )
    response.headers["Location"] = ai_service.job_path(job.job_id)
    return job
