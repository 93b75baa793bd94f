"""The ai domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

AI_JOBS = TableSpec(
    name="ai-jobs",
    hash_key="jobId",
    indexes=(Index("byOwner", "ownerId", "createdAt"),),
    ttl_attribute="expiresAt",
)

AI_CACHE = TableSpec(
    name="ai-cache",
    hash_key="cacheKey",
    ttl_attribute="expiresAt",
    holds_user_data=False,
)

DOMAIN = Domain(
    name="ai",
    private_routers=("app.ai.router:router",),
    job_modules=("app.ai.jobs",),
    ai_kinds=("app.ai.service:TEXT", "app.ai.service:CODE"),
    tables=(AI_JOBS, AI_CACHE),
)
