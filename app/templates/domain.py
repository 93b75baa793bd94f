"""The templates domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

# One table, three kinds of item, told apart by their keys:
# - a custom template: templateId (UUID) and the owner's ownerId, listed newest first by byOwner;
# - a built-in's usage counter: templateId "builtin-...", ownerId "#builtin" (so one Query on
#   byOwner reads every counter); the built-ins themselves ship as data in app/templates/builtin;
# - a counted-project marker: templateId "#counted#<projectId>", no ownerId (so never listed),
#   expiring once no redelivery of its usage message can arrive.
TEMPLATES = TableSpec(
    name="templates",
    hash_key="templateId",
    indexes=(Index("byOwner", "ownerId", "createdAt"),),
    ttl_attribute="expiresAt",
)

DOMAIN = Domain(
    name="templates",
    private_routers=("app.templates.router:router",),
    job_modules=("app.templates.jobs",),
    ai_kinds=("app.templates.drafting:TEMPLATE_DRAFT",),
    tables=(TEMPLATES,),
)
