"""The assets domain's registration."""

from app.core.registry import Domain
from app.core.tables import ASSETS

DOMAIN = Domain(
    name="assets",
    private_routers=("app.assets.router:router",),
    job_modules=("app.assets.jobs",),
    tables=(ASSETS,),
)
