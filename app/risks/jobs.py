"""Queue handlers of the risks domain: a deleted project takes its risks along."""

from __future__ import annotations

from typing import Final

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.projects import service as projects_service
from app.risks import service
from app.risks.exceptions import ProjectStillExists

# This domain's own follow-up when a project has more risks than one message deletes; the
# project.deleted event itself is shared with the other domains that hang data off a project.
RISKS_PURGE: Final = "risks.purge"
RISKS_PER_PAGE: Final = 100
PAGES_PER_MESSAGE: Final = 10
# The event is sent just before the project's delete; while the project is still there the
# message is retried, and after this many receives the delete is taken to have failed.
MAX_RECEIVES_WHILE_PROJECT_EXISTS: Final = 3


@jobs.subscribe(projects_service.PROJECT_DELETED)
def handle_project_deleted(message: JobMessage, context: JobContext) -> None:
    """Delete the risks of a project that is gone; idempotent, so redelivery is safe."""
    _purge(message, context)


@jobs.register(RISKS_PURGE)
def handle_purge(message: JobMessage, context: JobContext) -> None:
    """Go on deleting a deleted project's risks."""
    _purge(message, context)


def _purge(message: JobMessage, context: JobContext) -> None:
    project_id = message.payload.get("projectId")
    if not isinstance(project_id, str) or not project_id:
        logger.warning("risk purge without a projectId", extra={"event_id": message.id})
        return
    if projects_service.project_exists(project_id=project_id):
        if context.receive_count < MAX_RECEIVES_WHILE_PROJECT_EXISTS:
            raise ProjectStillExists(project_id)
        logger.warning(
            "risk purge for a project that still exists; dropped",
            extra={"event_id": message.id, "receive_count": context.receive_count},
        )
        return
    more = False
    for _ in range(PAGES_PER_MESSAGE):
        more = service.delete_project_risks(project_id=project_id, max_items=RISKS_PER_PAGE)
        if not more:
            break
    if more:
        # Bounded work per message; if this send fails the message is retried from the start.
        jobs.enqueue(RISKS_PURGE, {"projectId": project_id})
    logger.info("project risks deleted", extra={"event_id": message.id, "complete": not more})
