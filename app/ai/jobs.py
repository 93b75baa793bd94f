"""The worker side of the ai domain: run `ai.job` messages."""

from __future__ import annotations

from app.ai import service
from app.core import jobs
from app.core.jobs import JobContext, JobMessage
from app.core.observability import logger


@jobs.register(service.JOB_TYPE)
def handle_ai_job(message: JobMessage, context: JobContext) -> None:
    """Run the job named in the message; a live claim elsewhere raises, so SQS retries later."""
    job_id = message.payload.get("jobId")
    if not isinstance(job_id, str) or not job_id or len(job_id) > 64:
        logger.error("ai job message without a job id", extra={"event_id": message.id})
        return
    logger.info(
        "ai job delivered", extra={"job_id": job_id, "receive_count": context.receive_count}
    )
    service.run_job(job_id)
