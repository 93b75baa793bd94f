"""Bedrock Converse through langchain-aws, on a boto3 client with deliberate retries and timeouts.

langchain is imported on the first call, never when the app or the worker starts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

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
from app.core.config import get_settings

NAME = "bedrock"
_FALLBACK_CODES = frozenset(
    {
        "ThrottlingException",
        "ModelNotReadyException",
        "ServiceQuotaExceededException",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "InternalServerException",
        "ModelTimeoutException",
        "ModelErrorException",
        "ModelStreamErrorException",
    }
)
_DENIED_CODES = frozenset(
    {"AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException"}
)
_BLOCKED_STOPS = frozenset({"guardrail_intervened", "content_filtered"})


@lru_cache(maxsize=1)
def runtime_client() -> Any:
    """Return the process-wide bedrock-runtime client.

    Standard retries with total_max_attempts from settings: botocore retries throttling and
    5xx that many times in total (with jittered backoff) before the chain falls back.
    """
    import boto3  # loaded with the first AI job, not at cold start
    from botocore.config import Config

    settings = get_settings()
    config = Config(
        retries={"mode": "standard", "total_max_attempts": settings.bedrock_max_attempts},
        connect_timeout=settings.bedrock_connect_timeout_seconds,
        read_timeout=settings.bedrock_read_timeout_seconds,
        tcp_keepalive=True,
    )
    return boto3.session.Session(region_name=settings.aws_region).client(
        "bedrock-runtime", config=config, endpoint_url=settings.bedrock_endpoint_url
    )


@lru_cache(maxsize=1)
def _control_client() -> Any:
    import boto3

    runtime = runtime_client()
    return boto3.session.Session(region_name=get_settings().aws_region).client(
        "bedrock", config=runtime.meta.config, endpoint_url=get_settings().bedrock_endpoint_url
    )


class _LazyControlClient:
    """The control-plane client, built on its first use and then shared.

    langchain-aws builds one per model object when given none, but calls it only to resolve
    application inference profile ids; building it eagerly loads the bedrock service model
    (tens of ms) on every first AI job of a process that never uses it.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(_control_client(), name)


def reset() -> None:
    """Forget the cached clients."""
    runtime_client.cache_clear()
    _control_client.cache_clear()


class BedrockProvider:
    """Bedrock Converse via ChatBedrockConverse; structured kinds use with_structured_output."""

    name = NAME

    def generate(self, request: GenerationRequest, *, timeout: float) -> Generation:  # noqa: ARG002
        """Answer the request; the client's own timeouts bound the call."""
        from langchain_aws import ChatBedrockConverse

        model_id = get_settings().bedrock_model_id
        llm = ChatBedrockConverse(
            client=runtime_client(),
            bedrock_client=_LazyControlClient(),
            model_id=model_id,
            region_name=get_settings().aws_region,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
        )
        messages = to_messages(request)
        try:
            if request.output_model is None:
                raw = llm.invoke(messages)
                parsed: Any = None
            else:
                runnable = llm.with_structured_output(request.output_model, include_raw=True)
                answer: Any = runnable.invoke(messages)
                raw, parsed = answer["raw"], answer["parsed"]
                if answer.get("parsing_error") is not None:
                    parsed = None
        except ProviderError:
            raise
        except Exception as exc:
            raise classify(exc) from exc
        return _to_generation(raw, parsed, request, model_id)


def to_messages(request: GenerationRequest) -> list[Any]:
    """Map the request to langchain messages: system, the earlier turns, then the new user turn.

    ChatBedrockConverse sends them as Converse `system` and alternating user/assistant `messages`.
    """
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    messages: list[Any] = [SystemMessage(content=request.system)]
    for turn in request.history:
        kind = HumanMessage if turn.role == "user" else AIMessage
        messages.append(kind(content=turn.text))
    messages.append(HumanMessage(content=request.prompt))
    return messages


def _to_generation(raw: Any, parsed: Any, request: GenerationRequest, model_id: str) -> Generation:
    metadata = dict(getattr(raw, "response_metadata", {}) or {})
    stop = metadata.get("stopReason")
    if stop in _BLOCKED_STOPS:
        raise ContentBlocked(NAME, f"stopReason {stop}")
    emulated = bool((metadata.get("additionalModelResponseFields") or {}).get("emulator"))
    usage = getattr(raw, "usage_metadata", None) or {}
    common: dict[str, Any] = {
        "engine": NAME,
        "model": model_label(model_id, emulated=emulated),
        "input_tokens": int(usage.get("input_tokens", 0)),
        "output_tokens": int(usage.get("output_tokens", 0)),
    }
    if stop == "max_tokens" and request.output_model is not None:
        raise InvalidOutput(NAME, "answer cut off at maxTokens")
    if request.output_model is None:
        text = str(getattr(raw, "text", "") or "")
        if not text.strip():
            raise InvalidOutput(NAME, "empty answer")
        return Generation(text=text, **common)
    if not isinstance(parsed, request.output_model):
        raise InvalidOutput(NAME, "no valid tool answer for the output schema")
    return Generation(data=parsed, **common)


def classify(exc: BaseException) -> ProviderError:
    """Map a boto3, botocore or langchain error to the fallback taxonomy."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if code in _FALLBACK_CODES or status >= 500 or status == 429:
            return ProviderUnavailable(NAME, code or str(status))
        if code in _DENIED_CODES or status in (401, 403):
            return ProviderAccessDenied(NAME, code or str(status))
        return ProviderRejected(NAME, code or str(status))
    if isinstance(exc, NoCredentialsError):
        return ProviderAccessDenied(NAME, "no AWS credentials")
    if isinstance(exc, BotoCoreError):
        # Read and connect timeouts, refused or dropped connections (after botocore's retries).
        return ProviderUnavailable(NAME, type(exc).__name__)
    if type(exc).__name__ == "BedrockContextOverflowError":
        return ProviderRejected(NAME, "prompt exceeds the model's context window")
    if isinstance(exc, ValueError) and "InvokeTool" in str(exc):
        return ProviderAccessDenied(NAME, "missing bedrock:InvokeTool permission")
    return ProviderUnavailable(NAME, f"unexpected {type(exc).__name__}")
