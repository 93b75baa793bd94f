"""Phases and sprints: PATCH keeps, renames, moves, adds and removes them; plans are stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.errors import NotFound, PayloadTooLarge, ValidationFailed, VersionConflict
from app.projects import repository, service
from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project

PLAN = {
    "objectives": ["Know the bridge"],
    "deliverables": ["Survey report"],
    "tasks": [{"title": "Fly the drone", "estimateDays": 2}],
    "risks": ["Weather"],
}


def _patch(client: TestClient, user: LoggedInUser, project: dict[str, Any], **body: Any) -> Any:
    return client.patch(
        f"/projects/{project['projectId']}",
        json={"version": project["version"], **body},
        headers=user.headers,
    )


def test_update_project_phases_keeps_renames_adds_and_removes(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a project with phases Survey (two sprints) and Design
    project = create_project(client, user, FULL_PROJECT)
    survey, design = project["phases"]
    drone, cores = survey["sprints"]
    # When Design is renamed and moved first, Survey keeps only a renamed Cores plus a new
    # sprint, and a new phase is added at the end
    response = _patch(
        client,
        user,
        project,
        phases=[
            {"phaseId": design["phaseId"], "name": "Detailed design"},
            {
                "phaseId": survey["phaseId"],
                "sprints": [
                    {"sprintId": cores["sprintId"], "name": "Concrete cores"},
                    {"name": "Load test", "goal": "Proof load"},
                ],
            },
            {"name": "Build", "sprints": [{"name": "Mobilise"}]},
        ],
    )
    # Then
    assert response.status_code == 200, response.text
    phases = response.json()["phases"]
    assert [p["name"] for p in phases] == ["Detailed design", "Survey", "Build"]
    assert phases[0]["phaseId"] == design["phaseId"]
    assert phases[1]["phaseId"] == survey["phaseId"]
    assert phases[1]["description"] == survey["description"]
    assert phases[1]["sprints"][0] == {**cores, "name": "Concrete cores"}
    new_ids = {phases[1]["sprints"][1]["sprintId"], phases[2]["phaseId"]}
    new_ids.add(phases[2]["sprints"][0]["sprintId"])
    old_ids = {survey["phaseId"], design["phaseId"], drone["sprintId"], cores["sprintId"]}
    assert len(new_ids) == 3 and not new_ids & old_ids
    all_sprints = [s["sprintId"] for p in phases for s in p["sprints"]]
    assert drone["sprintId"] not in all_sprints


def test_update_project_phase_without_sprints_keeps_them(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey = project["phases"][0]
    response = _patch(
        client, user, project, phases=[{"phaseId": survey["phaseId"], "description": None}]
    )
    assert response.status_code == 200, response.text
    (phase,) = response.json()["phases"]
    assert phase["sprints"] == survey["sprints"] and phase["description"] is None
    assert phase["name"] == "Survey"


def test_update_project_moves_sprint_between_phases(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey, design = project["phases"]
    drone = survey["sprints"][0]
    response = _patch(
        client,
        user,
        project,
        phases=[
            {"phaseId": survey["phaseId"], "sprints": []},
            {"phaseId": design["phaseId"], "sprints": [{"sprintId": drone["sprintId"]}]},
        ],
    )
    assert response.status_code == 200, response.text
    assert response.json()["phases"][1]["sprints"] == [drone]
    assert response.json()["phases"][0]["sprints"] == []


@pytest.mark.parametrize(
    "phases",
    [
        [{"phaseId": "11111111-2222-4333-8444-555555555555"}],
        [{"phaseId": "{survey}"}, {"phaseId": "{survey}"}],
        [{"phaseId": "{survey}", "sprints": [{"sprintId": "not-a-sprint-of-this-project"}]}],
        [{"phaseId": "{survey}", "sprints": [{"sprintId": "{drone}"}, {"sprintId": "{drone}"}]}],
        # Survey keeps its sprints implicitly, so Design may not take one of them
        [{"phaseId": "{survey}"}, {"phaseId": "{design}", "sprints": [{"sprintId": "{drone}"}]}],
    ],
    ids=["unknown-phase", "repeated-phase", "unknown-sprint", "repeated-sprint", "taken-sprint"],
)
def test_update_project_with_unknown_or_repeated_ids_is_rejected(
    client: TestClient, user: LoggedInUser, phases: list[dict[str, Any]]
) -> None:
    # Given
    project = create_project(client, user, FULL_PROJECT)
    names = {
        "{survey}": project["phases"][0]["phaseId"],
        "{design}": project["phases"][1]["phaseId"],
        "{drone}": project["phases"][0]["sprints"][0]["sprintId"],
    }

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return names.get(value, value)

    # When
    response = _patch(client, user, project, phases=fill(phases))
    # Then nothing was written
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert get_project(client, user, project["projectId"]) == project


@pytest.mark.parametrize(
    "phase",
    [
        {"description": "a new phase without a name"},
        {"name": "New", "sprints": [{"goal": "a new sprint without a name"}]},
        {"name": None},
        {"name": "New", "generated": {"objectives": []}},
        {"name": "New", "sprints": [{"name": "S", "generated": None}]},
    ],
    ids=["phase-no-name", "sprint-no-name", "null-name", "phase-generated", "sprint-generated"],
)
def test_update_project_with_invalid_phase_is_rejected(
    client: TestClient, user: LoggedInUser, phase: dict[str, Any]
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    response = _patch(client, user, project, phases=[phase])
    assert response.status_code == 422, response.text
    assert get_project(client, user, project["projectId"])["version"] == 1


def test_apply_phase_plan_stores_generated_content(client: TestClient, user: LoggedInUser) -> None:
    # Given
    project = create_project(client, user, FULL_PROJECT)
    design = project["phases"][1]
    # When
    service.apply_phase_plan(
        owner_id=user.sub, project_id=project["projectId"], phase_id=design["phaseId"], plan=PLAN
    )
    # Then only that phase changed, and the write counts as a version
    stored = get_project(client, user, project["projectId"])
    assert stored["phases"][1]["generated"] == PLAN
    assert stored["phases"][0] == project["phases"][0]
    assert stored["version"] == 2


def test_apply_sprint_plan_stores_generated_content(client: TestClient, user: LoggedInUser) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey = project["phases"][0]
    cores = survey["sprints"][1]
    service.apply_sprint_plan(
        owner_id=user.sub,
        project_id=project["projectId"],
        phase_id=survey["phaseId"],
        sprint_id=cores["sprintId"],
        plan=PLAN,
    )
    stored = get_project(client, user, project["projectId"])
    assert stored["phases"][0]["sprints"][1]["generated"] == PLAN
    assert stored["phases"][0]["sprints"][0]["generated"] is None
    assert stored["phases"][0]["generated"] is None


def test_apply_phase_plan_follows_phase_that_moved(client: TestClient, user: LoggedInUser) -> None:
    # Given the phase moved to another position after the job started
    project = create_project(client, user, FULL_PROJECT)
    survey, design = project["phases"]
    moved = _patch(
        client,
        user,
        project,
        phases=[{"phaseId": design["phaseId"]}, {"phaseId": survey["phaseId"]}],
    )
    assert moved.status_code == 200
    # When
    service.apply_phase_plan(
        owner_id=user.sub, project_id=project["projectId"], phase_id=design["phaseId"], plan=PLAN
    )
    # Then the plan lands on the right phase
    stored = get_project(client, user, project["projectId"])
    assert stored["phases"][0]["phaseId"] == design["phaseId"]
    assert stored["phases"][0]["generated"] == PLAN and stored["phases"][1]["generated"] is None


def test_update_project_keeps_generated_content_of_kept_phases(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey = project["phases"][0]
    service.apply_phase_plan(
        owner_id=user.sub, project_id=project["projectId"], phase_id=survey["phaseId"], plan=PLAN
    )
    current = get_project(client, user, project["projectId"])
    response = _patch(
        client, user, current, phases=[{"phaseId": survey["phaseId"], "name": "Site survey"}]
    )
    assert response.status_code == 200, response.text
    assert response.json()["phases"][0]["generated"] == PLAN


def test_apply_plan_to_missing_phase_or_foreign_project_is_not_found(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    survey = project["phases"][0]
    with pytest.raises(NotFound):
        service.apply_phase_plan(
            owner_id=user.sub, project_id=project["projectId"], phase_id="gone", plan=PLAN
        )
    with pytest.raises(NotFound):
        service.apply_sprint_plan(
            owner_id=user.sub,
            project_id=project["projectId"],
            phase_id=survey["phaseId"],
            sprint_id="gone",
            plan=PLAN,
        )
    with pytest.raises(NotFound):
        service.apply_phase_plan(
            owner_id=other_user.sub,
            project_id=project["projectId"],
            phase_id=survey["phaseId"],
            plan=PLAN,
        )
    assert get_project(client, user, project["projectId"]) == project


def test_apply_phase_plan_with_wrong_shape_is_refused(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    with pytest.raises(ValidationFailed):
        service.apply_phase_plan(
            owner_id=user.sub,
            project_id=project["projectId"],
            phase_id=project["phases"][0]["phaseId"],
            plan={"objectives": "not a list"},
        )
    assert get_project(client, user, project["projectId"]) == project


def test_apply_phase_plan_over_item_limit_is_too_large(
    client: TestClient, user: LoggedInUser
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    with pytest.raises(PayloadTooLarge):
        service.apply_phase_plan(
            owner_id=user.sub,
            project_id=project["projectId"],
            phase_id=project["phases"][0]["phaseId"],
            plan={**PLAN, "objectives": ["x" * 1000] * 420},
        )
    # DynamoDB writes nothing; moto 5.2.5 leaves the nested value applied, so only the version
    # is compared here.
    assert get_project(client, user, project["projectId"])["version"] == 1


def test_apply_phase_plan_retries_when_phases_move_during_write(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the owner reorders the phases between the job's read and its write
    project = create_project(client, user, FULL_PROJECT)
    survey, design = project["phases"]
    write = repository.set_plan
    attempts: list[tuple[int, str]] = []

    def racing_write(*args: Any, **kwargs: Any) -> bool:
        attempts.append(kwargs["phase"])
        if len(attempts) == 1:
            order = [{"phaseId": design["phaseId"]}, {"phaseId": survey["phaseId"]}]
            moved = _patch(client, user, project, phases=order)
            assert moved.status_code == 200, moved.text
        return write(*args, **kwargs)

    monkeypatch.setattr(repository, "set_plan", racing_write)
    # When
    service.apply_phase_plan(
        owner_id=user.sub, project_id=project["projectId"], phase_id=design["phaseId"], plan=PLAN
    )
    # Then the first write found another phase at position 1, the retry found Design at 0
    assert attempts == [(1, design["phaseId"]), (0, design["phaseId"])]
    stored = get_project(client, user, project["projectId"])
    assert stored["phases"][0]["phaseId"] == design["phaseId"]
    assert stored["phases"][0]["generated"] == PLAN and stored["phases"][1]["generated"] is None
    assert stored["version"] == 3


def test_apply_phase_plan_gives_up_when_project_keeps_changing(
    client: TestClient, user: LoggedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = create_project(client, user, FULL_PROJECT)
    calls: list[int] = []

    def always_moved(*_: Any, **__: Any) -> bool:
        calls.append(1)
        return False

    monkeypatch.setattr(repository, "set_plan", always_moved)
    with pytest.raises(VersionConflict, match="kept changing"):
        service.apply_phase_plan(
            owner_id=user.sub,
            project_id=project["projectId"],
            phase_id=project["phases"][0]["phaseId"],
            plan=PLAN,
        )
    assert len(calls) == service.PLAN_WRITE_ATTEMPTS
    assert get_project(client, user, project["projectId"]) == project
