"""DynamoDB access for projects; stored items never leave this module."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from app.core import aws, dynamo
from app.core.errors import NotFound
from app.core.schemas import isoformat, utc_now
from app.projects.domain import PROJECTS
from app.projects.exceptions import ProjectNotFound, ProjectTooLarge
from app.projects.schemas import (
    GeneratedPlan,
    PhaseRead,
    ProjectRead,
    SprintRead,
    TeamMemberRead,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

KEY = PROJECTS.hash_key
BY_OWNER = PROJECTS.indexes[0]
# API field -> stored attribute, for the fields a PATCH may change.
_ATTRIBUTES = {
    "name": "name",
    "description": "description",
    "requirements_summary": "requirementsSummary",
    "constraints": "constraints",
    "disciplines": "disciplines",
    "team": "team",
    "phases": "phases",
    "status": "status",
}


def _table() -> Table:
    return aws.table(PROJECTS.name)


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _plan_to_item(plan: GeneratedPlan | None) -> dict[str, Any] | None:
    return None if plan is None else plan.model_dump(mode="json", by_alias=True)


def _plan_from_item(value: Any) -> GeneratedPlan | None:
    return None if value is None else GeneratedPlan.model_validate(value)


def _sprint_to_item(sprint: SprintRead) -> dict[str, Any]:
    return _without_none(
        {
            "sprintId": sprint.sprint_id,
            "name": sprint.name,
            "goal": sprint.goal,
            "generated": _plan_to_item(sprint.generated),
        }
    )


def _phase_to_item(phase: PhaseRead) -> dict[str, Any]:
    return _without_none(
        {
            "phaseId": phase.phase_id,
            "name": phase.name,
            "description": phase.description,
            "generated": _plan_to_item(phase.generated),
            "sprints": [_sprint_to_item(sprint) for sprint in phase.sprints],
        }
    )


def _value_to_item(field: str, value: Any) -> Any:
    if field == "phases":
        return [_phase_to_item(phase) for phase in value]
    if field == "team":
        return [{"name": member.name, "role": member.role} for member in value]
    return value


def _to_item(project: ProjectRead, *, owner_id: str) -> dict[str, Any]:
    fields = {
        _ATTRIBUTES[field]: _value_to_item(field, getattr(project, field)) for field in _ATTRIBUTES
    }
    return _without_none(
        {
            KEY: project.project_id,
            "ownerId": owner_id,
            **fields,
            "version": project.version,
            "createdAt": project.created_at,
            "updatedAt": project.updated_at,
        }
    )


def _sprint_from_item(item: Mapping[str, Any]) -> SprintRead:
    return SprintRead(
        sprint_id=item["sprintId"],
        name=item["name"],
        goal=item.get("goal"),
        generated=_plan_from_item(item.get("generated")),
    )


def _phase_from_item(item: Mapping[str, Any]) -> PhaseRead:
    return PhaseRead(
        phase_id=item["phaseId"],
        name=item["name"],
        description=item.get("description"),
        generated=_plan_from_item(item.get("generated")),
        sprints=[_sprint_from_item(sprint) for sprint in item.get("sprints", [])],
    )


def _from_item(item: Mapping[str, Any]) -> ProjectRead:
    return ProjectRead(
        project_id=item[KEY],
        name=item["name"],
        description=item.get("description"),
        requirements_summary=item.get("requirementsSummary"),
        constraints=item.get("constraints"),
        disciplines=list(item.get("disciplines", [])),
        team=[TeamMemberRead(name=m["name"], role=m["role"]) for m in item.get("team", [])],
        phases=[_phase_from_item(phase) for phase in item.get("phases", [])],
        status=item["status"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
    )


def create(project: ProjectRead, *, owner_id: str) -> None:
    """Store a new project; its id must be unused."""
    dynamo.put_new(_table(), _to_item(project, owner_id=owner_id), key_attribute=KEY)


def get(project_id: str, *, owner_id: str) -> ProjectRead | None:
    """Return the owner's project, read consistently, or None."""
    item = dynamo.get_owned(_table(), {KEY: project_id}, owner=owner_id, consistent_read=True)
    return None if item is None else _from_item(item)


