"""Build the FastAPI app: middleware, error handlers, public and authenticated routers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from app.core.config import Settings, get_settings
from app.core.deps import get_admin_user, get_current_user
from app.core.docs import install_docs
from app.core.exception_handlers import install_exception_handlers
from app.core.middleware import EnvelopeCORSMiddleware, RequestContextMiddleware
from app.core.openapi import error_responses, operation_id
from app.core.schemas import ResponseModel
from app.domains import routers


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
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
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
    # Public routes are the short explicit list the domains declare; everything else needs a
    # token, and admin routers an admin's.
    for public in routers("public"):
        app.include_router(public)
    private = APIRouter(dependencies=[Depends(get_current_user)], responses=error_responses(401))
    for router in routers("private"):
        private.include_router(router)
    for router in routers("admin"):
        private.include_router(router, dependencies=[Depends(get_admin_user)])
    app.include_router(private)
    return app
