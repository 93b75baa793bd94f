"""Queue handlers of the waitlist domain: the welcome and invitation emails."""

from __future__ import annotations

from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger
from app.waitlist import service
from app.waitlist.service import WAITLIST_INVITED, WAITLIST_JOINED


@jobs.register(WAITLIST_JOINED)
def handle_joined(message: JobMessage, context: JobContext) -> None:
    """Send the welcome email, once per sign-up event."""
    sent = service.send_welcome(event_id=message.id, payload=message.payload)
    logger.info(
        "waitlist welcome",
        extra={"event_id": message.id, "sent": sent, "receive_count": context.receive_count},
    )


@jobs.register(WAITLIST_INVITED)
def handle_invited(message: JobMessage, context: JobContext) -> None:
    """Send the invitation email, once per invitation event."""
    sent = service.send_invitation(event_id=message.id, payload=message.payload)
    logger.info(
        "waitlist invitation",
        extra={"event_id": message.id, "sent": sent, "receive_count": context.receive_count},
    )
