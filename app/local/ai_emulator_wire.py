"""The AI emulator's wire formats: Bedrock Converse and Gemini generateContent bodies and errors."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from app.local.schema_instance import instance_for

FAULTS = (
    "throttle",
    "unavailable",
    "timeout",
    "server_error",
    "invalid_json",
    "validation",
    "access_denied",
    "guardrail",
    "hang",
)
# fault -> (Bedrock HTTP status, x-amzn-ErrorType, Gemini HTTP status, Gemini status)
ERRORS: dict[str, tuple[int, str, int, str]] = {
    "throttle": (429, "ThrottlingException", 429, "RESOURCE_EXHAUSTED"),
    "unavailable": (503, "ServiceUnavailableException", 503, "UNAVAILABLE"),
    "timeout": (408, "ModelTimeoutException", 504, "DEADLINE_EXCEEDED"),
    "server_error": (500, "InternalServerException", 500, "INTERNAL"),
    "validation": (400, "ValidationException", 400, "INVALID_ARGUMENT"),
    "access_denied": (403, "AccessDeniedException", 403, "PERMISSION_DENIED"),
}
MESSAGES = {
    "throttle": "Too many requests, please wait before trying again.",
    "unavailable": "The service is temporarily unable to handle the request.",
    "timeout": "Model invocation timed out.",
    "server_error": "The server encountered an internal error.",
    "validation": "The request is not valid for this model.",
    "access_denied": "You do not have access to this model.",
}
EMULATOR_VERSION = "emulator"
INVALID_JSON = '{"emulated": "invalid json'
_VOCABULARY = (
    "plan scope team sprint risk goal build test ship review measure iterate deliver learn "
    "focus design refine clarify estimate align document verify release improve"
).split()


@dataclass
class Fault:
    """A fault the next `remaining` calls to a provider get."""

    fault: str
    remaining: int
    delay_seconds: float = 5.0


def emulated_text(prompt: str, max_tokens: int = 256) -> str:
    """Return plain text derived only from a hash of the prompt."""
    digest = hashlib.sha256(prompt.encode()).digest()
    words = [_VOCABULARY[byte % len(_VOCABULARY)] for byte in digest]
    count = max(1, min(len(words), max_tokens // 2))
    return f"Emulated reply {digest.hex()[:8]}: " + " ".join(words[:count]) + "."


# A "title: ..." line in the newest user turn (e.g. a requirement in a project's grounding).
_TITLE = re.compile(r"^[ \t]*(?:-[ \t]*)?title:[ \t]*([^|\n]*?)[ \t]*(?:\||$)", re.I | re.M)
MAX_ECHOED_TITLES = 50


def conversation_text(system: str, turns: list[tuple[str, str]], max_tokens: int = 256) -> str:
    """Answer a text request of one or more turns, deterministically and checkably.

    The hash words come from the whole request; the answer then says how many turns (and user
    turns) arrived, and echoes the `title:` lines of the newest user turn.
    """
    prompt = "\n".join([system, *(text for _, text in turns)])
    users = sum(role == "user" for role, _ in turns)
    answer = f"{emulated_text(prompt, max_tokens)} [turns: {len(turns)}, user turns: {users}]"
    titles = [t for t in _TITLE.findall(turns[-1][1]) if t] if turns else []
    if titles:
        answer += " [titles: " + "; ".join(titles[:MAX_ECHOED_TITLES]) + "]"
    return answer


def wait_for_fault(fault: Fault | None) -> Fault | None:
    """Sleep out a `hang` fault (which then answers normally); return the fault to apply."""
    if fault is not None and fault.fault == "hang":
        time.sleep(fault.delay_seconds)
        return None
    return fault


def bedrock_error(fault: str) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Return status, headers and body of a Bedrock error."""
    status, code, _, _ = ERRORS[fault]
    return status, {"x-amzn-ErrorType": code}, {"message": MESSAGES[fault]}


def gemini_error(fault: str, message: str | None = None) -> tuple[int, dict[str, Any]]:
    """Return status and body of a Gemini error."""
    _, _, status, name = ERRORS[fault]
    error: dict[str, Any] = {"code": status, "message": message or MESSAGES[fault], "status": name}
    if fault == "throttle":
        error["details"] = [
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1s"}
        ]
    return status, {"error": error}


