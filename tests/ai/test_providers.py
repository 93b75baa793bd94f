"""Providers: error taxonomy, fallback rules, time budget, client config and the Gemini key."""

from __future__ import annotations

import json
import uuid

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from pydantic import BaseModel

from app.ai.outputs import CodeOutput
from app.ai.providers import bedrock, default_chain, gemini
from app.ai.providers.base import (
    AllProvidersUnavailable,
    ContentBlocked,
    Generation,
    GenerationRequest,
    InvalidOutput,
    ProviderAccessDenied,
    ProviderError,
    ProviderRejected,
    ProviderUnavailable,
)
from app.ai.providers.chain import Deadline, ProviderChain
from app.ai.providers.gemini_schema import to_response_schema
from app.core import aws
from app.local.ai_emulator import AiEmulator
from tests.ai.conftest import SettingsOverride

REQUEST = GenerationRequest(system="rules", prompt="hello", max_tokens=64, temperature=0.2)


def client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {
            "Error": {"Code": code, "Message": "x"},
            "ResponseMetadata": {
                "RequestId": "r",
                "HostId": "",
                "HTTPStatusCode": status,
                "HTTPHeaders": {},
                "RetryAttempts": 0,
            },
        },
        "Converse",
    )


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("ThrottlingException", 429, ProviderUnavailable),
        ("ModelNotReadyException", 429, ProviderUnavailable),
        ("ServiceUnavailableException", 503, ProviderUnavailable),
        ("InternalServerException", 500, ProviderUnavailable),
        ("ModelTimeoutException", 408, ProviderUnavailable),
        ("SomethingNew", 502, ProviderUnavailable),
        ("ValidationException", 400, ProviderRejected),
        ("ResourceNotFoundException", 404, ProviderRejected),
        ("AccessDeniedException", 403, ProviderAccessDenied),
    ],
)
def test_classify_bedrock_error_follows_fallback_rules(
    code: str, status: int, expected: type[ProviderError]
) -> None:
    assert type(bedrock.classify(client_error(code, status))) is expected


def test_classify_bedrock_read_timeout_falls_back() -> None:
    error = bedrock.classify(ReadTimeoutError(endpoint_url="http://x"))
    assert isinstance(error, ProviderUnavailable)
    assert error.fallback


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (429, ProviderUnavailable),
        (503, ProviderUnavailable),
        (500, ProviderUnavailable),
        (504, ProviderUnavailable),
        (400, ProviderRejected),
        (403, ProviderAccessDenied),
    ],
)
def test_classify_gemini_status_follows_fallback_rules(
    status: int, expected: type[ProviderError]
) -> None:
    assert type(gemini.classify_status(status, "X")) is expected


class Fake:
    """A provider that raises or answers as told, counting calls."""

    def __init__(self, name: str, outcome: ProviderError | None = None) -> None:
        self.name = name
        self.outcome = outcome
        self.calls = 0

    def generate(self, request: GenerationRequest, *, timeout: float) -> Generation:
        self.calls += 1
        if self.outcome is not None:
            raise self.outcome
        return Generation(engine=self.name, model=f"{self.name}-model", text="ok")


@pytest.mark.parametrize(
    ("first_error", "falls_back"),
    [
        (ProviderUnavailable("bedrock", "ThrottlingException"), True),
        (ProviderRejected("bedrock", "ValidationException"), False),
        (ProviderAccessDenied("bedrock", "AccessDeniedException"), False),
        (ContentBlocked("bedrock", "guardrail_intervened"), False),
        (InvalidOutput("bedrock", "bad json"), False),
    ],
)
def test_chain_falls_back_only_on_unavailability(
    first_error: ProviderError, falls_back: bool
) -> None:
    first, second = Fake("bedrock", first_error), Fake("gemini")
    chain = ProviderChain([first, second])
    if falls_back:
        assert chain.generate(REQUEST, deadline=Deadline(30)).engine == "gemini"
    else:
        with pytest.raises(type(first_error)):
            chain.generate(REQUEST, deadline=Deadline(30))
    assert (first.calls, second.calls) == (1, int(falls_back))


