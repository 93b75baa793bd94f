"""Error responses declared in the OpenAPI, so every documented status is true."""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from app.core.schemas import ErrorResponse

_DESCRIPTIONS = {
    400: "Bad request, e.g. an invalid cursor.",
    401: "Missing or invalid access token.",
    403: "Not allowed.",
    404: "Not found, or not the caller's.",
    409: "Conflict with the stored state.",
    413: "Request body too large.",
    422: "Validation failed.",
    429: "Too many requests; see Retry-After.",
    503: "A backing service is unavailable; see Retry-After.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Return the `responses=` entries for these error statuses."""
    return {
        status: {"model": ErrorResponse, "description": _DESCRIPTIONS[status]}
        for status in statuses
    }


def operation_id(route: APIRoute) -> str:
    """Return the stable camelCase operationId of a route, from its endpoint's name."""
    head, *rest = route.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
