"""The auth domain's registration: Cognito flows, no tables of its own."""

from app.core.registry import Domain

DOMAIN = Domain(
    name="auth",
    public_routers=("app.auth.router:public_router",),
    private_routers=("app.auth.router:router",),
)
