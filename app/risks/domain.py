"""The risks domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

# scoreKey = "<score as 2 digits>#<createdAt>#<riskId>": read backwards, a project's risks come
# highest score first, ties newest first, and minScore is a key condition (scoreKey >= "07").
# The filtered lists have their own partitions, "<projectId>#<status>" and so on; byTitle holds
# the normalised title, so an assessment finds a duplicate with one Query per proposed risk.
RISKS = TableSpec(
    name="risks",
    hash_key="projectId",
    range_key="riskId",
    indexes=(
        Index("byScore", "projectId", "scoreKey"),
        Index("byStatus", "projectStatus", "scoreKey"),
        Index("byCategory", "projectCategory", "scoreKey"),
        Index("byStatusCategory", "projectStatusCategory", "scoreKey"),
        Index("byTitle", "projectId", "titleKey"),
    ),
)

DOMAIN = Domain(
    name="risks",
    private_routers=("app.risks.router:router",),
    job_modules=("app.risks.jobs",),
    ai_kinds=("app.risks.assessment:RISK_ASSESSMENT",),
    tables=(RISKS,),
)