def test_chain_with_every_provider_down_is_unavailable() -> None:
    chain = ProviderChain(
        [
            Fake("bedrock", ProviderUnavailable("b", "503")),
            Fake("gemini", ProviderUnavailable("g", "429")),
        ]
    )
    with pytest.raises(AllProvidersUnavailable) as raised:
        chain.generate(REQUEST, deadline=Deadline(30))
    assert raised.value.code == "ai_unavailable"


def test_chain_skips_providers_once_the_time_budget_is_spent() -> None:
    now = [0.0]
    deadline = Deadline(10, clock=lambda: now[0])

    class Slow(Fake):
        def generate(self, request: GenerationRequest, *, timeout: float) -> Generation:
            now[0] += 9.5  # it used almost the whole budget before failing
            return super().generate(request, timeout=timeout)

    first = Slow("bedrock", ProviderUnavailable("bedrock", "ReadTimeoutError"))
    second = Fake("gemini")
    with pytest.raises(AllProvidersUnavailable):
        ProviderChain([first, second]).generate(REQUEST, deadline=deadline)
    assert (first.calls, second.calls) == (1, 0)


def test_bedrock_client_has_deliberate_retries_and_timeouts(
    override_settings: SettingsOverride,
) -> None:
    override_settings(bedrock_max_attempts="3", bedrock_read_timeout_seconds="7.5")
    config = bedrock.runtime_client().meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert (config.read_timeout, config.connect_timeout) == (7.5, 2.0)
    assert bedrock.runtime_client() is bedrock.runtime_client()


def test_default_chain_is_bedrock_then_gemini_only_with_a_key(
    override_settings: SettingsOverride,
) -> None:
    assert [p.name for p in default_chain().providers] == ["bedrock", "gemini"]
    override_settings(gemini_api_key_secret_arn=None)
    assert [p.name for p in default_chain().providers] == ["bedrock"]


def test_gemini_key_is_read_from_secrets_manager_once(
    override_settings: SettingsOverride,
) -> None:
    key = f"secret-{uuid.uuid4().hex}"
    emulator = AiEmulator(api_key=key)
    url = emulator.start()
    try:
        arn = aws.client("secretsmanager").create_secret(
            Name=f"gemini-{uuid.uuid4().hex[:8]}", SecretString=json.dumps({"apiKey": key})
        )["ARN"]
        override_settings(gemini_api_key_secret_arn=arn, gemini_base_url=url)
        reads: list[str] = []

        def hook(**_: object) -> None:
            reads.append("read")

        events = aws.client("secretsmanager").meta.events
        events.register("before-call.secrets-manager.GetSecretValue", hook)
        try:
            provider = gemini.GeminiProvider()
            answers = [provider.generate(REQUEST, timeout=5) for _ in range(3)]
        finally:
            events.unregister("before-call.secrets-manager.GetSecretValue", hook)
        assert len(reads) == 1
        assert all(a.model == "emulator/gemini-2.0-flash" for a in answers)
        assert emulator.calls["gemini"] == 3
    finally:
        emulator.stop()


def test_gemini_structured_answer_is_validated(ai_emulator: AiEmulator) -> None:
    request = GenerationRequest("rules", "code please", 256, 0.2, output_model=CodeOutput)
    answer = gemini.GeminiProvider().generate(request, timeout=5)
    assert isinstance(answer.data, CodeOutput)
    sent = ai_emulator.requests("gemini")[-1]["generationConfig"]
    assert sent["responseMimeType"] == "application/json"
    assert "$ref" not in json.dumps(sent["responseSchema"])

    ai_emulator.inject("gemini", "invalid_json")
    with pytest.raises(InvalidOutput):
        gemini.GeminiProvider().generate(request, timeout=5)


class Nested(BaseModel):
    """Nested."""

    name: str


class Outer(BaseModel):
    """Outer."""

    inner: Nested
    maybe: Nested | None = None
    tags: list[str]


def test_gemini_response_schema_inlines_refs_and_marks_nullables() -> None:
    schema = to_response_schema(Outer.model_json_schema())
    assert schema["type"] == "OBJECT"
    assert schema["propertyOrdering"] == ["inner", "maybe", "tags"]
    assert schema["properties"]["inner"]["properties"]["name"] == {"type": "STRING"}
    assert schema["properties"]["maybe"]["nullable"] is True
    assert schema["properties"]["tags"]["items"] == {"type": "STRING"}
    assert "$defs" not in json.dumps(schema)
