"""The waitlist domain's registration."""

from app.core.registry import Domain
from app.core.tables import WAITLIST

DOMAIN = Domain(
    name="waitlist",
    public_routers=("app.waitlist.router:public_router",),
    admin_routers=("app.waitlist.router:admin_router",),
    job_modules=("app.waitlist.jobs",),
    tables=(WAITLIST,),
)
