"""The ai domain's registration."""

from app.core.registry import Domain
from app.core.tables import AI_CACHE, AI_JOBS

DOMAIN = Domain(
    name="ai",
    private_routers=("app.ai.router:router",),
    job_modules=("app.ai.jobs",),
    tables=(AI_JOBS, AI_CACHE),
)
