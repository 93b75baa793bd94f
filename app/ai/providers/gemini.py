"""Gemini generateContent over httpx, with JSON output by responseSchema and explicit timeouts.

httpx is imported on the first call. The API key is read from Secrets Manager (the emulator's
locally) and cached for SECRETS_MAX_AGE_SECONDS, so a replaced key reaches warm containers.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from app.ai.providers.base import (
    ContentBlocked,
    Generation,
    GenerationRequest,
    InvalidOutput,
    ProviderAccessDenied,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
    model_label,
)
from app.ai.providers.gemini_schema import to_response_schema
from app.core import secrets
from app.core.config import get_settings

NAME = "gemini"
CONNECT_TIMEOUT_SECONDS = 2.0
_BLOCKED_FINISH = frozenset(
    {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY"}
)
EMULATOR_VERSION = "emulator"


def is_configured() -> bool:
    """Return whether a secret holding the key is configured."""
    return bool(get_settings().gemini_api_key_secret_arn)


def api_key() -> str:
    """Return the API key from its secret: a plain string or {"apiKey": ...}."""
    arn = get_settings().gemini_api_key_secret_arn
    if not arn:
        raise ProviderAccessDenied(NAME, "no API key configured")
    secret = secrets.read(arn)
    try:
        parsed = json.loads(secret)
    except ValueError:
        return secret.strip()
    if isinstance(parsed, dict):
        return str(parsed.get("apiKey") or parsed.get("GEMINI_API_KEY") or "").strip()
    return str(parsed).strip()


@lru_cache(maxsize=1)
def _http() -> Any:
    import httpx

    from app.core.observability import trace_httpx

    trace_httpx()  # each Gemini call is an X-Ray subsegment

    settings = get_settings()
    return httpx.Client(
        base_url=settings.gemini_base_url,
        timeout=httpx.Timeout(settings.gemini_timeout_seconds, connect=CONNECT_TIMEOUT_SECONDS),
        headers={"Content-Type": "application/json"},
    )


def reset() -> None:
    """Forget the cached HTTP client and key."""
    secrets.reset()
    _http.cache_clear()


def request_body(request: GenerationRequest) -> dict[str, Any]:
    """Build the generateContent body."""
    config: dict[str, Any] = {
        "maxOutputTokens": request.max_tokens,
        "temperature": request.temperature,
    }
    if request.output_model is not None:
        config["responseMimeType"] = "application/json"
        config["responseSchema"] = to_response_schema(request.output_model.model_json_schema())
    # Gemini calls the assistant's role "model".
    contents = [
        {"role": "user" if turn.role == "user" else "model", "parts": [{"text": turn.text}]}
        for turn in request.history
    ]
    contents.append({"role": "user", "parts": [{"text": request.prompt}]})
    return {
        "contents": contents,
        "systemInstruction": {"parts": [{"text": request.system}]},
        "generationConfig": config,
    }


class GeminiProvider:
    """Gemini generateContent through httpx."""

    name = NAME

    def generate(self, request: GenerationRequest, *, timeout: float) -> Generation:
        """Answer the request within `timeout` seconds (capped by the configured timeout)."""
        import httpx

        settings = get_settings()
        try:
            key = api_key()
        except ProviderError:
            raise
        except Exception as exc:
            raise ProviderUnavailable(NAME, f"API key unavailable: {type(exc).__name__}") from exc
        limit = min(timeout, settings.gemini_timeout_seconds)
        try:
            response = _http().post(
                f"/v1beta/models/{settings.gemini_model}:generateContent",
                json=request_body(request),
                headers={"x-goog-api-key": key},
                timeout=httpx.Timeout(limit, connect=min(CONNECT_TIMEOUT_SECONDS, limit)),
            )
        except httpx.TimeoutException as exc:
            raise ProviderUnavailable(NAME, f"timeout: {type(exc).__name__}") from exc
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(NAME, f"transport: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise classify_status(response.status_code, _error_status(response))
        try:
            body = response.json()
        except ValueError as exc:
            raise ProviderUnavailable(NAME, "answer is not JSON") from exc
        return parse_answer(body, request, settings.gemini_model)


def _error_status(response: Any) -> str:
    try:
        return str(response.json().get("error", {}).get("status", ""))
    except (ValueError, AttributeError):
        return ""


def classify_status(status: int, error_status: str) -> ProviderError:
    """Map an HTTP error answer to the fallback taxonomy."""
    reason = f"{status} {error_status}".strip()
    if status in (408, 429) or status >= 500:
        return ProviderUnavailable(NAME, reason)
    if status in (401, 403):
        return ProviderAccessDenied(NAME, reason)
    return ProviderRejected(NAME, reason)


def parse_answer(body: dict[str, Any], request: GenerationRequest, model: str) -> Generation:
    """Turn a generateContent answer into a Generation, validating structured output."""
    feedback = body.get("promptFeedback") or {}
    if feedback.get("blockReason"):
        raise ContentBlocked(NAME, f"prompt blocked: {feedback['blockReason']}")
    candidates = body.get("candidates") or []
    if not candidates:
        raise InvalidOutput(NAME, "no candidates")
    candidate = candidates[0]
    finish = candidate.get("finishReason", "STOP")
    if finish in _BLOCKED_FINISH:
        raise ContentBlocked(NAME, f"finishReason {finish}")
    parts = (candidate.get("content") or {}).get("parts") or []
    text = "".join(str(part.get("text", "")) for part in parts)
    usage = body.get("usageMetadata") or {}
    version = str(body.get("modelVersion") or "")
    common: dict[str, Any] = {
        "engine": NAME,
        "model": model_label(model, emulated=version == EMULATOR_VERSION),
        "input_tokens": int(usage.get("promptTokenCount", 0)),
        "output_tokens": int(usage.get("candidatesTokenCount", 0)),
    }
    if request.output_model is None:
        if not text.strip():
            raise InvalidOutput(NAME, "empty answer")
        return Generation(text=text, **common)
    if finish == "MAX_TOKENS":
        raise InvalidOutput(NAME, "answer cut off at maxOutputTokens")
    try:
        data = request.output_model.model_validate_json(text)
    except ValidationError as exc:
        raise InvalidOutput(NAME, f"{exc.error_count()} validation errors") from exc
    return Generation(data=data, **common)
