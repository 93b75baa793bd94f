"""The goal_plan AI kind: its prompt fences the goal's facts, its apply step stores the plan."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from app.ai import service as ai_service
from app.goals.plan import GOAL_PLAN, PlanContext, apply_goal_plan
from app.goals.schemas import CoachingStep, GoalPlan
from tests.conftest import LoggedInUser
from tests.goals.helpers import create_goal

CONTEXT = PlanContext(
    title="Run a half marathon",
    description=None,
    category="fitness",
    target=21,
    unit="km",
    current=5,
    due_date="2027-04-01",
    status="active",
    instructions="Only mornings",
)


def test_goal_plan_prompt_fences_the_goals_facts_and_the_callers_wishes() -> None:
    prompt = GOAL_PLAN.prompt(CONTEXT)
    facts = prompt.user.split("<<<USER_DATA goal>>>\n", 1)[1].split("\n<<<END_USER_DATA goal>>>")[0]
    assert json.loads(facts) == {
        "title": "Run a half marathon",
        "description": None,
        "category": "fitness",
        "target": 21,
        "unit": "km",
        "current": 5,
        "dueDate": "2027-04-01",
        "status": "active",
    }
    assert "<<<USER_DATA instructions>>>\nOnly mornings\n" in prompt.user
    assert "Only mornings" not in prompt.system


def test_apply_goal_plan_stores_the_validated_plan_on_the_goal(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a finished job's validated plan for the caller's goal
    goal = create_goal(client, user)
    plan = GoalPlan(
        summary="Build up slowly",
        steps=[CoachingStep(title="Easy run", cadence="weekly", weeks=8)],
    )
    job = ai_service.JobRef(
        job_id="job-1", owner_id=user.sub, kind="goal_plan", target={"goalId": goal["goalId"]}
    )
    # When it is applied
    apply_goal_plan(job, plan)
    # Then the goal carries it, as JSON, one version later
    stored = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()
    assert stored["plan"] == {
        "summary": "Build up slowly",
        "steps": [{"title": "Easy run", "description": "", "cadence": "weekly", "weeks": 8}],
    }
    assert stored["version"] == 2
