"""What a reply is built from: the recent history, the project and the attached files, each
read through its owner's service and cut to a fixed budget, so a model call stays bounded
however long the session or large the project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from app.ai import service as ai_service
from app.assets import service as assets_service
from app.core.errors import NotFound
from app.projects import service as projects_service
from app.requirements import service as requirements_service
from app.sessions import repository
from app.sessions.exceptions import MessageNotFound
from app.sessions.records import MessageRecord

HISTORY_BUDGET_CHARS: Final = 24_000
# One earlier message never takes more than this of the history budget.
TURN_CHARS: Final = 8_000
HISTORY_PAGE: Final = 50
PROJECT_BUDGET_CHARS: Final = 8_000
PROJECT_FIELD_CHARS: Final = 1_500
REQUIREMENT_DESCRIPTION_CHARS: Final = 300
REQUIREMENT_PAGES: Final = 3
FILES_BUDGET_CHARS: Final = 16_000
MAX_FILES: Final = 5
FAILED_REPLY: Final = "(No answer was given: this reply failed.)"


@dataclass(frozen=True)
class Window:
    """The message being answered, the earlier turns that fit, and the files they attach."""

    current: MessageRecord
    turns: tuple[ai_service.Turn, ...]
    asset_ids: tuple[str, ...]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " [truncated]"


def _turn(message: MessageRecord) -> ai_service.Turn:
    if message.role == "user":
        return ai_service.Turn(
            "user", ai_service.fence("message", message.content, limit=TURN_CHARS)
        )
    text = message.content if message.status == "complete" and message.content else FAILED_REPLY
    return ai_service.Turn("assistant", _clip(text, TURN_CHARS))


def history(*, owner_id: str, session_id: str, reply_id: str) -> Window:
    """Return the message a reply answers and the newest earlier turns within the budget.

    Messages are read newest first and only as far as the budget reaches; the turns come back
    oldest first, starting with a user turn, in the order they were posted.
    """
    newest_first: list[MessageRecord] = []
    used = 0
    start: str | None = None
    while True:
        page = repository.messages_before(
            session_id, reply_id, owner_id=owner_id, limit=HISTORY_PAGE, start_key=start
        )
        for message in page.items:
            size = len(_turn(message).text) if newest_first else 0
            if used + size > HISTORY_BUDGET_CHARS:
                return _window(newest_first)
            newest_first.append(message)
            used += size
        if page.last_key is None:
            return _window(newest_first)
        start = str(page.last_key["messageId"])


def _window(newest_first: list[MessageRecord]) -> Window:
    if not newest_first or newest_first[0].role != "user":
        raise MessageNotFound("The message this reply answers is gone.")
    current = newest_first[0]
    earlier = list(reversed(newest_first[1:]))
    while earlier and earlier[0].role != "user":
        earlier.pop(0)
    asset_ids = list(current.asset_ids)
    for message in reversed(earlier):
        asset_ids += [a for a in message.asset_ids if a not in asset_ids]
    return Window(
        current=current,
        turns=tuple(_turn(message) for message in earlier),
        asset_ids=tuple(asset_ids[:MAX_FILES]),
    )


def project_text(*, owner_id: str, project_id: str) -> str:
    """Describe the project, its phases and sprints, and as many requirements as fit."""
    try:
        project = projects_service.get_project(owner_id=owner_id, project_id=project_id)
    except NotFound:
        return "(The project no longer exists.)"
    lines = [f"Name: {project.name}", f"Status: {project.status}"]
    for label, value in (
        ("Description", project.description),
        ("Requirements summary", project.requirements_summary),
        ("Constraints", project.constraints),
    ):
        if value:
            lines.append(f"{label}: {_clip(value, PROJECT_FIELD_CHARS)}")
    if project.disciplines:
        lines.append("Disciplines: " + ", ".join(project.disciplines))
    lines.append("Phases and sprints:" if project.phases else "Phases and sprints: (none)")
    for phase in project.phases:
        lines.append(
            f"- phase: {phase.name}" + (f": {phase.description}" if phase.description else "")
        )
        lines += [
            f"  - sprint: {sprint.name}" + (f" (goal: {sprint.goal})" if sprint.goal else "")
            for sprint in phase.sprints
        ]
    text = _clip("\n".join(lines), PROJECT_BUDGET_CHARS // 2)
    return text + "\n" + _requirements_text(owner_id, project_id, PROJECT_BUDGET_CHARS - len(text))


def _requirements_text(owner_id: str, project_id: str, budget: int) -> str:
    lines: list[str] = []
    used = 0
    cursor: str | None = None
    for _ in range(REQUIREMENT_PAGES):
        page = requirements_service.list_requirements(
            owner_id=owner_id,
            project_id=project_id,
            requirement_type=None,
            limit=100,
            cursor=cursor,
        )
        for item in page.items:
            description = _clip(item.description, REQUIREMENT_DESCRIPTION_CHARS)
            line = (
                f"- title: {item.title} | type: {item.type} | priority: {item.priority}"
                f" | status: {item.status}\n  {description}"
            )
            if used + len(line) > budget - 100:
                return _listed(lines, complete=False)
            lines.append(line)
            used += len(line) + 1
        cursor = page.next_cursor
        if cursor is None:
            return _listed(lines, complete=True)
    return _listed(lines, complete=False)


def _listed(lines: list[str], *, complete: bool) -> str:
    if not lines:
        return "Requirements: (none)"
    head = (
        "Requirements, newest first:"
        if complete
        else ("Requirements, newest first (more exist than fit here):")
    )
    return "\n".join([head, *lines])


def files_text(*, owner_id: str, asset_ids: tuple[str, ...], max_bytes: int) -> str:
    """Return the attached files' text, each file cut to a fair share of the budget."""
    parts: list[str] = []
    remaining = FILES_BUDGET_CHARS
    for index, asset_id in enumerate(asset_ids):
        share = remaining // (len(asset_ids) - index)
        asset = assets_service.read_text(owner_id=owner_id, asset_id=asset_id, max_bytes=max_bytes)
        if asset is None:
            parts.append(f"File {index + 1}: (no longer available)")
            continue
        text = asset.text[:share]
        cut = asset.truncated or len(asset.text) > share
        head = f"File {index + 1}: {asset.file_name} ({asset.content_type})"
        parts.append(f"{head}\n{text}" + ("\n[cut short]" if cut else ""))
        remaining -= len(text)
    return "\n\n".join(parts)
