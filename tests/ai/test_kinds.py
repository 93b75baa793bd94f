"""A domain's AI kind: declared once, queued through ai_service.generate with a Location."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import Response

from app.ai import kinds
from app.ai import service as ai_service
from app.ai.kinds import AiKind
from app.ai.outputs import GeneratedOutput


class Haiku(GeneratedOutput):
    """A three-line poem."""

    lines: list[str]


def _prompt(topic: str) -> ai_service.Prompt:
    return ai_service.Prompt(system="Write haiku.", user=ai_service.fence("topic", topic))


HAIKU: AiKind[str, Haiku] = AiKind("test_haiku", Haiku, prompt=_prompt, max_tokens=256)


def test_a_kind_name_and_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="invalid job kind"):
        AiKind("Bad Name", None, prompt=_prompt)
    with pytest.raises(ValueError, match="max_tokens"):
        AiKind("ok_name", None, prompt=_prompt, max_tokens=0)


def test_two_different_kinds_of_one_name_are_refused() -> None:
    kinds.register(HAIKU)
    kinds.register(HAIKU)
    with pytest.raises(RuntimeError, match="registered twice"):
        kinds.register(AiKind("test_haiku", None, prompt=_prompt))
    assert kinds.get_kind("test_haiku") is HAIKU


def test_generate_queues_the_job_and_answers_with_its_location(local_aws: Any) -> None:
    response = Response()
    job = ai_service.generate(
        HAIKU, "autumn", owner_id="kind-test-user", response=response, target={"x": "1"}
    )
    assert job.status == "queued"
    assert response.headers["Location"] == f"/ai/jobs/{job.job_id}"
    stored = ai_service.get_job(owner_id="kind-test-user", job_id=job.job_id)
    assert stored.kind == "test_haiku"
    assert stored.target == {"x": "1"}


def _store_haiku(_job: kinds.JobRef, output: Haiku) -> dict[str, Any]:
    return {"storedLines": len(output.lines)}


STORED_HAIKU: AiKind[str, Haiku] = AiKind(
    "test_stored_haiku", Haiku, prompt=_prompt, apply=_store_haiku, max_tokens=256
)


def test_what_apply_reports_is_added_to_the_job_result(
    local_aws: Any, ai_emulator: Any, drain_queue: Any
) -> None:
    # Given a kind whose apply step reports what it stored
    response = Response()
    job = ai_service.generate(STORED_HAIKU, "spring", owner_id="kind-test-user", response=response)
    # When the worker runs the job through the emulator
    for result in drain_queue():
        assert result["batchItemFailures"] == [], result
    # Then the result holds the validated output and what apply reported
    done = ai_service.get_job(owner_id="kind-test-user", job_id=job.job_id)
    assert done.status == "succeeded"
    assert done.result is not None
    assert done.result["storedLines"] == len(done.result["lines"]) >= 1
