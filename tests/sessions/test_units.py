"""Small pieces: the multi-turn wire mapping, the emulator's answers, ids and titles."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from app.ai.prompting import Turn
from app.ai.providers import bedrock, gemini
from app.ai.providers.base import GenerationRequest
from app.local.ai_emulator import AiEmulator
from app.sessions import posting, replies

HISTORY = (Turn("user", "Hi"), Turn("assistant", "Hello! How can I help?"))
REQUEST = GenerationRequest(
    system="Rules.",
    prompt="- title: Pay fast | type: user_story\nWhat now?",
    max_tokens=64,
    temperature=0.5,
    history=HISTORY,
)


def test_bedrock_messages_carry_the_history_between_system_and_the_new_turn() -> None:
    messages = bedrock.to_messages(REQUEST)
    assert [type(m).__name__ for m in messages] == [
        "SystemMessage",
        "HumanMessage",
        "AIMessage",
        "HumanMessage",
    ]
    assert [m.content for m in messages] == [
        "Rules.",
        "Hi",
        "Hello! How can I help?",
        REQUEST.prompt,
    ]


def test_gemini_contents_use_the_model_role_for_the_assistant() -> None:
    body = gemini.request_body(REQUEST)
    assert [(c["role"], c["parts"][0]["text"]) for c in body["contents"]] == [
        ("user", "Hi"),
        ("model", "Hello! How can I help?"),
        ("user", REQUEST.prompt),
    ]
    assert body["systemInstruction"] == {"parts": [{"text": "Rules."}]}


def test_single_turn_requests_are_unchanged() -> None:
    single = GenerationRequest(system="S", prompt="P", max_tokens=8, temperature=0)
    assert [m.content for m in bedrock.to_messages(single)] == ["S", "P"]
    assert gemini.request_body(single)["contents"] == [{"role": "user", "parts": [{"text": "P"}]}]


@pytest.fixture
def emulator() -> Any:
    server = AiEmulator(port=0)
    server.start()
    yield server
    server.stop()


def _converse(url: str, messages: list[dict[str, Any]]) -> str:
    body = {"messages": messages, "system": [{"text": "Rules."}]}
    answer = httpx.post(
        f"{url}/model/m/converse", json=body, headers={"Authorization": "x"}, timeout=5
    ).json()
    text: str = answer["output"]["message"]["content"][0]["text"]
    return text


def _generate(url: str, contents: list[dict[str, Any]]) -> str:
    answer = httpx.post(
        f"{url}/v1beta/models/g:generateContent",
        json={"contents": contents},
        headers={"x-goog-api-key": "k"},
        timeout=5,
    ).json()
    text: str = answer["candidates"][0]["content"]["parts"][0]["text"]
    return text


def test_emulator_answers_multi_turn_on_both_wire_formats_deterministically(
    emulator: AiEmulator,
) -> None:
    url = emulator.base_url
    converse: list[dict[str, Any]] = [
        {"role": "user", "content": [{"text": "Hi"}]},
        {"role": "assistant", "content": [{"text": "Hello"}]},
        {
            "role": "user",
            "content": [{"text": "title: Login with SSO | type: x\nTitle: Audit log"}],
        },
    ]
    contents = [
        {"role": c["role"].replace("assistant", "model"), "parts": c["content"]} for c in converse
    ]
    first = _converse(url, converse)
    assert first == _converse(url, converse)
    assert first.startswith("Emulated reply") and "[turns: 3, user turns: 2]" in first
    assert "[titles: Login with SSO; Audit log]" in first
    answer = _generate(url, contents)
    assert "[turns: 3, user turns: 2]" in answer and "[titles: Login with SSO; Audit log]" in answer
    assert "[turns: 1, user turns: 1]" in _converse(url, converse[:1])
    assert "[titles:" not in _converse(url, converse[:1])


def test_message_ids_grow_even_when_this_clock_lags_the_last_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    later = posting.new_message_ids(None)
    assert later[0] < later[1] and len(later[0]) == 26

    class Behind:
        @staticmethod
        def time_ns() -> int:
            return time.time_ns() - 3_600 * 10**9

    monkeypatch.setattr(posting, "time", Behind)
    after = posting.new_message_ids(later[1])
    assert later[1] < after[0] < after[1]


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("Plan the launch", "Plan the launch"),
        ("  many\n\nlines\tand   spaces ", "many lines and spaces"),
        ("word " * 30, "word word word word word word word word word word word word\u2026"),
        ("x" * 100, "x" * 59 + "\u2026"),
        ("   ", "New conversation"),
    ],
)
def test_titles_summarise_the_first_message(content: str, title: str) -> None:
    made = replies.summarise_title(content)
    assert made == title and len(made) <= replies.TITLE_CHARS and "\n" not in made
