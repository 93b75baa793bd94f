"""Queue handlers of the templates domain: a project made from a template counts once."""

from __future__ import annotations

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.templates import service
from app.templates.service import TEMPLATE_USED


@jobs.register(TEMPLATE_USED)
def handle_template_used(message: JobMessage, context: JobContext) -> None:
    """Add the project to its template's usage; a redelivery or a replayed send counts nothing."""
    ids = {name: message.payload.get(name) for name in ("templateId", "ownerId", "projectId")}
    if not all(isinstance(value, str) and value for value in ids.values()):
        logger.warning("template.used without ids", extra={"event_id": message.id})
        return
    counted = service.count_usage(
        template_id=str(ids["templateId"]),
        owner_id=str(ids["ownerId"]),
        project_id=str(ids["projectId"]),
    )
    logger.info(
        "template usage",
        extra={"event_id": message.id, "counted": counted, "receive_count": context.receive_count},
    )
