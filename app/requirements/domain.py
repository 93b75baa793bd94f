"""The requirements domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

REQUIREMENTS = TableSpec(
    name="requirements",
    hash_key="projectId",
    range_key="requirementId",
    # typeKey = "<type>#<createdAt>#<requirementId>", so a type filter is a Query.
    indexes=(Index("byProjectType", "projectId", "typeKey"),),
)

DOMAIN = Domain(
    name="requirements",
    private_routers=("app.requirements.router:router",),
    job_modules=("app.requirements.jobs",),
    ai_kinds=("app.requirements.drafting:REQUIREMENTS_DRAFT",),
    tables=(REQUIREMENTS,),
)