def get_owner(project_id: str) -> str | None:
    """Return who owns a project, reading only that attribute, or None if there is none."""
    item = (
        _table()
        .get_item(
            Key={KEY: project_id},
            ProjectionExpression="#owner",
            ExpressionAttributeNames={"#owner": "ownerId"},
            ConsistentRead=True,
        )
        .get("Item")
    )
    owner = None if item is None else item.get("ownerId")
    return owner if isinstance(owner, str) else None


def list_page(
    *, owner_id: str, limit: int, start_key: dict[str, Any] | None
) -> tuple[list[ProjectRead], dict[str, Any] | None]:
    """Query one page of the owner's projects, newest first, through the owner index."""
    page = dynamo.query_page(
        _table(),
        hash_key=BY_OWNER.hash_key,
        hash_value=owner_id,
        index=BY_OWNER.name,
        limit=limit,
        start_key=start_key,
        newest_first=True,
    )
    return [_from_item(item) for item in page.items], page.last_key


def update(
    project_id: str, *, owner_id: str, expected_version: int, changes: Mapping[str, Any]
) -> ProjectRead:
    """Apply changes (None clears a field) if the project is the owner's and at the version."""
    sets = {_ATTRIBUTES[f]: _value_to_item(f, v) for f, v in changes.items() if v is not None}
    removals = tuple(_ATTRIBUTES[f] for f, v in changes.items() if v is None)
    try:
        item = dynamo.versioned_update(
            _table(),
            {KEY: project_id},
            owner=owner_id,
            expected_version=expected_version,
            changes=sets,
            removals=removals,
        )
    except NotFound as exc:
        raise ProjectNotFound() from exc
    except ClientError as exc:
        if dynamo.is_item_too_large(exc):
            raise ProjectTooLarge() from exc
        raise
    return _from_item(item)


def set_plan(
    project_id: str,
    *,
    owner_id: str,
    phase: tuple[int, str],
    sprint: tuple[int, str] | None,
    plan: Mapping[str, Any],
) -> bool:
    """Store a plan on the phase (or sprint) at (position, id); False if it is not there now.

    Only that one attribute is written, so concurrent edits elsewhere are not overwritten.
    """
    names = {"#owner": "ownerId", "#phases": "phases", "#phaseId": "phaseId"}
    values: dict[str, Any] = {":owner": owner_id, ":phaseId": phase[1]}
    target = f"#phases[{int(phase[0])}]"
    condition = f"#owner = :owner AND {target}.#phaseId = :phaseId"
    if sprint is not None:
        names |= {"#sprints": "sprints", "#sprintId": "sprintId"}
        values[":sprintId"] = sprint[1]
        target = f"{target}.#sprints[{int(sprint[0])}]"
        condition += f" AND {target}.#sprintId = :sprintId"
    names |= {"#generated": "generated", "#version": "version", "#updatedAt": "updatedAt"}
    values |= {":plan": dynamo.to_dynamo(dict(plan)), ":one": 1, ":now": isoformat(utc_now())}
    try:
        _table().update_item(
            Key={KEY: project_id},
            UpdateExpression=(
                f"SET {target}.#generated = :plan, #version = #version + :one, #updatedAt = :now"
            ),
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except ClientError as exc:
        if dynamo.is_conditional_failure(exc):
            return False
        if dynamo.is_item_too_large(exc):
            raise ProjectTooLarge() from exc
        raise
    return True


def delete(project_id: str, *, owner_id: str) -> None:
    """Delete the project if it is the owner's; raise ProjectNotFound otherwise."""
    try:
        dynamo.delete_owned(_table(), {KEY: project_id}, owner=owner_id)
    except NotFound as exc:
        raise ProjectNotFound() from exc
