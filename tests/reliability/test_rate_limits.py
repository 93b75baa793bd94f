"""Abuse limits on public routes: per IP and per email, fixed windows in DynamoDB, with reset."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.retries.standard import ExponentialBackoff
from fastapi import FastAPI
from fastapi.testclient import TestClient
from mangum import Mangum

from app.core import aws
from app.core.config import get_settings
from app.core.dynamo import plain_item
from app.core.ratelimit import FixedWindowLimiter, client_ip, get_rate_limiter
from app.core.tables import COUNTERS
from app.main import create_app
from tests.conftest import unique_email
from tests.contract import events
from tests.reliability.faults import Fault, dynamodb_clients, inject
from tests.reliability.routes import RATE_LIMITED_ROUTES, public_body, rate_limited_routes

WINDOW = 60
PER_IP = 3
PER_EMAIL = 2
JSON = {"content-type": "application/json"}


class FakeClock:
    """A settable clock starting in a window no other test uses."""

    def __init__(self) -> None:
        # A random far-future window, so runs sharing one emulator never share counters.
        self.window_start = float(WINDOW * random.randint(40_000_000, 80_000_000))
        self.now = self.window_start + 15

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limited_app(local_aws: object, clock: FakeClock) -> Iterator[FastAPI]:
    """The real app with low limits from settings and an injected clock."""
    app = create_app()
    low = get_settings().model_copy(
        update={
            "rate_limit_window_seconds": WINDOW,
            "rate_limit_per_ip": PER_IP,
            "rate_limit_per_email": PER_EMAIL,
        }
    )
    limiter = FixedWindowLimiter(clock=clock)
    app.dependency_overrides[get_settings] = lambda: low
    app.dependency_overrides[get_rate_limiter] = lambda: limiter
    yield app


def _client(app: FastAPI, ip: str | None = None) -> TestClient:
    address = ip or f"198.51.100.{random.randint(1, 254)}-{uuid.uuid4().hex[:6]}"
    return TestClient(app, client=(address, 40000))


def _login(client: TestClient, email: str | None = None, **headers: str) -> Any:
    body = {"email": email or unique_email("rl"), "password": "Wrong-Password-1"}
    return client.post("/auth/login", json=body, headers=headers)


def test_login_over_ip_limit_is_429_with_retry_after(limited_app: FastAPI) -> None:
    # Given a client that used its whole window, each time for a different email
    client = _client(limited_app)
    assert [_login(client).status_code for _ in range(PER_IP)] == [401] * PER_IP
    # When it tries once more
    refused = _login(client)
    # Then it is refused until the window ends, 45 s after the clock's position
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.headers["retry-after"] == "45"
    assert refused.headers["x-request-id"] == refused.json()["error"]["requestId"]


def test_rate_limit_resets_when_window_ends(limited_app: FastAPI, clock: FakeClock) -> None:
    client = _client(limited_app)
    for _ in range(PER_IP):
        _login(client)
    clock.now = clock.window_start + WINDOW - 1
    refused = _login(client)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    # When the next window starts, the caller gets a full window again
    clock.now = clock.window_start + WINDOW
    assert [_login(client).status_code for _ in range(PER_IP)] == [401] * PER_IP
    assert _login(client).status_code == 429


def test_per_email_limit_applies_across_client_ips(limited_app: FastAPI) -> None:
    email = unique_email("target")
    answers = [_login(_client(limited_app), email).status_code for _ in range(PER_EMAIL + 1)]
    assert answers == [401] * PER_EMAIL + [429]
    # Another email from a fresh address is unaffected
    assert _login(_client(limited_app)).status_code == 401


def test_email_limit_ignores_case_and_spaces(limited_app: FastAPI) -> None:
    email = unique_email("case")
    variants = [email, email.upper(), f"  {email} "]
    answers = [_login(_client(limited_app), v).status_code for v in variants]
    assert answers[-1] == 429


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/auth/login", {"password": "Wrong-Password-1"}),
        ("/auth/register", {"password": "Long-Enough-Pass-1", "name": "Rl"}),
        ("/auth/confirm", {"code": "123456"}),
        ("/auth/password/forgot", {}),
        ("/auth/password/reset", {"code": "123456", "newPassword": "Long-Enough-Pass-1"}),
        ("/waitlist", {}),
    ],
)
def test_finding_01_email_rate_limit_uses_canonical_identity(
    limited_app: FastAPI, path: str, extra: dict[str, str]
) -> None:
    # Given one address spelt as the validators accept it: display name, case, spaces
    email = unique_email("canon")
    local, domain = email.split("@")
    spellings = [f"Someone <{email}>", f"{local.upper()}@{domain.upper()}", f"  {email}  "]
    if path == "/waitlist":  # the waitlist schema takes a bare address only
        spellings[0] = email.upper()
    # When each spelling is sent from a fresh address, one more than the per-email limit
    answers = [
        _client(limited_app).post(path, json={"email": s, **extra}).status_code
        for s in spellings[: PER_EMAIL + 1]
    ]
    # Then the last one is refused: all spellings count against one identity
    assert 429 not in answers[:PER_EMAIL], answers
    assert answers[-1] == 429, answers


def test_finding_02_refresh_is_rate_limited_per_ip_and_per_token(limited_app: FastAPI) -> None:
    # Per IP: one client cycling through tokens is refused after the IP limit
    client = _client(limited_app)
    by_ip = [
        client.post("/auth/refresh", json={"refreshToken": f"tok-{i}"}).status_code
        for i in range(PER_IP + 1)
    ]
    assert by_ip == [401] * PER_IP + [429]
    # Per token: one token replayed from many addresses is refused after the identity limit
    token = f"replayed-{uuid.uuid4().hex}"
    by_token = [
        _client(limited_app).post("/auth/refresh", json={"refreshToken": token}).status_code
        for _ in range(PER_EMAIL + 1)
    ]
    assert by_token == [401] * PER_EMAIL + [429]


def test_limits_are_per_client_ip(limited_app: FastAPI) -> None:
    first = _client(limited_app)
    for _ in range(PER_IP + 1):
        _login(first)
    assert _login(first).status_code == 429
    assert _login(_client(limited_app)).status_code == 401


def test_forwarded_for_header_does_not_change_client(limited_app: FastAPI) -> None:
    client = _client(limited_app)
    answers = [
        _login(client, **{"X-Forwarded-For": f"192.0.2.{i}", "X-Real-Ip": f"192.0.2.{i}"})
        for i in range(PER_IP + 1)
    ]
    assert [a.status_code for a in answers] == [401] * PER_IP + [429]


def test_refused_hits_leave_counter_at_limit_with_ttl(
    limited_app: FastAPI, clock: FakeClock
) -> None:
    ip = f"203.0.113.{random.randint(1, 254)}-{uuid.uuid4().hex[:6]}"
    client = _client(limited_app, ip)
    for _ in range(PER_IP + 3):
        _login(client)
    key = f"rl#login#ip#{ip}#{int(clock.window_start)}"
    item = plain_item(aws.table(COUNTERS.name).get_item(Key={"counterKey": key})["Item"])
    assert int(item["count"]) == PER_IP
    assert int(item["expiresAt"]) == int(clock.window_start) + WINDOW


def test_counter_keys_hold_no_plain_email(limited_app: FastAPI, clock: FakeClock) -> None:
    email = unique_email("private")
    _login(_client(limited_app), email)
    window = str(int(clock.window_start))
    # A test-only Scan of a tiny table; the app itself only ever addresses counters by key.
    keys = [str(i["counterKey"]) for i in aws.table(COUNTERS.name).scan()["Items"]]
    email_keys = [k for k in keys if k.startswith("rl#login#email#") and k.endswith(window)]
    assert email_keys
    assert not [k for k in keys if email in k or email.split("@")[0] in k]


def test_rate_limited_routes_are_exactly_the_public_abuse_targets(app: FastAPI) -> None:
    assert rate_limited_routes(app) == RATE_LIMITED_ROUTES


@pytest.mark.parametrize("route", sorted(RATE_LIMITED_ROUTES), ids=lambda r: f"{r[0]} {r[1]}")
def test_public_route_over_ip_limit_is_429(limited_app: FastAPI, route: tuple[str, str]) -> None:
    method, path = route
    client = _client(limited_app)
    answers = [
        client.request(method, path, json=public_body(method, path)).status_code
        for _ in range(PER_IP + 1)
    ]
    assert 429 not in answers[:PER_IP], answers
    assert answers[-1] == 429


@pytest.mark.parametrize(
    "make_event",
    [
        lambda path, body: events.http_v2("POST", path, body=body, headers=JSON),
        lambda path, body: events.rest_v1("POST", path, body=body, headers=JSON),
    ],
    ids=["http-v2", "rest-v1"],
)
def test_lambda_caller_is_counted_by_api_gateway_source_ip(
    limited_app: FastAPI, make_event: Callable[[str, Any], dict[str, Any]]
) -> None:
    adapter = Mangum(limited_app, lifespan="off")
    source_ip = f"203.0.113.{random.randint(1, 254)}"
    statuses = []
    for i in range(PER_IP + 1):
        body = {"email": unique_email(), "password": "Wrong-Pass-1"}
        event = make_event("/auth/login", body)
        context = event["requestContext"]
        (context.get("http") or context["identity"])["sourceIp"] = source_ip
        event["headers"]["x-forwarded-for"] = f"10.9.8.{i}"
        statuses.append(adapter(event, events.LambdaContext())["statusCode"])
    assert statuses == [401] * PER_IP + [429]


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ({"aws.event": events.http_v2("GET", "/"), "client": ("10.0.0.1", 0)}, "203.0.113.9"),
        ({"aws.event": events.rest_v1("GET", "/"), "client": ("10.0.0.1", 0)}, "203.0.113.9"),
        (
            {
                "aws.event": events.alb(
                    "GET", "/", headers={"x-forwarded-for": "6.6.6.6, 198.51.100.7"}
                ),
                "client": ("6.6.6.6, 198.51.100.7", 0),
            },
            "198.51.100.7",
        ),
        ({"client": ("127.0.0.1", 5000)}, "127.0.0.1"),
        ({}, "unknown"),
    ],
    ids=["http-v2", "rest-v1", "alb-last-hop", "local", "none"],
)
def test_client_ip_comes_from_the_edge_not_the_client(scope: dict[str, Any], expected: str) -> None:
    scope.setdefault("headers", [(b"x-forwarded-for", b"1.2.3.4")])
    assert client_ip(scope) == expected


def test_counter_table_throttled_fails_closed_with_503(
    limited_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A throttled counter is most likely a hot key under attack: refuse rather than let it by.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda *_: 0)
    fault = Fault(
        operations=frozenset({"UpdateItem"}),
        tables=frozenset({get_settings().table_name(COUNTERS.name)}),
    )
    with inject(dynamodb_clients(), fault):
        response = _login(_client(limited_app))
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert fault.intercepted
