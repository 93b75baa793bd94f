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
    private_routers=("app.projects.router:router", "app.projects.generation:router"),
    job_modules=("app.projects.generation",),
    tables=(PROJECTS,),
)
