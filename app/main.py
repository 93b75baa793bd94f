"""Build the FastAPI app: middleware, error handlers, public and authenticated routers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from app.ai import router as ai_router
from app.assets import router as assets_router
from app.auth import router as auth_router
from app.core.config import Settings, get_settings
from app.core.deps import get_current_user
from app.core.docs import install_docs
from app.core.exception_handlers import install_exception_handlers
from app.core.middleware import EnvelopeCORSMiddleware, RequestContextMiddleware
from app.core.openapi import error_responses, operation_id
from app.core.schemas import ResponseModel
from app.goals import generation as goals_generation
from app.goals import router as goals_router
from app.projects import generation as projects_generation
from app.projects import router as projects_router
from app.requirements import generation as requirements_generation
from app.requirements import router as requirements_router
from app.waitlist import router as waitlist_router

# The only routers reachable without a token. Everything else is mounted under `private`.
PUBLIC_ROUTERS: tuple[APIRouter, ...] = (auth_router.public_router, waitlist_router.public_router)
PRIVATE_ROUTERS: tuple[APIRouter, ...] = (
    auth_router.router,
    assets_router.router,
    projects_router.router,
    requirements_router.router,
    goals_router.router,
    waitlist_router.admin_router,
    ai_router.router,
    projects_generation.router,
    requirements_generation.router,
    goals_generation.router,
)


class Health(ResponseModel):
    """Liveness answer."""

    status: str
    version: str


def _health_router(settings: Settings) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health", response_model=Health, summary="Liveness check")
    async def get_health() -> Health:
        """Answer without touching any downstream service."""
        return Health(status="ok", version=settings.app_version)

    return router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Create the API application."""
    settings = settings or get_settings()
    docs = settings.docs_enabled
    app = FastAPI(
        title="Planforge API",
        version=settings.app_version,
        description="Projects, requirements, goals, assets and AI generation on AWS Lambda.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
        responses=error_responses(413, 422, 503),
        generate_unique_id_function=operation_id,
    )
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=False,
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
            "If-Match",
            "X-Request-Id",
        ],
        expose_headers=["X-Request-Id", "Retry-After"],
        max_age=600,
    )
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes)
    install_exception_handlers(app)
    if docs:
        install_docs(app, openapi_url="/openapi.json")

    app.include_router(_health_router(settings))
    if settings.environment == "local":
        # app/local is not in the image: imported only when the settings say local.
        from app.local.mailbox_routes import router as local_mail_router

        app.include_router(local_mail_router)
    for public in PUBLIC_ROUTERS:
        app.include_router(public)
    private = APIRouter(dependencies=[Depends(get_current_user)], responses=error_responses(401))
    for router in PRIVATE_ROUTERS:
        private.include_router(router)
    app.include_router(private)
    return app
