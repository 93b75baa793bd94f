"""Wire every domain's job handlers into the registry, then process SQS batches."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from app.core.worker import process_sqs_batch

# Each module registers its handlers with app.core.jobs on import.
JOB_MODULES: tuple[str, ...] = (
    "app.assets.jobs",
    "app.requirements.jobs",
    "app.goals.jobs",
    "app.waitlist.jobs",
    "app.ai.jobs",
    # AI job kinds are registered by the modules that own their data.
    "app.projects.generation",
    "app.requirements.generation",
    "app.goals.generation",
)


@lru_cache(maxsize=1)
def load_job_handlers() -> None:
    """Import every domain's job module once."""
    for module in JOB_MODULES:
        importlib.import_module(module)


def handle_sqs(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process an SQS batch with every job handler registered."""
    load_job_handlers()
    return process_sqs_batch(event, context)
