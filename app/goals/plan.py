"""AI coaching plans for goals: the kind, its prompt, its apply step and the submit."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Response

from app.ai import service as ai_service
from app.goals import service
from app.goals.schemas import GoalPlan


@dataclass(frozen=True)
class PlanContext:
    """What a coaching plan is written from: the caller's goal and wishes."""

    title: str
    description: str | None
    category: str
    target: float | None
    unit: str | None
    current: float
    due_date: str | None
    status: str
    instructions: str | None


def goal_plan_prompt(context: PlanContext) -> ai_service.Prompt:
    """Build the coaching prompt, the goal's facts and the caller's wishes fenced."""
    facts = {
        "title": context.title,
        "description": context.description,
        "category": context.category,
        "target": context.target,
        "unit": context.unit,
        "current": context.current,
        "dueDate": context.due_date,
        "status": context.status,
    }
    return ai_service.render_prompt(
        ai_service.load_template("app.goals", "goal_plan"),
        {"goal": facts, "instructions": context.instructions},
    )


def apply_goal_plan(job: ai_service.JobRef, plan: GoalPlan) -> None:
    """Store the validated plan on the goal."""
    service.apply_goal_plan(
        owner_id=job.owner_id, goal_id=job.target["goalId"], plan=plan.model_dump(mode="json")
    )


GOAL_PLAN: ai_service.AiKind[PlanContext, GoalPlan] = ai_service.AiKind(
    name="goal_plan",
    output=GoalPlan,
    prompt=goal_plan_prompt,
    apply=apply_goal_plan,
    max_tokens=2048,
    temperature=0.4,
)


def generate_plan(
    *,
    owner_id: str,
    goal_id: str,
    body: ai_service.GenerateInstructions | None,
    response: Response,
    idempotency_key: str | None = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI coaching plan for the owner's goal (404 if it is not theirs)."""
    goal = service.get_goal(owner_id=owner_id, goal_id=goal_id)
    context = PlanContext(
        title=goal.title,
        description=goal.description,
        category=goal.category,
        target=goal.target_value,
        unit=goal.unit,
        current=goal.current_value,
        due_date=goal.due_date.isoformat() if goal.due_date else None,
        status=goal.status,
        instructions=body.instructions if body else None,
    )
    return ai_service.generate(
        GOAL_PLAN,
        context,
        owner_id=owner_id,
        target={"goalId": goal_id},
        idempotency_key=idempotency_key,
        response=response,
    )
