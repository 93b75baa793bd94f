"""AI-drafted templates end to end: HTTP -> queued job -> worker -> emulator -> stored once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ai import service as ai_service
from app.local.ai_emulator import AiEmulator
from app.templates import drafting
from app.templates.schemas import DraftPhase, DraftRole, DraftSprint, TemplateDraft
from tests.ai.helpers import deliver, job, run_queued
from tests.conftest import LoggedInUser

Drain = Callable[[], list[dict[str, Any]]]
BRIEF = {"description": "Satellite ground station software", "disciplines": ["RF", "Ops"]}


def _generate(client: TestClient, user: LoggedInUser, body: dict[str, Any]) -> str:
    response = client.post("/templates/generate", json=body, headers=user.headers)
    assert response.status_code == 202, response.text
    job_id = str(response.json()["jobId"])
    assert response.headers["Location"] == f"/ai/jobs/{job_id}"
    return job_id


def _mine(client: TestClient, user: LoggedInUser) -> list[dict[str, Any]]:
    response = client.get("/templates?scope=mine&limit=100", headers=user.headers)
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_generated_template_is_stored_as_the_callers_and_named_in_the_result(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    # When a template is drafted through the worker and the emulated Bedrock
    job_id = _generate(client, user, {**BRIEF, "name": "Ground station"})
    run_queued(drain_queue)
    # Then the job's result names a template of the caller's, with the name they chose
    done = job(client, user, job_id)
    assert done["status"] == "succeeded", done
    assert (done["kind"], done["engine"]) == ("template", "bedrock")
    template_id = done["result"]["templateId"]
    template = client.get(f"/templates/{template_id}", headers=user.headers).json()
    assert (template["name"], template["builtIn"], template["usage"]) == (
        "Ground station",
        False,
        0,
    )
    assert len(template["phases"]) >= 2 and template["phases"][0]["sprints"]
    assert template["roles"] and template["disciplines"]
    assert [t["templateId"] for t in _mine(client, user)] == [template_id]
    # And the model was asked with the caller's description and disciplines
    sent = ai_emulator.requests("bedrock")[-1]
    prompt = sent["messages"][0]["content"][0]["text"]
    assert "Satellite ground station software" in prompt and '"RF"' in prompt
    assert sent["toolConfig"]["tools"][0]["toolSpec"]["name"] == "TemplateDraft"


def test_generated_template_without_a_name_keeps_the_drafted_one_and_is_private(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, drain_queue: Drain
) -> None:
    job_id = _generate(client, user, {"description": "Kitchen renovation"})
    run_queued(drain_queue)
    template_id = job(client, user, job_id)["result"]["templateId"]
    template = client.get(f"/templates/{template_id}", headers=user.headers).json()
    assert template["name"] == "Emulated name"
    assert client.get(f"/templates/{template_id}", headers=other_user.headers).status_code == 404


def test_generation_falls_back_to_gemini_when_bedrock_is_unavailable(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    # Bedrock's client retries once (bedrock_max_attempts 2): both attempts fail
    ai_emulator.inject("bedrock", "unavailable", count=2)
    job_id = _generate(client, user, {"description": "Wind farm commissioning"})
    run_queued(drain_queue)
    done = job(client, user, job_id)
    assert (done["status"], done["engine"]) == ("succeeded", "gemini"), done
    assert ai_emulator.calls == {"bedrock": 2, "gemini": 1}
    assert [t["templateId"] for t in _mine(client, user)] == [done["result"]["templateId"]]


def test_redelivered_job_message_stores_nothing_twice(
    client: TestClient, user: LoggedInUser, drain_queue: Drain
) -> None:
    job_id = _generate(client, user, {"description": "Museum exhibition"})
    run_queued(drain_queue)
    before = _mine(client, user)
    assert deliver(job_id)["batchItemFailures"] == []
    assert _mine(client, user) == before


def test_store_step_run_twice_keeps_one_template(client: TestClient, user: LoggedInUser) -> None:
    # Given one job's validated draft, its names spread over lines as a model may write them
    draft = TemplateDraft(
        name="Lab\nmove",
        disciplines=["Facilities"],
        phases=[
            DraftPhase(name="Plan", sprints=[DraftSprint(name="Inventory\n")]),
            DraftPhase(name="Move", sprints=[DraftSprint(name="Move day", goal="All in")]),
        ],
        roles=[DraftRole(role="Move\tlead", responsibilities=["Runs\nthe day"])],
    )
    ref = ai_service.JobRef("job-draft-1", user.sub, "template", {})
    # When the store step runs twice (a crash and a retry)
    first = drafting.store_draft(ref, draft)
    second = drafting.store_draft(ref, draft)
    # Then both name the same template, stored once, with its names on one line
    assert first == second
    mine = _mine(client, user)
    assert [t["templateId"] for t in mine] == [first["templateId"]]
    assert mine[0]["name"] == "Lab move"
    assert mine[0]["roles"] == [
        {"role": "Move lead", "discipline": None, "responsibilities": ["Runs the day"]}
    ]


@pytest.mark.parametrize(
    "body",
    [{}, {"description": ""}, {"description": "x" * 4001}, {"description": "d", "extra": 1}],
    ids=["empty", "blank", "too-long", "unknown-field"],
)
def test_generate_template_with_invalid_body_is_422(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    response = client.post("/templates/generate", json=body, headers=user.headers)
    assert response.status_code == 422, response.text
