"""Every AI route end to end: HTTP -> queued job -> worker -> emulator -> validated, applied."""

from __future__ import annotations

import httpx2
from fastapi.testclient import TestClient

from app.local.ai_emulator import AiEmulator
from tests.ai.helpers import Drain, create_project, job, queue_text, run_queued
from tests.conftest import LoggedInUser

BEDROCK_MODEL = "emulator/anthropic.claude-3-haiku-20240307-v1:0"


def accepted(response: httpx2.Response) -> str:
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued"
    assert response.headers["Location"] == f"/ai/jobs/{body['jobId']}"
    return str(body["jobId"])


def test_generate_text_job_succeeds_on_bedrock(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    job_id = queue_text(client, user, "Summarise agile in one line", maxTokens=64)
    queued = job(client, user, job_id)
    assert (queued["status"], queued["kind"], queued["result"]) == ("queued", "text", None)
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert done["status"] == "succeeded"
    assert done["result"]["text"].startswith("Emulated reply")
    assert (done["engine"], done["model"], done["cached"]) == ("bedrock", BEDROCK_MODEL, False)
    assert done["completedAt"] >= done["createdAt"]
    assert ai_emulator.calls == {"bedrock": 1, "gemini": 0}
    sent = ai_emulator.requests("bedrock")[-1]
    assert sent["inferenceConfig"]["maxTokens"] == 64
    assert "toolConfig" not in sent


def test_generate_code_job_returns_sanitised_files(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    response = client.post(
        "/code/generate",
        json={"specification": "A CLI that prints hello", "language": "python"},
        headers=user.headers,
    )
    job_id = accepted(response)
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert done["status"] == "succeeded", done
    files = done["result"]["files"]
    assert files and all(set(f) == {"path", "content"} for f in files)
    assert all(not f["path"].startswith("/") and ".." not in f["path"] for f in files)
    assert "notes" in done["result"]


def test_generate_code_with_own_project_records_target(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    project = create_project(client, user, name="Inventory sync")
    body = {"specification": "Sync stock", "language": "go", "projectId": project["projectId"]}
    job_id = accepted(client.post("/code/generate", json=body, headers=user.headers))
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert done["target"] == {"projectId": project["projectId"]}
    assert (
        "Inventory sync" in ai_emulator.requests("bedrock")[-1]["messages"][0]["content"][0]["text"]
    )


def test_generate_requirements_stores_them_with_source_ai(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    project = create_project(client, user)
    path = f"/projects/{project['projectId']}/requirements"
    job_id = accepted(
        client.post(
            f"{path}/generate", json={"instructions": "Focus on payments"}, headers=user.headers
        )
    )
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert done["status"] == "succeeded", done
    assert done["target"] == {"projectId": project["projectId"]}
    stored = client.get(path, headers=user.headers).json()["items"]
    assert len(stored) == len(done["result"]["requirements"]) >= 1
    assert {r["source"] for r in stored} == {"ai"}
    tool = ai_emulator.requests("bedrock")[-1]["toolConfig"]["tools"][0]["toolSpec"]
    assert tool["name"] == "RequirementsDraft"


def test_generate_phase_plan_sets_generated_content(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    project = create_project(client, user)
    phase = project["phases"][0]
    url = f"/projects/{project['projectId']}/phases/{phase['phaseId']}/generate"
    job_id = accepted(client.post(url, json={}, headers=user.headers))
    run_queued(drain_queue)
    assert job(client, user, job_id)["status"] == "succeeded"
    stored = client.get(f"/projects/{project['projectId']}", headers=user.headers).json()
    generated = stored["phases"][0]["generated"]
    for key in ("objectives", "deliverables", "tasks", "risks"):
        assert generated[key], key
    assert stored["phases"][0]["sprints"][0].get("generated") is None


def test_generate_sprint_plan_sets_generated_content(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    project = create_project(client, user)
    phase = project["phases"][0]
    sprint = phase["sprints"][0]
    url = (
        f"/projects/{project['projectId']}/phases/{phase['phaseId']}"
        f"/sprints/{sprint['sprintId']}/generate"
    )
    job_id = accepted(client.post(url, headers=user.headers))
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert done["kind"] == "sprint_plan"
    assert done["target"]["sprintId"] == sprint["sprintId"]
    stored = client.get(f"/projects/{project['projectId']}", headers=user.headers).json()
    assert stored["phases"][0]["sprints"][0]["generated"]["tasks"]


def test_generate_goal_plan_stores_steps_with_cadence(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    goal = client.post(
        "/goals",
        json={
            "title": "Run a half marathon",
            "category": "fitness",
            "targetValue": 21,
            "unit": "km",
        },
        headers=user.headers,
    ).json()
    job_id = accepted(client.post(f"/goals/{goal['goalId']}/plan", json={}, headers=user.headers))
    run_queued(drain_queue)
    assert job(client, user, job_id)["status"] == "succeeded"
    plan = client.get(f"/goals/{goal['goalId']}", headers=user.headers).json()["plan"]
    assert plan["summary"]
    assert all(
        step["cadence"] in {"daily", "weekly", "biweekly", "monthly", "once"}
        for step in plan["steps"]
    )


def test_list_jobs_pages_newest_first(client: TestClient, user: LoggedInUser) -> None:
    ids = [queue_text(client, user, f"prompt {n}") for n in range(3)]
    first = client.get("/ai/jobs?limit=2", headers=user.headers).json()
    assert [item["jobId"] for item in first["items"]] == ids[::-1][:2]
    rest = client.get(f"/ai/jobs?limit=2&cursor={first['nextCursor']}", headers=user.headers).json()
    assert [item["jobId"] for item in rest["items"]] == [ids[0]]
    assert rest["nextCursor"] is None


def test_generate_text_refuses_unknown_fields_and_bad_bounds(
    client: TestClient, user: LoggedInUser
) -> None:
    for body in (
        {"prompt": "x", "ownerId": "someone"},
        {"prompt": ""},
        {"prompt": "x", "temperature": 3},
        {"prompt": "x", "maxTokens": 100_000},
        {"prompt": "x" * 16_001},
    ):
        response = client.post("/ai/generate", json=body, headers=user.headers)
        assert response.status_code == 422, body
    code = client.post(
        "/code/generate",
        json={"specification": "x", "language": "py; rm -rf"},
        headers=user.headers,
    )
    assert code.status_code == 422


def test_generate_with_same_idempotency_key_returns_the_first_job(
    client: TestClient, user: LoggedInUser
) -> None:
    headers = {**user.headers, "Idempotency-Key": "gen-1"}
    first = client.post("/ai/generate", json={"prompt": "once"}, headers=headers)
    replay = client.post("/ai/generate", json={"prompt": "once"}, headers=headers)
    assert first.status_code == replay.status_code == 202
    assert replay.json()["jobId"] == first.json()["jobId"]
    other = client.post("/ai/generate", json={"prompt": "different"}, headers=headers)
    assert other.status_code == 409
    assert len(client.get("/ai/jobs", headers=user.headers).json()["items"]) == 1
