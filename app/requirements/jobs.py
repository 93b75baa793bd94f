"""Queue handlers of the requirements domain: a deleted project takes its requirements along."""

from __future__ import annotations

from typing import Any, Final

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.projects import service as projects_service
from app.requirements import service
from app.requirements.exceptions import ProjectStillExists

# Pages of up to 100 requirements deleted per message; the rest goes on in a follow-up message.
PAGES_PER_MESSAGE: Final = 10
# The event is sent just before the project's delete; while the project is still there the
# message is retried, and after this many receives the delete is taken to have failed.
MAX_RECEIVES_WHILE_PROJECT_EXISTS: Final = 3


def _text(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return value if isinstance(value, str) and value else None


@jobs.subscribe(projects_service.PROJECT_DELETED)
def handle_project_deleted(message: JobMessage, context: JobContext) -> None:
    """Delete the requirements of a project that is gone; idempotent, so redelivery is safe."""
    project_id = _text(message.payload, "projectId")
    owner_id = _text(message.payload, "ownerId")
    if project_id is None or owner_id is None:
        logger.warning("project.deleted without ids", extra={"event_id": message.id})
        return
    if projects_service.project_exists(project_id=project_id):
        if context.receive_count < MAX_RECEIVES_WHILE_PROJECT_EXISTS:
            raise ProjectStillExists(project_id)
        logger.warning(
            "project.deleted for a project that still exists; dropped",
            extra={"event_id": message.id, "receive_count": context.receive_count},
        )
        return
    start_key = message.payload.get("startKey")
    next_key = service.delete_project_requirements(
        owner_id=owner_id,
        project_id=project_id,
        start_key=start_key if isinstance(start_key, dict) else None,
        max_pages=PAGES_PER_MESSAGE,
    )
    if next_key is not None:
        # Bounded work per message; if this send fails the message is retried from the start.
        jobs.enqueue(
            projects_service.PROJECT_DELETED,
            {"projectId": project_id, "ownerId": owner_id, "startKey": next_key},
        )
    logger.info(
        "project requirements deleted",
        extra={"event_id": message.id, "complete": next_key is None},
    )
