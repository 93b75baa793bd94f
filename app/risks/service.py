"""Risk use cases; every one first proves the caller owns the project."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from typing import Final

from pydantic import ValidationError

from app.core.errors import Conflict
from app.core.schemas import Page, isoformat, utc_now
from app.core.usecases import idempotent_create, paginate, require_version
from app.core.versioning import expected_version
from app.projects import service as projects_service
from app.risks import repository
from app.risks.exceptions import RiskNotFound, UnknownPhase
from app.risks.repository import RiskRecord
from app.risks.schemas import (
    AssessedRisk,
    RiskCategory,
    RiskCreate,
    RiskRead,
    RiskStatus,
    RiskUpdate,
    title_key,
)

# AI risk ids derive from the project and the normalised title: one title, one AI risk, even
# when two assessments race or a job's apply step runs twice.
_AI_RISK_IDS: Final = uuid.UUID("0b9c6c55-6d0e-4f43-8f0a-3d5c2b7e1a94")


def to_read(record: RiskRecord) -> RiskRead:
    """Convert a stored risk to its API model."""
    return RiskRead(
        risk_id=record.risk_id,
        project_id=record.project_id,
        title=record.title,
        description=record.description,
        category=record.category,
        likelihood=record.likelihood,
        impact=record.impact,
        score=record.score,
        status=record.status,
        mitigation=record.mitigation,
        owner_role=record.owner_role,
        phase_id=record.phase_id,
        source=record.source,
        version=record.version,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def _check_project(owner_id: str, project_id: str, phase_id: str | None) -> None:
    """Raise ProjectNotFound unless the project is the owner's, UnknownPhase for a bad phaseId."""
    if phase_id is None:
        projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
        return
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    if all(phase.phase_id != phase_id for phase in project.phases):
        raise UnknownPhase(details=[{"loc": ["body", "phaseId"]}])


def create_risk(
    *, owner_id: str, project_id: str, body: RiskCreate, idempotency_key: str | None = None
) -> RiskRead:
    """Add a manual risk to the owner's project; a replayed Idempotency-Key returns the first."""
    _check_project(owner_id, project_id, body.phase_id)

    def create() -> RiskRead:
        now = isoformat(utc_now())
        record = RiskRecord(
            project_id=project_id,
            risk_id=str(uuid.uuid4()),
            owner_id=owner_id,
            title=body.title,
            description=body.description,
            category=body.category,
            likelihood=body.likelihood,
            impact=body.impact,
            status=body.status,
            mitigation=body.mitigation,
            owner_role=body.owner_role,
            phase_id=body.phase_id,
            source="manual",
            version=1,
            created_at=now,
            updated_at=now,
        )
        repository.add(record)
        return to_read(record)

    return idempotent_create(
        scope=f"risks:{project_id}",
        owner=owner_id,
        key=idempotency_key,
        body=body,
        create=create,
        answer=RiskRead,
    )


def _get(owner_id: str, project_id: str, risk_id: str) -> RiskRecord:
    record = repository.get(project_id, risk_id, owner_id=owner_id)
    if record is None:
        raise RiskNotFound()
    return record


def get_risk(*, owner_id: str, project_id: str, risk_id: str) -> RiskRead:
    """Return one risk of one of the owner's projects."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    return to_read(_get(owner_id, project_id, risk_id))


def list_risks(
    *,
    owner_id: str,
    project_id: str,
    status: RiskStatus | None,
    category: RiskCategory | None,
    min_score: int | None,
    limit: int,
    cursor: str | None,
) -> Page[RiskRead]:
    """Return a page of a project's risks, highest score first (ties newest first)."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    scope = f"risks:{project_id}:{status or '*'}:{category or '*'}:{min_score or 0}"
    return paginate(
        owner=owner_id,
        scope=scope,
        cursor=cursor,
        convert=to_read,
        fetch=lambda start: repository.list_page(
            project_id,
            status=status,
            category=category,
            min_score=min_score,
            limit=limit,
            start_key=start,
        ),
    )


def update_risk(
    *,
    owner_id: str,
    project_id: str,
    risk_id: str,
    body: RiskUpdate,
    if_match: str | None = None,
) -> RiskRead:
    """Apply a PATCH at the expected version; the score and index keys follow the fields."""
    version = expected_version(body_version=body.version, if_match=if_match)
    changes = body.changes()
    _check_project(owner_id, project_id, changes.get("phase_id"))
    # The score and the list keys depend on fields the PATCH may leave out: read, then put.
    current = _get(owner_id, project_id, risk_id)
    require_version(current.version, version)
    updated = dataclasses.replace(
        current, **changes, version=version + 1, updated_at=isoformat(utc_now())
    )
    repository.replace(updated, expected_version=version)
    return to_read(updated)


def delete_risk(*, owner_id: str, project_id: str, risk_id: str) -> None:
    """Delete one risk of one of the owner's projects."""
    projects_service.ensure_project_owned(owner_id=owner_id, project_id=project_id)
    repository.delete(project_id, risk_id, owner_id=owner_id)


def add_assessed_risks(
    *, owner_id: str, project_id: str, risks: Sequence[AssessedRisk]
) -> list[str]:
    """Store assessed risks with source `ai`, skipping titles the project has; return new ids.

    Existing risks, manual or not, are never changed. A proposed risk that breaks the limits of
    a manual one (control characters, say) is left out.
    """
    project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    phases = {title_key(phase.name): phase.phase_id for phase in project.phases}
    created: list[str] = []
    seen: set[str] = set()
    for risk in risks:
        body = _as_create(risk, phases)
        key = title_key(body.title) if body else ""
        if body is None or key in seen or repository.has_title(project_id, body.title):
            continue
        seen.add(key)
        now = isoformat(utc_now())
        record = RiskRecord(
            project_id=project_id,
            risk_id=str(uuid.uuid5(_AI_RISK_IDS, f"{project_id}:{key}")),
            owner_id=owner_id,
            source="ai",
            version=1,
            created_at=now,
            updated_at=now,
            **body.model_dump(),
        )
        try:
            repository.add(record)
        except Conflict:
            continue  # this title's AI risk, stored by a run the index did not show yet
        created.append(record.risk_id)
    return created


def _as_create(risk: AssessedRisk, phases: dict[str, str]) -> RiskCreate | None:
    """Return an assessed risk as a manual create would be checked, or None if it fails."""
    fields = {
        "title": " ".join(risk.title.split()),
        "description": risk.description or None,
        "category": risk.category,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "mitigation": risk.mitigation or None,
        "ownerRole": " ".join((risk.owner_role or "").split()) or None,
        "phaseId": phases.get(title_key(risk.phase or "")),
    }
    try:
        return RiskCreate.model_validate(fields)
    except ValidationError:
        return None


def delete_project_risks(*, project_id: str, max_items: int) -> bool:
    """Delete up to max_items risks of a deleted project; return whether more remain."""
    _, more = repository.delete_for_project(project_id, max_items=max_items)
    return more
