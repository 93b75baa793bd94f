"""The phase and sprint plan kinds: what their prompts carry and where their outputs land."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.ai import service as ai_service
from app.projects import planning, service
from app.projects.schemas import SprintPlan
from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project

PLAN = {
    "objectives": ["Measure the deck"],
    "deliverables": ["Point cloud"],
    "tasks": [{"title": "Fly", "description": "", "days": 1.5}],
    "risks": [{"description": "Wind", "likelihood": "high", "mitigation": "Wait"}],
}


def test_plan_prompts_carry_the_phase_sprint_and_wishes(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given the owner's project and its Survey phase with two sprints
    created = create_project(client, user, FULL_PROJECT)
    project = service.get_project(owner_id=user.sub, project_id=created["projectId"])
    survey = project.phases[0]
    phase = planning.PhaseContext(project, survey, "Mind the river closure")
    # When both prompts are built
    phase_prompt = planning.PHASE_PLAN.prompt(phase)
    sprint_prompt = planning.SPRINT_PLAN.prompt(
        planning.SprintContext(project, survey, None, survey.sprints[0])
    )
    # Then the phase prompt lists its sprints and the wishes; the sprint prompt names its sprint
    for text in ("Bridge retrofit", "Survey", "Drone survey", "Cores", "Mind the river closure"):
        assert text in phase_prompt.user, text
    assert "Point cloud" in sprint_prompt.user and "Mind the river" not in sprint_prompt.user
    assert "plan one sprint" in sprint_prompt.system.lower()


def test_sprint_plan_apply_stores_the_validated_output(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey = project["phases"][0]
    cores = survey["sprints"][1]
    target = {
        "projectId": project["projectId"],
        "phaseId": survey["phaseId"],
        "sprintId": cores["sprintId"],
    }
    job = ai_service.JobRef(job_id="j", owner_id=user.sub, kind="sprint_plan", target=target)
    assert planning.SPRINT_PLAN.apply is not None
    planning.SPRINT_PLAN.apply(job, SprintPlan.model_validate(PLAN))
    stored = get_project(client, user, project["projectId"])
    assert stored["phases"][0]["sprints"][1]["generated"] == PLAN
    assert stored["phases"][0]["generated"] is None
