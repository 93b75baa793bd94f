"""The waitlist domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

WAITLIST = TableSpec(
    name="waitlist",
    hash_key="email",
    indexes=(Index("byStatus", "status", "createdAt"),),
)

DOMAIN = Domain(
    name="waitlist",
    public_routers=("app.waitlist.router:public_router",),
    admin_routers=("app.waitlist.router:admin_router",),
    job_modules=("app.waitlist.jobs",),
    tables=(WAITLIST,),
)
