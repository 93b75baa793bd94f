"""DynamoDB access for risks; stored items, their index keys included, never leave this module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.records import Page
from app.core.store import DynamoStore
from app.risks.domain import RISKS
from app.risks.exceptions import RiskNotFound
from app.risks.schemas import RiskCategory, RiskSource, RiskStatus, title_key


@dataclass(frozen=True)
class RiskRecord:
    """A stored risk."""

    project_id: str
    risk_id: str
    owner_id: str
    title: str
    category: RiskCategory
    likelihood: int
    impact: int
    status: RiskStatus
    source: RiskSource
    version: int
    created_at: str
    updated_at: str
    description: str | None = None
    mitigation: str | None = None
    owner_role: str | None = None
    phase_id: str | None = None

    @property
    def score(self) -> int:
        """Return likelihood x impact."""
        return self.likelihood * self.impact


def score_floor(min_score: int) -> str:
    """Return the lowest scoreKey of a score, for a minScore key condition."""
    return f"{min_score:02d}"


def _to_item(record: RiskRecord) -> dict[str, Any]:
    project, status, category = record.project_id, record.status, record.category
    item = {
        "projectId": project,
        "riskId": record.risk_id,
        "ownerId": record.owner_id,
        "title": record.title,
        "description": record.description,
        "category": category,
        "likelihood": record.likelihood,
        "impact": record.impact,
        "score": record.score,
        "status": status,
        "mitigation": record.mitigation,
        "ownerRole": record.owner_role,
        "phaseId": record.phase_id,
        "source": record.source,
        "version": record.version,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
        "scoreKey": f"{score_floor(record.score)}#{record.created_at}#{record.risk_id}",
        "projectStatus": f"{project}#{status}",
        "projectCategory": f"{project}#{category}",
        "projectStatusCategory": f"{project}#{status}#{category}",
        "titleKey": title_key(record.title),
    }
    return {key: value for key, value in item.items() if value is not None}


def _from_item(item: dict[str, Any]) -> RiskRecord:
    return RiskRecord(
        project_id=item["projectId"],
        risk_id=item["riskId"],
        owner_id=item["ownerId"],
        title=item["title"],
        description=item.get("description"),
        category=item["category"],
        likelihood=int(item["likelihood"]),
        impact=int(item["impact"]),
        status=item["status"],
        mitigation=item.get("mitigation"),
        owner_role=item.get("ownerRole"),
        phase_id=item.get("phaseId"),
        source=item["source"],
        version=int(item["version"]),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
    )


_store = DynamoStore(RISKS, to_item=_to_item, from_item=_from_item, not_found=RiskNotFound)


def _key(project_id: str, risk_id: str) -> dict[str, str]:
    return {"projectId": project_id, "riskId": risk_id}


def add(record: RiskRecord) -> None:
    """Store a new risk; Conflict if its id is taken."""
    _store.put_new(record)


def get(project_id: str, risk_id: str, *, owner_id: str) -> RiskRecord | None:
    """Return the owner's risk, read consistently, or None."""
    return _store.get(_key(project_id, risk_id), owner=owner_id, consistent=True)


def replace(record: RiskRecord, *, expected_version: int) -> None:
    """Overwrite a risk (its index keys recomputed) if it is at the expected version."""
    _store.replace(record, expected_version=expected_version, owner=record.owner_id)


def delete(project_id: str, risk_id: str, *, owner_id: str) -> None:
    """Delete the owner's risk; RiskNotFound otherwise."""
    _store.delete(_key(project_id, risk_id), owner=owner_id)


def list_page(
    project_id: str,
    *,
    status: RiskStatus | None,
    category: RiskCategory | None,
    min_score: int | None,
    limit: int,
    start_key: dict[str, Any] | None,
) -> Page[RiskRecord]:
    """Query one page on the index made for the filters: highest score first, ties newest."""
    if status and category:
        index, partition = "byStatusCategory", f"{project_id}#{status}#{category}"
    elif status:
        index, partition = "byStatus", f"{project_id}#{status}"
    elif category:
        index, partition = "byCategory", f"{project_id}#{category}"
    else:
        index, partition = "byScore", project_id
    return _store.query(
        partition,
        index=index,
        limit=limit,
        start_key=start_key,
        range_from=None if min_score is None else score_floor(min_score),
    )


def has_title(project_id: str, title: str) -> bool:
    """Return whether a risk of the project has this title (ignoring case and outer space).

    The Query reads titles starting with the key, lowest first: an exact match, if there is
    one, sorts before every longer title and is the one item read.
    """
    key = title_key(title)
    page = _store.query(project_id, index="byTitle", limit=1, newest_first=False, range_prefix=key)
    return any(title_key(record.title) == key for record in page.items)


def delete_for_project(project_id: str, *, max_items: int) -> tuple[int, bool]:
    """Delete up to max_items of a project's risks; return (deleted, whether more remain)."""
    return _store.delete_partition(project_id, max_items=max_items)
