"""The AI emulator speaks the real wire formats: botocore, langchain-aws and httpx accept it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, Literal

import boto3
import httpx
import jsonschema
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from pydantic import BaseModel, Field

from app.local.ai_emulator import AiEmulator

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "Plan my week"}]}]


class Step(BaseModel):
    """A step."""

    title: str = Field(min_length=3, max_length=12)
    cadence: Literal["daily", "weekly"]
    weeks: int = Field(ge=2, le=4)
    score: float = Field(gt=0.5, lt=10)


class Plan(BaseModel):
    """A plan."""

    summary: str
    steps: list[Step] = Field(min_length=3, max_length=5)
    note: str | None = None
    tags: list[str] = Field(default_factory=list, max_length=1)


@pytest.fixture(scope="module")
def emulator() -> Iterator[AiEmulator]:
    started = time.perf_counter()
    emulator = AiEmulator(api_key="right-key")
    emulator.start()
    assert time.perf_counter() - started < 0.5
    yield emulator
    emulator.stop()


@pytest.fixture(autouse=True)
def _reset(emulator: AiEmulator) -> None:
    emulator.reset()


def bedrock(emulator: AiEmulator, attempts: int = 1) -> Any:
    return boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=emulator.base_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"mode": "standard", "total_max_attempts": attempts}),
    )


def gemini(emulator: AiEmulator, body: dict[str, Any], key: str = "right-key") -> httpx.Response:
    return httpx.post(
        f"{emulator.base_url}/v1beta/models/gemini-2.0-flash:generateContent",
        json=body,
        headers={"x-goog-api-key": key} if key else {},
    )


def test_converse_text_is_marked_and_derived_from_the_prompt(emulator: AiEmulator) -> None:
    client = bedrock(emulator)
    first = client.converse(modelId=MODEL, messages=MESSAGES)
    again = client.converse(modelId=MODEL, messages=MESSAGES)
    other = client.converse(
        modelId=MODEL, messages=[{"role": "user", "content": [{"text": "Something else"}]}]
    )
    text = first["output"]["message"]["content"][0]["text"]
    assert text == again["output"]["message"]["content"][0]["text"]
    assert text != other["output"]["message"]["content"][0]["text"]
    assert first["stopReason"] == "end_turn"
    assert first["additionalModelResponseFields"] == {"emulator": True}
    assert first["usage"]["totalTokens"] > 0
    assert emulator.calls == {"bedrock": 3, "gemini": 0}


@pytest.mark.parametrize(
    ("fault", "code", "status"),
    [
        ("throttle", "ThrottlingException", 429),
        ("unavailable", "ServiceUnavailableException", 503),
        ("timeout", "ModelTimeoutException", 408),
        ("server_error", "InternalServerException", 500),
        ("validation", "ValidationException", 400),
        ("access_denied", "AccessDeniedException", 403),
    ],
)
def test_converse_fault_uses_bedrock_error_wire_format(
    emulator: AiEmulator, fault: str, code: str, status: int
) -> None:
    emulator.inject("bedrock", fault, count=1)
    with pytest.raises(ClientError) as raised:
        bedrock(emulator).converse(modelId=MODEL, messages=MESSAGES)
    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    # The fault was used up: the next call answers.
    assert bedrock(emulator).converse(modelId=MODEL, messages=MESSAGES)["stopReason"] == "end_turn"


def test_converse_throttle_is_retried_by_botocore_up_to_total_max_attempts(
    emulator: AiEmulator,
) -> None:
    emulator.inject("bedrock", "throttle", count=5)
    with pytest.raises(ClientError):
        bedrock(emulator, attempts=3).converse(modelId=MODEL, messages=MESSAGES)
    assert emulator.calls["bedrock"] == 3
    assert emulator.pending_faults()["bedrock"][0]["remaining"] == 2


def test_structured_output_through_langchain_is_a_valid_instance(emulator: AiEmulator) -> None:
    from langchain_aws import ChatBedrockConverse

    llm = ChatBedrockConverse(client=bedrock(emulator), model_id=MODEL, bedrock_client=object())
    answer = llm.with_structured_output(Plan, include_raw=True).invoke("Plan my week")
    assert isinstance(answer, dict)  # include_raw answers {"raw", "parsed", "parsing_error"}
    assert isinstance(answer["parsed"], Plan)
    assert answer["parsing_error"] is None
    assert len(answer["parsed"].steps) == 3
    metadata = answer["raw"].response_metadata
    assert metadata["stopReason"] == "tool_use"
    assert metadata["additionalModelResponseFields"] == {"emulator": True}
    sent = emulator.requests("bedrock")[-1]["toolConfig"]
    assert sent["tools"][0]["toolSpec"]["name"] == "Plan"


def test_converse_invalid_json_and_guardrail_faults(emulator: AiEmulator) -> None:
    emulator.inject("bedrock", "invalid_json")
    emulator.inject("bedrock", "guardrail")
    client = bedrock(emulator)
    broken = client.converse(modelId=MODEL, messages=MESSAGES)
    assert "toolUse" not in broken["output"]["message"]["content"][0]
    guarded = client.converse(modelId=MODEL, messages=MESSAGES)
    assert guarded["stopReason"] == "guardrail_intervened"


def test_generate_content_returns_json_for_the_response_schema(emulator: AiEmulator) -> None:
    schema = Plan.model_json_schema()
    body = {
        "contents": [{"role": "user", "parts": [{"text": "Plan"}]}],
        "generationConfig": {"responseMimeType": "application/json", "responseSchema": schema},
    }
    response = gemini(emulator, body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["modelVersion"] == "emulator"
    candidate = answer["candidates"][0]
    assert candidate["finishReason"] == "STOP"
    Plan.model_validate_json(candidate["content"]["parts"][0]["text"])


@pytest.mark.parametrize(
    ("fault", "status", "name"),
    [
        ("throttle", 429, "RESOURCE_EXHAUSTED"),
        ("unavailable", 503, "UNAVAILABLE"),
        ("server_error", 500, "INTERNAL"),
        ("timeout", 504, "DEADLINE_EXCEEDED"),
        ("validation", 400, "INVALID_ARGUMENT"),
    ],
)
def test_generate_content_fault_uses_gemini_error_format(
    emulator: AiEmulator, fault: str, status: int, name: str
) -> None:
    emulator.inject("gemini", fault)
    response = gemini(emulator, {"contents": [{"parts": [{"text": "hi"}]}]})
    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (status, name)
    assert error["message"]


def test_generate_content_checks_the_api_key(emulator: AiEmulator) -> None:
    body = {"contents": [{"parts": [{"text": "hi"}]}]}
    assert gemini(emulator, body, key="").json()["error"]["status"] == "PERMISSION_DENIED"
    wrong = gemini(emulator, body, key="wrong")
    assert (wrong.status_code, wrong.json()["error"]["status"]) == (400, "INVALID_ARGUMENT")


def test_generate_content_guardrail_blocks_the_prompt(emulator: AiEmulator) -> None:
    emulator.inject("gemini", "guardrail")
    answer = gemini(emulator, {"contents": [{"parts": [{"text": "hi"}]}]}).json()
    assert answer["promptFeedback"]["blockReason"] == "SAFETY"
    assert "candidates" not in answer


def test_control_endpoints_inject_count_and_reset(emulator: AiEmulator) -> None:
    base = emulator.base_url
    injected = httpx.post(
        f"{base}/_emulator/faults", json={"provider": "bedrock", "fault": "throttle", "count": 2}
    )
    assert injected.status_code == 200
    assert injected.json()["bedrock"] == [
        {"fault": "throttle", "remaining": 2, "delay_seconds": 5.0}
    ]
    refused = httpx.post(f"{base}/_emulator/faults", json={"provider": "x", "fault": "throttle"})
    assert refused.status_code == 400
    gemini(emulator, {"contents": [{"parts": [{"text": "hi"}]}]})
    assert httpx.get(f"{base}/_emulator/calls").json() == {"bedrock": 0, "gemini": 1}
    assert httpx.post(f"{base}/_emulator/reset").status_code == 200
    assert emulator.calls == {"bedrock": 0, "gemini": 0}
    assert emulator.pending_faults() == {"bedrock": [], "gemini": []}


def test_hang_fault_delays_the_answer(emulator: AiEmulator) -> None:
    emulator.inject("gemini", "hang", delay_seconds=0.3)
    started = time.perf_counter()
    response = gemini(emulator, {"contents": [{"parts": [{"text": "hi"}]}]})
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_structured_instance_is_valid_for_json_schema_keywords(emulator: AiEmulator) -> None:
    schema = {
        "$defs": {
            "Item": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "size": {"type": "integer", "exclusiveMinimum": 3, "maximum": 9},
                    "kind": {"anyOf": [{"type": "null"}, {"enum": ["x", "y"]}]},
                    "code": {"type": "string", "minLength": 40, "maxLength": 41},
                    "flag": {"type": "boolean"},
                },
                "required": ["id", "size", "kind", "code", "flag"],
            }
        },
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 4},
            "none": {"type": "array", "items": {"type": "string"}, "maxItems": 0},
            "ratio": {"type": "number", "minimum": -2.5, "maximum": -1},
            "fixed": {"const": 7},
        },
        "required": ["items", "none", "ratio", "fixed"],
    }
    body = {
        "messages": MESSAGES,
        "toolConfig": {"tools": [{"toolSpec": {"name": "t", "inputSchema": {"json": schema}}}]},
    }
    answer = httpx.post(
        f"{emulator.base_url}/model/{MODEL}/converse",
        json=body,
        headers={"Authorization": "AWS4-HMAC-SHA256 unchecked"},
    ).json()
    value = answer["output"]["message"]["content"][0]["toolUse"]["input"]
    jsonschema.validate(value, schema)
    assert len(value["items"]) == 4
