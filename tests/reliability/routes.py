"""What the reliability tests know about the app's routes, read from `app.routes` itself."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from app.core.deps import get_admin_user, get_current_user
from tests.conftest import PASSWORD, unique_email

# Every route reachable without a token. Anything else must answer 401 without one.
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/health"),
        ("POST", "/auth/register"),
        ("POST", "/auth/confirm"),
        ("POST", "/auth/login"),
        ("POST", "/auth/refresh"),
        ("POST", "/auth/password/forgot"),
        ("POST", "/auth/password/reset"),
        ("POST", "/waitlist"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
    }
)
# Public routes an attacker could use to guess, enumerate or send mail: each is rate-limited.
RATE_LIMITED_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/auth/register"),
        ("POST", "/auth/confirm"),
        ("POST", "/auth/login"),
        ("POST", "/auth/refresh"),
        ("POST", "/auth/password/forgot"),
        ("POST", "/auth/password/reset"),
        ("POST", "/waitlist"),
    }
)
_SKIPPED_METHODS = {"HEAD", "OPTIONS"}
PATH_PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


@dataclass(frozen=True)
class Operation:
    """One method on one path of the app."""

    method: str
    path: str
    # FastAPI's view of the route as mounted: path, merged dependencies, responses, body.
    route: RouteContext

    @property
    def is_api(self) -> bool:
        """Return whether a FastAPI endpoint (not the docs) serves it."""
        return isinstance(self.route.original_route, APIRoute)

    @property
    def params(self) -> list[str]:
        """Return the path parameters, in order."""
        return PATH_PARAM.findall(self.path)

    @property
    def label(self) -> str:
        """Return e.g. 'GET /projects/{projectId}'."""
        return f"{self.method} {self.path}"

    def fill(self, values: dict[str, str]) -> str:
        """Return the path with its parameters replaced; KeyError names an unknown one."""
        return PATH_PARAM.sub(lambda m: values[m.group(1)], self.path)


def operations(app: FastAPI) -> list[Operation]:
    """Return every (method, path) the app serves, docs included, sorted."""
    found: list[Operation] = []
    for route in iter_route_contexts(app.routes):
        if route.path is None:
            continue
        for method in sorted((route.methods or set()) - _SKIPPED_METHODS):
            found.append(Operation(method, route.path, route))
    return sorted(found, key=lambda op: (op.path, op.method))


def api_operations(app: FastAPI) -> list[Operation]:
    """Return the operations served by FastAPI endpoints (docs excluded)."""
    return [op for op in operations(app) if op.is_api]


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def dependency_calls(op: Operation) -> set[Callable[..., Any]]:
    """Return every dependency callable of an operation, however deeply nested."""
    if not op.is_api:
        return set()
    return set(_calls(op.route.dependant))


def requires_token(op: Operation) -> bool:
    """Return whether the operation depends on the bearer-token guard."""
    return get_current_user in dependency_calls(op)


def is_admin_only(op: Operation) -> bool:
    """Return whether the operation depends on the admin guard."""
    return get_admin_user in dependency_calls(op)


def rate_limited_routes(app: FastAPI) -> frozenset[tuple[str, str]]:
    """Return the operations that carry the public rate-limit dependency."""
    return frozenset(
        (op.method, op.path)
        for op in api_operations(app)
        if any(
            getattr(call, "__qualname__", "").startswith("rate_limit.")
            for call in dependency_calls(op)
        )
    )


def public_body(method: str, path: str) -> dict[str, Any] | None:
    """Return a well-formed body for a public route, with a fresh email (and token)."""
    email = unique_email("public")
    bodies: dict[tuple[str, str], dict[str, Any] | None] = {
        ("POST", "/auth/register"): {"email": email, "password": PASSWORD, "name": "Pub"},
        ("POST", "/auth/confirm"): {"email": email, "code": "123456"},
        ("POST", "/auth/login"): {"email": email, "password": PASSWORD},
        ("POST", "/auth/refresh"): {"refreshToken": f"not-a-refresh-token-{email}"},
        ("POST", "/auth/password/forgot"): {"email": email},
        ("POST", "/auth/password/reset"): {
            "email": email,
            "code": "123456",
            "newPassword": PASSWORD,
        },
        ("POST", "/waitlist"): {"email": email},
    }
    return bodies[(method, path)]


def camel_params(path: str) -> str:
    """Spell path parameters in camelCase ({goal_id} -> {goalId}), as BODIES keys do."""
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), path)


# A schema-valid body for each route that takes one, so the call gets past validation to the
# ownership checks; keys spell path parameters in camelCase.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/auth/logout"): {},
    ("POST", "/assets"): {
        "fileName": "a.pdf",
        "contentType": "application/pdf",
        "size": 1,
    },
    ("PATCH", "/projects/{projectId}"): {"version": 1, "name": "Stolen"},
    ("POST", "/projects/{projectId}/requirements"): {
        "type": "functional",
        "title": "Injected",
    },
    ("PATCH", "/projects/{projectId}/requirements/{requirementId}"): {
        "version": 1,
        "title": "Stolen",
    },
    ("POST", "/projects/{projectId}/requirements/generate"): {},
    ("POST", "/projects/{projectId}/phases/{phaseId}/generate"): {},
    ("POST", "/projects/{projectId}/phases/{phaseId}/sprints/{sprintId}/generate"): {},
    ("POST", "/goals"): {"title": "Goal"},
    ("POST", "/ai/generate"): {"prompt": "Say hello."},
    ("POST", "/code/generate"): {"specification": "Add two numbers.", "language": "python"},
    ("PATCH", "/goals/{goalId}"): {"version": 1, "title": "Stolen"},
    ("POST", "/goals/{goalId}/progress"): {"value": 1000},
    ("POST", "/goals/{goalId}/plan"): {},
    ("PATCH", "/waitlist/{email}"): {"version": 1, "status": "approved"},
    ("POST", "/templates"): {"name": "Template"},
    ("POST", "/templates/generate"): {"description": "A bakery's online shop."},
    ("PATCH", "/templates/{templateId}"): {"version": 1, "name": "Stolen"},
    ("POST", "/projects"): {"name": "From a template"},
    ("POST", "/projects/{projectId}/risks"): {
        "title": "Injected",
        "category": "technical",
        "likelihood": 1,
        "impact": 1,
    },
    ("PATCH", "/projects/{projectId}/risks/{riskId}"): {"version": 1, "impact": 5},
    ("POST", "/projects/{projectId}/risks/assess"): {},
    ("POST", "/sessions"): {"title": "Session"},
    ("PATCH", "/sessions/{sessionId}"): {"version": 1, "title": "Stolen"},
    ("POST", "/sessions/{sessionId}/messages"): {"content": "Injected"},
    ("PUT", "/sessions/{sessionId}/messages/{messageId}/feedback"): {"rating": "down"},
}