def converse_body(body: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
    """Return the body of a successful (or guardrail-stopped) Converse answer."""
    prompt = _bedrock_prompt(body)
    max_tokens = int((body.get("inferenceConfig") or {}).get("maxTokens") or 256)
    tool = _bedrock_tool(body)
    stop_reason = "end_turn"
    content: list[dict[str, Any]]
    if fault is not None and fault.fault == "guardrail":
        content = [{"text": "The request was blocked by a guardrail."}]
        stop_reason = "guardrail_intervened"
    elif fault is not None and fault.fault == "invalid_json":
        content = [{"text": INVALID_JSON}]
    elif tool is not None:
        name, schema = tool
        tool_id = "tooluse_" + hashlib.sha256(prompt.encode()).hexdigest()[:20]
        content = [{"toolUse": {"toolUseId": tool_id, "name": name, "input": instance_for(schema)}}]
        stop_reason = "tool_use"
    else:
        content = [{"text": conversation_text(*_bedrock_turns(body), max_tokens)}]
    input_tokens = max(1, len(prompt) // 4)
    output_tokens = max(1, len(json.dumps(content)) // 4)
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop_reason,
        "usage": {
            "inputTokens": input_tokens,
            "outputTokens": output_tokens,
            "totalTokens": input_tokens + output_tokens,
        },
        "metrics": {"latencyMs": 1},
        "additionalModelResponseFields": {"emulator": True},
    }


def _bedrock_prompt(body: dict[str, Any]) -> str:
    parts = [block.get("text", "") for block in body.get("system") or []]
    for message in body.get("messages") or []:
        parts += [block.get("text", "") for block in message.get("content") or []]
    return "\n".join(str(part) for part in parts)


def _texts(blocks: Any, key: str = "text") -> str:
    return "".join(str(block.get(key, "")) for block in blocks or [] if isinstance(block, dict))


def _bedrock_turns(body: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    turns = [(str(m.get("role")), _texts(m.get("content"))) for m in body.get("messages") or []]
    return _texts(body.get("system")), turns


def _gemini_turns(body: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    turns = [
        ("assistant" if c.get("role") == "model" else "user", _texts(c.get("parts")))
        for c in body.get("contents") or []
    ]
    return _texts((body.get("systemInstruction") or {}).get("parts")), turns


def _bedrock_tool(body: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    config = body.get("toolConfig") or {}
    specs = [tool["toolSpec"] for tool in config.get("tools") or [] if "toolSpec" in tool]
    if not specs:
        return None
    wanted = ((config.get("toolChoice") or {}).get("tool") or {}).get("name")
    spec = next((s for s in specs if s.get("name") == wanted), specs[0])
    return str(spec.get("name", "tool")), dict((spec.get("inputSchema") or {}).get("json") or {})


def generate_content_body(body: dict[str, Any], fault: Fault | None) -> dict[str, Any]:
    """Return the body of a successful (or blocked) generateContent answer."""
    system = body.get("systemInstruction") or {}
    parts = [part.get("text", "") for part in system.get("parts") or []]
    for content in body.get("contents") or []:
        parts += [part.get("text", "") for part in content.get("parts") or []]
    prompt = "\n".join(str(part) for part in parts)
    config = body.get("generationConfig") or {}
    max_tokens = int(config.get("maxOutputTokens") or 256)
    prompt_tokens = max(1, len(prompt) // 4)
    if fault is not None and fault.fault == "guardrail":
        return {
            "promptFeedback": {"blockReason": "SAFETY"},
            "usageMetadata": {"promptTokenCount": prompt_tokens, "totalTokenCount": prompt_tokens},
            "modelVersion": EMULATOR_VERSION,
        }
    schema = config.get("responseSchema") or config.get("responseJsonSchema")
    if fault is not None and fault.fault == "invalid_json":
        text = INVALID_JSON
    elif config.get("responseMimeType") == "application/json":
        value = instance_for(schema) if schema else {"text": emulated_text(prompt, max_tokens)}
        text = json.dumps(value)
    else:
        text = conversation_text(*_gemini_turns(body), max_tokens)
    output_tokens = max(1, len(text) // 4)
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": EMULATOR_VERSION,
    }
