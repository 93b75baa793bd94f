"""Phases and sprints: assign ids on create, merge a PATCH's list, locate one for its plan."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from app.projects.exceptions import UnknownPlanItem
from app.projects.repository import PhaseRecord, SprintRecord
from app.projects.schemas import PhaseCreate, PhaseEdit, SprintEdit


def new_id() -> str:
    """Return a fresh opaque id for a project, phase or sprint."""
    return str(uuid.uuid4())


def new_phases(specs: list[PhaseCreate]) -> tuple[PhaseRecord, ...]:
    """Build the phases of a new project, each phase and sprint with a fresh id."""
    return tuple(
        PhaseRecord(
            phase_id=new_id(),
            name=spec.name,
            description=spec.description,
            sprints=tuple(
                SprintRecord(sprint_id=new_id(), name=sprint.name, goal=sprint.goal)
                for sprint in spec.sprints
            ),
        )
        for spec in specs
    )


def _unknown(loc: list[str | int], reason: str) -> UnknownPlanItem:
    return UnknownPlanItem(details=[{"loc": ["body", *loc], "msg": reason}])


class _Merge:
    """One PATCH's phase list applied to the stored phases."""

    def __init__(self, current: Sequence[PhaseRecord]) -> None:
        self.phases = {phase.phase_id: phase for phase in current}
        self.sprints = {sprint.sprint_id: sprint for phase in current for sprint in phase.sprints}
        self.seen_phases: set[str] = set()
        self.seen_sprints: dict[str, list[str | int]] = {}

    def claim_sprint(self, sprint_id: str, loc: list[str | int]) -> SprintRecord:
        if sprint_id not in self.sprints:
            raise _unknown(loc, "no such sprint in this project")
        if sprint_id in self.seen_sprints:
            raise _unknown(loc, "this sprint is already listed elsewhere")
        self.seen_sprints[sprint_id] = loc
        return self.sprints[sprint_id]

    def sprint(self, edit: SprintEdit, loc: list[str | int]) -> SprintRecord:
        if edit.sprint_id is None:
            return SprintRecord(sprint_id=new_id(), name=edit.name or "", goal=edit.goal)
        base = self.claim_sprint(edit.sprint_id, [*loc, "sprintId"])
        sent = edit.model_fields_set
        return replace(
            base,
            name=edit.name if "name" in sent and edit.name else base.name,
            goal=edit.goal if "goal" in sent else base.goal,
        )

    def phase(self, edit: PhaseEdit, loc: list[str | int]) -> PhaseRecord:
        sent = edit.model_fields_set
        if edit.phase_id is None:
            base = PhaseRecord(phase_id=new_id(), name=edit.name or "")
        elif edit.phase_id not in self.phases:
            raise _unknown([*loc, "phaseId"], "no such phase in this project")
        elif edit.phase_id in self.seen_phases:
            raise _unknown([*loc, "phaseId"], "this phase is listed twice")
        else:
            base = self.phases[edit.phase_id]
            self.seen_phases.add(edit.phase_id)
        if edit.sprints is None:
            # A kept phase without `sprints` keeps its own, which no other phase may then take.
            sprints = tuple(self.claim_sprint(s.sprint_id, [*loc, "sprints"]) for s in base.sprints)
        else:
            sprints = tuple(
                self.sprint(sprint, [*loc, "sprints", index])
                for index, sprint in enumerate(edit.sprints)
            )
        changes: dict[str, Any] = {"sprints": sprints}
        if "name" in sent and edit.name:
            changes["name"] = edit.name
        if "description" in sent:
            changes["description"] = edit.description
        return replace(base, **changes)


def merge_phases(current: Sequence[PhaseRecord], edits: list[PhaseEdit]) -> tuple[PhaseRecord, ...]:
    """Return the phase list a PATCH asks for; ids are kept, unknown or repeated ids are 422."""
    merge = _Merge(current)
    return tuple(merge.phase(edit, ["phases", index]) for index, edit in enumerate(edits))


def locate_phase(phases: Sequence[PhaseRecord], phase_id: str) -> int | None:
    """Return the position of a phase, or None."""
    return next((i for i, phase in enumerate(phases) if phase.phase_id == phase_id), None)


def locate_sprint(
    phases: Sequence[PhaseRecord], phase_id: str, sprint_id: str
) -> tuple[int, int] | None:
    """Return the positions of a sprint inside its phase, or None."""
    phase_index = locate_phase(phases, phase_id)
    if phase_index is None:
        return None
    sprints = phases[phase_index].sprints
    sprint_index = next((i for i, s in enumerate(sprints) if s.sprint_id == sprint_id), None)
    return None if sprint_index is None else (phase_index, sprint_index)
