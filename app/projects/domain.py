"""The projects domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

PROJECTS = TableSpec(
    name="projects",
    hash_key="projectId",
    indexes=(Index("byOwner", "ownerId", "createdAt"),),
)

DOMAIN = Domain(
    name="projects",
    private_routers=("app.projects.router:router",),
    ai_kinds=("app.projects.planning:PHASE_PLAN", "app.projects.planning:SPRINT_PLAN"),
    tables=(PROJECTS,),
)
