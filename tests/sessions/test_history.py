"""The conversation the model gets: multi-turn, in order, newest kept within a fixed budget."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from app.core.schemas import isoformat, utc_now
from app.local.ai_emulator import AiEmulator
from app.sessions import grounding, posting, repository, service
from app.sessions.records import MessageRecord
from tests.ai.helpers import Drain
from tests.conftest import LoggedInUser
from tests.sessions.helpers import create_session, exchange


def seed_exchanges(owner_id: str, session_id: str, texts: list[tuple[str, str]]) -> None:
    """Store finished exchanges directly, as many posts and replies would have."""
    for question, answer in texts:
        session = service.owned_session(owner_id=owner_id, session_id=session_id)
        user_id, reply_id = posting.new_message_ids(session.last_message_id)
        now = isoformat(utc_now())
        user = MessageRecord(
            session_id=session_id,
            message_id=user_id,
            owner_id=owner_id,
            role="user",
            content=question,
            status="complete",
            version=1,
            created_at=now,
            updated_at=now,
        )
        reply = MessageRecord(
            session_id=session_id,
            message_id=reply_id,
            owner_id=owner_id,
            role="assistant",
            content="",
            status="pending",
            version=1,
            created_at=now,
            updated_at=now,
            job_id=f"seed-{reply_id}",
        )
        assert repository.append_turn(session, user, reply, since=int(time.time()))
        assert repository.end_reply(
            session_id,
            reply_id,
            job_id=f"seed-{reply_id}",
            status="complete",
            sets={"content": answer},
            now=now,
        )


def _turns(sent: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["role"], m["content"][0]["text"]) for m in sent["messages"]]


def test_conversation_goes_to_bedrock_as_alternating_turns_in_order(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    first = exchange(client, user, drain_queue, session_id, "Question one")
    reply = exchange(client, user, drain_queue, session_id, "Question two")

    turns = _turns(ai_emulator.requests("bedrock")[-1])
    assert [role for role, _ in turns] == ["user", "assistant", "user"]
    assert "Question one" in turns[0][1] and turns[1][1] == first["content"]
    assert "Question two" in turns[2][1]
    # The emulator proves how many turns reached it
    assert "[turns: 3, user turns: 2]" in reply["content"]
    assert "[turns: 1, user turns: 1]" in first["content"]


def test_failed_reply_stays_in_history_as_a_placeholder(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    session_id = create_session(client, user)["sessionId"]
    ai_emulator.inject("bedrock", "unavailable", count=5)
    ai_emulator.inject("gemini", "unavailable", count=5)
    failed = exchange(client, user, drain_queue, session_id, "Lost question")
    assert failed["status"] == "failed"
    ai_emulator.reset()
    exchange(client, user, drain_queue, session_id, "Next question")
    turns = _turns(ai_emulator.requests("bedrock")[-1])
    assert [role for role, _ in turns] == ["user", "assistant", "user"]
    assert turns[1][1] == grounding.FAILED_REPLY


def test_very_long_session_drops_the_oldest_turns_and_keeps_the_newest(
    client: TestClient, user: LoggedInUser, ai_emulator: AiEmulator, drain_queue: Drain
) -> None:
    # Given a session of 198 stored messages, each exchange about 600 characters
    session_id = create_session(client, user)["sessionId"]
    texts = [(f"question {i:03d} " + "q" * 290, f"answer {i:03d} " + "a" * 290) for i in range(99)]
    seed_exchanges(user.sub, session_id, texts)

    # When the 200th message is answered
    reply = exchange(client, user, drain_queue, session_id, "And now?")

    # Then the model got the newest turns, in order, within the budget, and none of the oldest
    sent = ai_emulator.requests("bedrock")[-1]
    turns = _turns(sent)
    earlier = turns[:-1]
    assert earlier[0][0] == "user" and turns[-1][0] == "user"
    assert [role for role, _ in turns] == ["user", "assistant"] * (len(earlier) // 2) + ["user"]
    history_chars = sum(len(text) for _, text in earlier)
    assert history_chars <= grounding.HISTORY_BUDGET_CHARS
    assert 20 <= len(earlier) < 198
    assert "answer 098" in earlier[-1][1] and "question 098" in earlier[-2][1]
    assert all("question 000" not in text for _, text in turns)
    numbers = [int(text.split("answer ")[1][:3]) for role, text in earlier if role == "assistant"]
    assert numbers == sorted(numbers) and numbers[-1] == 98
    total = sum(len(block["text"]) for block in sent["system"]) + sum(len(t) for _, t in turns)
    assert reply["status"] == "complete"
    print(f"\nmodel input for a 200-message session: {total} characters, {len(turns)} turns")
