"""The requirements AI kind: its prompt fences the project's facts, its apply step stores them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.ai import service as ai_service
from app.requirements.drafting import REQUIREMENTS_DRAFT, DraftContext, apply_draft
from app.requirements.schemas import DraftRequirement, RequirementsDraft
from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import list_all

CONTEXT = DraftContext(
    name="Bridge retrofit",
    description=None,
    summary="Keep two lanes open.",
    constraints=None,
    disciplines=[],
    phases=["Survey", "Design"],
    instructions="Focus on safety",
)


def test_draft_prompt_fences_every_fact_and_the_callers_wishes() -> None:
    prompt = REQUIREMENTS_DRAFT.prompt(CONTEXT)
    assert "<<<USER_DATA name>>>\nBridge retrofit\n<<<END_USER_DATA name>>>" in prompt.user
    assert "<<<USER_DATA phases>>>\n" + '["Survey", "Design"]' in prompt.user
    # An empty list reads as "(none)", like a missing fact
    assert "<<<USER_DATA disciplines>>>\n(none)\n" in prompt.user
    assert "<<<USER_DATA description>>>\n(none)\n" in prompt.user
    assert "<<<USER_DATA instructions>>>\nFocus on safety\n" in prompt.user
    assert "Focus on safety" not in prompt.system


def test_apply_draft_stores_the_validated_requirements_as_ai(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a finished job's validated draft for the caller's project
    project_id = create_project(client, user)["projectId"]
    draft = RequirementsDraft(
        requirements=[
            DraftRequirement(type="functional", title="Log", description="y", priority="high"),
            DraftRequirement(type="test_case", title="Load test", description="x", priority="low"),
        ]
    )
    job = ai_service.JobRef(
        job_id="job-1", owner_id=user.sub, kind="requirements", target={"projectId": project_id}
    )
    # When it is applied
    apply_draft(job, draft)
    # Then both are stored as AI drafts of that project
    stored = list_all(client, user, project_id)
    assert sorted((r["title"], r["type"], r["priority"]) for r in stored) == [
        ("Load test", "test_case", "low"),
        ("Log", "functional", "high"),
    ]
    assert {(r["source"], r["status"]) for r in stored} == {("ai", "draft")}
