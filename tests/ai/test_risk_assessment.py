"""AI risk assessment end to end: HTTP -> queued job -> worker -> emulator -> risks added once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.ai import service as ai_service
from app.ai.prompting import MAX_RENDERED_PROMPT_CHARS
from app.local.ai_emulator import AiEmulator
from app.projects.schemas import PhaseRead, ProjectRead, SprintRead
from app.requirements.schemas import RequirementRead
from app.risks import assessment
from app.risks.schemas import AssessedRisk, RiskAssessment
from tests.ai.helpers import deliver, job, run_queued
from tests.conftest import LoggedInUser
from tests.risks.helpers import create_project, create_risk, list_all, risks_path

Drain = Callable[[], list[dict[str, Any]]]
# What the emulator proposes, derived from the output schema: the same title twice.
EMULATED_TITLE = "Emulated title"


def _assess(client: TestClient, user: LoggedInUser, project_id: str, **body: Any) -> str:
    response = client.post(f"{risks_path(project_id)}/assess", json=body, headers=user.headers)
    assert response.status_code == 202, response.text
    job_id = str(response.json()["jobId"])
    assert response.headers["Location"] == f"/ai/jobs/{job_id}"
    return job_id


def test_assessment_adds_ai_risks_and_lists_their_ids(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    # Given a project with a requirement
    project = create_project(client, user)
    project_id = project["projectId"]
    requirement = {"type": "non_functional", "title": "Runs 2 years on one battery"}
    client.post(f"/projects/{project_id}/requirements", json=requirement, headers=user.headers)
    # When an assessment runs through the worker and the emulated Bedrock
    job_id = _assess(client, user, project_id, focus="battery life")
    run_queued(drain_queue)
    # Then the job succeeded and its result names the one risk it added (the emulator's second
    # proposal repeats the first title, so it was skipped)
    done = job(client, user, job_id)
    assert done["status"] == "succeeded", done
    assert (done["kind"], done["engine"], done["target"]) == (
        "risk_assessment",
        "bedrock",
        {"projectId": project_id},
    )
    risks = list_all(client, user, project_id)
    assert [risk["riskId"] for risk in risks] == done["result"]["riskIds"]
    assert len(risks) == 1
    risk = risks[0]
    assert (risk["title"], risk["source"], risk["status"]) == (EMULATED_TITLE, "ai", "open")
    assert risk["score"] == risk["likelihood"] * risk["impact"]
    # And the model saw the project, its phases and sprints, its requirements and the focus
    sent = ai_emulator.requests("bedrock")[-1]
    prompt = sent["messages"][0]["content"][0]["text"]
    for fact in ("Sensor hub", "Prototype", "Boards boot", "Runs 2 years", "battery life"):
        assert fact in prompt, fact
    assert sent["toolConfig"]["tools"][0]["toolSpec"]["name"] == "RiskAssessment"


def test_second_assessment_skips_titles_the_project_has_and_never_touches_manual_risks(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a manual risk whose title is the emulator's, in another case and spacing
    project_id = create_project(client, user)["projectId"]
    manual = create_risk(client, user, project_id, {"title": "  EMULATED TITLE "})
    # When two assessments run, one after the other
    first = _assess(client, user, project_id)
    run_queued(drain_queue)
    second = _assess(client, user, project_id, focus="again")
    run_queued(drain_queue)
    # Then both succeeded without adding a risk, and the manual risk is exactly as it was
    for job_id in (first, second):
        done = job(client, user, job_id)
        assert done["status"] == "succeeded", done
        assert done["result"]["riskIds"] == []
    assert list_all(client, user, project_id) == [manual]


def test_rerun_after_an_ai_risk_adds_nothing_new(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    project_id = create_project(client, user)["projectId"]
    _assess(client, user, project_id)
    run_queued(drain_queue)
    added = list_all(client, user, project_id)
    assert len(added) == 1
    again = _assess(client, user, project_id, focus="anything else?")
    run_queued(drain_queue)
    assert job(client, user, again)["result"]["riskIds"] == []
    assert list_all(client, user, project_id) == added


def test_redelivered_job_message_creates_nothing_twice(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    # Given a finished assessment
    project_id = create_project(client, user)["projectId"]
    job_id = _assess(client, user, project_id)
    run_queued(drain_queue)
    before = list_all(client, user, project_id)
    # When SQS delivers its message again
    result = deliver(job_id)
    # Then nothing runs again and nothing is added
    assert result["batchItemFailures"] == []
    assert list_all(client, user, project_id) == before


def test_apply_step_run_twice_adds_each_risk_once(client: TestClient, user: LoggedInUser) -> None:
    # Given the validated output of one job, with two distinct risks and a duplicate
    project = create_project(client, user)
    project_id = project["projectId"]

    def risk(title: str, phase: str | None = None) -> AssessedRisk:
        return AssessedRisk(title=title, category="technical", likelihood=2, impact=3, phase=phase)

    output = RiskAssessment(
        risks=[
            risk("Firmware slips", "prototype"),
            risk("Radio fails EMC"),
            risk("firmware slips "),
        ]
    )
    ref = ai_service.JobRef("job-1", user.sub, "risk_assessment", {"projectId": project_id})
    # When the apply step runs twice (a crash and a retry)
    first = assessment.add_risks(ref, output)
    second = assessment.add_risks(ref, output)
    # Then the first adds two risks, with the phase matched by name, and the second none
    assert len(first["riskIds"]) == 2 and second["riskIds"] == []
    stored = {item["title"]: item for item in list_all(client, user, project_id)}
    assert set(stored) == {"Firmware slips", "Radio fails EMC"}
    assert stored["Firmware slips"]["phaseId"] == project["phases"][0]["phaseId"]
    assert stored["Radio fails EMC"]["phaseId"] is None


def test_assessment_falls_back_to_gemini_when_bedrock_is_unavailable(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    project_id = create_project(client, user)["projectId"]
    # Bedrock's client retries once (bedrock_max_attempts 2): both attempts fail
    ai_emulator.inject("bedrock", "unavailable", count=2)
    job_id = _assess(client, user, project_id, focus="gemini path")
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert (done["status"], done["engine"]) == ("succeeded", "gemini"), done
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 1}
    assert [r["riskId"] for r in list_all(client, user, project_id)] == done["result"]["riskIds"]


def test_prompt_of_a_huge_project_stays_bounded_and_says_what_was_left_out() -> None:
    # Given a project with 50 long phases and 100 long requirements
    long = "x" * 4_000
    phases = [
        PhaseRead(
            phase_id=f"ph{n}",
            name=f"Phase {n}",
            description=long,
            sprints=[SprintRead(sprint_id=f"s{n}-{i}", name="S", goal=long) for i in range(5)],
        )
        for n in range(50)
    ]
    project = ProjectRead(
        project_id="p",
        name="Huge",
        description="y" * 10_000,
        requirements_summary="s" * 10_000,
        constraints="c" * 10_000,
        disciplines=[f"d{n}" for n in range(100)],
        phases=phases,
        status="draft",
        version=1,
        created_at="t",
        updated_at="t",
    )
    requirements = [
        RequirementRead(
            requirement_id=str(n),
            project_id="p",
            type="functional",
            title=f"R{n}",
            description=long,
            priority="high",
            status="draft",
            source="manual",
            version=1,
            created_at="t",
            updated_at="t",
        )
        for n in range(100)
    ]
    context = assessment.AssessmentContext(project, requirements, "z" * 2_000)
    # When the prompt is built
    prompt = assessment.build_prompt(context)
    # Then it fits the limit, with the first phases and requirements, and counts the rest
    assert len(prompt.system) + len(prompt.user) <= MAX_RENDERED_PROMPT_CHARS
    assert '"Phase 0"' in prompt.user and '"Phase 49"' not in prompt.user
    assert '"R0"' in prompt.user and '"R99"' not in prompt.user
    assert prompt.user.count('"notShown": ') == 2
    assert '"notShown": 0' not in prompt.user
    assert "[truncated]" not in prompt.user
