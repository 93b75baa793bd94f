"""Render every failure in the one error envelope."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.errors import AppError, envelope
from app.core.observability import logger

# AWS error codes that mean "busy or down, retry later", whatever the service.
_UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalServerError",
        "InternalServerException",
        "InternalError",
        "InternalErrorException",
        "TransactionInProgressException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
_RETRYABLE_CANCELLATIONS = frozenset(
    {"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict"}
)
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}

# FastAPI's HTTPException detail when it cannot decode a request body at all.
_UNPARSABLE_BODY = "There was an error parsing the body"


def _request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id", "-"))


def _error(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        envelope(code, message, _request_id(request), details), status_code=status, headers=headers
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)  # noqa: S101 - registered for AppError only
    return _error(request, exc.status_code, exc.code, exc.message, exc.details, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    details = [
        {
            "loc": [str(part) for part in error.get("loc", ())],
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in exc.errors()
    ]
    return _error(request, 422, "validation_error", "Request validation failed.", details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
        # A body that is not even text (e.g. invalid UTF-8) is malformed JSON like any other: 422.
        return _error(request, 422, "validation_error", "Request body is not valid JSON.")
    code = _HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else "Request failed."
    return _error(request, exc.status_code, code, message, headers=dict(exc.headers or {}))


async def _aws_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, ClientError):
        aws_code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if aws_code in _UNAVAILABLE_CODES or status >= 500 or _retryable_cancellation(exc):
            logger.warning("aws unavailable", extra={"aws_code": aws_code})
            return _unavailable(request)
    elif isinstance(
        exc, EndpointConnectionError | ConnectTimeoutError | ReadTimeoutError | BotoConnectionError
    ):
        logger.warning("aws unreachable", extra={"error": type(exc).__name__})
        return _unavailable(request)
    logger.exception("aws error", extra={"error": type(exc).__name__})
    return _error(request, 500, "internal_error", "Internal server error.")


def _retryable_cancellation(exc: ClientError) -> bool:
    # A transaction cancelled only by throttling or a concurrent transaction wrote nothing and
    # may simply be retried; a failed condition is the domain's to map (a 404 or 409).
    if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return False
    reasons = [str(r.get("Code", "None")) for r in exc.response.get("CancellationReasons", [])]
    busy = [code for code in reasons if code != "None"]
    return bool(busy) and all(code in _RETRYABLE_CANCELLATIONS for code in busy)


def _unavailable(request: Request) -> JSONResponse:
    return _error(
        request,
        503,
        "service_unavailable",
        "A backing service is temporarily unavailable.",
        headers={"Retry-After": "2"},
    )


def install_exception_handlers(app: FastAPI) -> None:
    """Register the envelope renderers on an app."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ClientError, _aws_error)
    app.add_exception_handler(BotoCoreError, _aws_error)
