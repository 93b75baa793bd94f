"""Figures for chat sessions on the embedded emulators (moto server and the AI emulator).

Run: .venv/bin/python bench/sessions.py [--posts 20]

- Post to completed reply: POST a message, run the queued job through the Lambda handler
  (in-process, as the dev server's poller does, without its long-poll wait), then GET the reply;
  timed from the POST to the GET that shows it complete. Median (min-max) over --posts posts.
- DynamoDB calls per request, counted by botocore hooks (bench/dynamo_calls.py): one post, the
  reply job it queues, one page of messages, one page of sessions, one poll of a reply.
- Model input of a 200-message session: 99 stored exchanges (user ~300, assistant ~1,200
  characters), then the 200th message through the real path; the emulator's recorded request is
  measured (system + messages characters), beside the size of the whole conversation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {"ENVIRONMENT": "test", "COGNITO_AUTO_CONFIRM": "true", "RATE_LIMIT_PER_IP": "100000"}
)
os.environ.setdefault("AI_DAILY_QUOTA", "100000")

from bench.dynamo_calls import Recorder, describe, install  # noqa: E402

PASSWORD = "Correct-Horse-9"  # noqa: S105 - a throwaway local user


def _json(response: Any, *statuses: int) -> Any:
    if response.status_code not in statuses:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.text}")
    return response.json()


def _counted(recorder: Recorder, action: Any) -> tuple[Any, str, int]:
    recorder.reset()
    result = action()
    calls = recorder.reset()
    return result, describe(calls), len(calls)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=20)
    posts = parser.parse_args().posts
    recorder = install()

    from fastapi.testclient import TestClient

    from app.handler import handler
    from app.local.ai_emulator import AiEmulator
    from app.local.aws_emulator import start_local_aws
    from app.local.poller import QueuePoller

    emulator = AiEmulator(port=0)
    url = emulator.start()
    extra = {"BEDROCK_ENDPOINT_URL": url, "GEMINI_BASE_URL": url, "GEMINI_API_KEY": "bench"}
    server, local = start_local_aws(extra_env=extra)
    try:
        from app.main import create_app

        client = TestClient(create_app())
        drain = QueuePoller(local.jobs_queue_url, handler, retry_delay_seconds=0).drain
        email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
        body = {"email": email, "password": PASSWORD, "name": "Bench"}
        _json(client.post("/auth/register", json=body), 201)
        login = {"email": email, "password": PASSWORD}
        token = _json(client.post("/auth/login", json=login), 200)["accessToken"]
        headers = {"Authorization": f"Bearer {token}"}
        _run(client, headers, drain, recorder, emulator, posts)
    finally:
        server.stop()
        emulator.stop()


def _run(
    client: Any, headers: dict[str, str], drain: Any, recorder: Recorder, emulator: Any, posts: int
) -> None:
    project = {
        "name": "Bench",
        "description": "A project to talk about.",
        "phases": [{"name": "P"}],
    }
    project_id = _json(client.post("/projects", json=project, headers=headers), 201)["projectId"]
    for index in range(20):
        requirement = {"type": "functional", "title": f"Requirement {index}", "description": "x"}
        url = f"/projects/{project_id}/requirements"
        _json(client.post(url, json=requirement, headers=headers), 201)
    session = {"projectId": project_id}
    session_id = _json(client.post("/sessions", json=session, headers=headers), 201)["sessionId"]
    base = f"/sessions/{session_id}"

    times: list[float] = []
    post_calls = job_calls = ""
    for index in range(posts + 1):
        started = time.perf_counter()
        posted, post_calls, post_count = _counted(
            recorder,
            lambda i=index: _json(
                client.post(f"{base}/messages", json={"content": f"Q{i}"}, headers=headers), 202
            ),
        )
        _, job_calls, job_count = _counted(recorder, drain)
        reply = _json(
            client.get(f"{base}/messages/{posted['reply']['messageId']}", headers=headers), 200
        )
        if reply["status"] != "complete":
            raise RuntimeError(reply)
        if index:  # the first post warms imports and clients
            times.append((time.perf_counter() - started) * 1000)
    print(
        f"post -> completed reply, median of {posts}: {statistics.median(times):.1f} ms "
        f"({min(times):.1f}-{max(times):.1f})"
    )
    print(f"DynamoDB calls per post: {post_count}: {post_calls}")
    print(f"DynamoDB calls per reply job (worker): {job_count}: {job_calls}")
    for label, path in (
        ("page of messages", f"{base}/messages?limit=20"),
        ("page of sessions", "/sessions?limit=20"),
        ("poll of one reply", f"{base}/messages/{posted['reply']['messageId']}"),
    ):
        _, calls, count = _counted(
            recorder, lambda p=path: _json(client.get(p, headers=headers), 200)
        )
        print(f"DynamoDB calls per {label}: {count}: {calls}")
    _long_session(client, headers, drain, emulator)


def _long_session(client: Any, headers: dict[str, str], drain: Any, emulator: Any) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.sessions.test_history import seed_exchanges

    session_id = _json(client.post("/sessions", json={}, headers=headers), 201)["sessionId"]
    me = _json(client.get("/auth/me", headers=headers), 200)["userId"]
    texts = [(f"question {i} " + "q" * 290, f"answer {i} " + "a" * 1190) for i in range(99)]
    seed_exchanges(me, session_id, texts)
    emulator.reset()
    _json(
        client.post(
            f"/sessions/{session_id}/messages", json={"content": "And now?"}, headers=headers
        ),
        202,
    )
    drain()
    sent = emulator.requests("bedrock")[-1]
    chars = sum(len(b["text"]) for b in sent["system"]) + sum(
        len(block["text"]) for m in sent["messages"] for block in m["content"]
    )
    whole = sum(len(q) + len(a) for q, a in texts)
    print(
        f"model input for a 200-message session: {chars} characters in {len(sent['messages'])} "
        f"turns (~{chars // 4} tokens); the whole conversation is {whole} characters"
    )


if __name__ == "__main__":
    main()
