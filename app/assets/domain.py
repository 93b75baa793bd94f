"""The assets domain's registration."""

from app.core.registry import Domain
from app.core.tables import Index, TableSpec

ASSETS = TableSpec(
    name="assets",
    hash_key="assetId",
    indexes=(
        Index("byOwner", "ownerId", "createdAt"),
        Index("byOwnerStatus", "ownerStatus", "createdAt"),
    ),
    ttl_attribute="expiresAt",
)

DOMAIN = Domain(
    name="assets",
    private_routers=("app.assets.router:router",),
    job_modules=("app.assets.jobs",),
    tables=(ASSETS,),
)
