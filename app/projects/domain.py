"""The projects domain's registration."""

from app.core.registry import Domain
from app.core.tables import PROJECTS

DOMAIN = Domain(
    name="projects",
    private_routers=("app.projects.router:router", "app.projects.generation:router"),
    job_modules=("app.projects.generation",),
    tables=(PROJECTS,),
)
