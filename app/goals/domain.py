"""The goals domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

GOALS = TableSpec(
    name="goals",
    hash_key="goalId",
    indexes=(
        Index("byOwner", "ownerId", "createdAt"),
        Index("byOwnerStatus", "ownerStatus", "createdAt"),
        Index("byOwnerCategory", "ownerCategory", "createdAt"),
        Index("byOwnerStatusCategory", "ownerStatusCategory", "createdAt"),
    ),
)

GOAL_PROGRESS = TableSpec(
    name="goal-progress",
    hash_key="goalId",
    # entryKey = "<createdAt>#<entryId>", so newest first is ScanIndexForward=False.
    range_key="entryKey",
)

AGGREGATES = TableSpec(
    name="aggregates",
    hash_key="userId",
    # "SUMMARY" for the per-user summary, "EVENT#<id>" for processed-event markers (TTL'd).
    range_key="itemKey",
    ttl_attribute="expiresAt",
)

DOMAIN = Domain(
    name="goals",
    private_routers=("app.goals.router:router",),
    job_modules=("app.goals.jobs",),
    ai_kinds=("app.goals.plan:GOAL_PLAN",),
    tables=(GOALS, GOAL_PROGRESS, AGGREGATES),
)
