"""The requirements domain's registration."""

from app.core.registry import Domain
from app.core.tables import REQUIREMENTS

DOMAIN = Domain(
    name="requirements",
    private_routers=("app.requirements.router:router", "app.requirements.generation:router"),
    job_modules=("app.requirements.jobs", "app.requirements.generation"),
    tables=(REQUIREMENTS,),
)
