"""The projects repository on DynamoStore: records round-trip, nested plans land in place."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.core.errors import VersionConflict
from app.projects import repository
from app.projects.exceptions import ProjectNotFound, ProjectTooLarge
from app.projects.repository import MemberRecord, PhaseRecord, ProjectRecord, SprintRecord

PLAN = {"objectives": ["o"], "deliverables": ["d"], "tasks": [{"title": "t", "days": 1.5}]}


def _record(owner_id: str = "alice") -> ProjectRecord:
    return ProjectRecord(
        project_id=str(uuid.uuid4()),
        owner_id=owner_id,
        name="Bridge",
        status="active",
        version=1,
        created_at="2026-01-01T00:00:00.000000Z",
        updated_at="2026-01-01T00:00:00.000000Z",
        description="d",
        constraints="c",
        disciplines=("civil", "geo"),
        team=(MemberRecord(name="Ada", role="lead"),),
        phases=(
            PhaseRecord(
                phase_id="p1",
                name="Survey",
                generated=PLAN,
                sprints=(SprintRecord(sprint_id="s1", name="Drone", goal="g"),),
            ),
            PhaseRecord(phase_id="p2", name="Design"),
        ),
    )


def test_create_and_get_project_round_trips_record(local_aws: Any) -> None:
    record = _record()
    repository.create(record)
    assert repository.get(record.project_id, owner_id="alice") == record
    assert repository.get(record.project_id, owner_id="mallory") is None
    assert repository.get_owner(record.project_id) == "alice"
    assert repository.get_owner("no-such-project") is None


def test_update_project_sets_and_clears_fields_at_version(local_aws: Any) -> None:
    # Given
    record = _record()
    repository.create(record)
    phases = (PhaseRecord(phase_id="p2", name="Design", description="new"),)
    # When
    after = repository.update(
        record.project_id,
        owner_id="alice",
        expected_version=1,
        changes={"description": None, "phases": phases, "team": ()},
    )
    # Then
    assert (after.description, after.phases, after.team, after.version) == (None, phases, (), 2)
    assert after.constraints == "c"
    with pytest.raises(VersionConflict) as raised:
        repository.update(
            record.project_id, owner_id="alice", expected_version=1, changes={"name": "x"}
        )
    assert raised.value.details == [{"currentVersion": 2}]
    with pytest.raises(ProjectNotFound):
        repository.update(
            record.project_id, owner_id="mallory", expected_version=2, changes={"name": "x"}
        )


def test_set_plan_writes_only_where_the_ids_still_are(local_aws: Any) -> None:
    record = _record()
    repository.create(record)
    key: dict[str, Any] = {"owner_id": "alice", "plan": PLAN}
    # The phase or sprint at that position has another id (it moved): nothing is written
    assert not repository.set_plan(record.project_id, phase=(1, "p1"), sprint=None, **key)
    assert not repository.set_plan(record.project_id, phase=(0, "p1"), sprint=(0, "s9"), **key)
    assert not repository.set_plan(record.project_id, phase=(5, "p1"), sprint=None, **key)
    others = {**key, "owner_id": "mallory"}
    assert not repository.set_plan(record.project_id, phase=(0, "p1"), sprint=None, **others)
    assert repository.get(record.project_id, owner_id="alice") == record
    # Where the ids match, just that attribute changes and the version moves on
    assert repository.set_plan(record.project_id, phase=(0, "p1"), sprint=(0, "s1"), **key)
    stored = repository.get(record.project_id, owner_id="alice")
    assert stored is not None and stored.version == 2
    assert stored.phases[0].sprints[0].generated == PLAN
    assert stored.phases[1] == record.phases[1]


def test_update_project_over_item_limit_is_too_large(local_aws: Any) -> None:
    record = _record()
    repository.create(record)
    with pytest.raises(ProjectTooLarge):
        repository.update(
            record.project_id,
            owner_id="alice",
            expected_version=1,
            changes={"disciplines": ["x" * 100] * 4200},
        )
    stored = repository.get(record.project_id, owner_id="alice")
    assert stored is not None and stored.version == 1


def test_delete_project_only_by_owner(local_aws: Any) -> None:
    record = _record()
    repository.create(record)
    with pytest.raises(ProjectNotFound):
        repository.delete(record.project_id, owner_id="mallory")
    repository.delete(record.project_id, owner_id="alice")
    assert repository.get(record.project_id, owner_id="alice") is None
