"""JWKS fetching: fail closed when cold, keep cached keys when warm, rate-limit refetches."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from jose import jwk

from app.core.security import JwksCache, JwksUnavailable
from tests.core.security.tokens import moto_private_jwk


def _public(kid: str) -> dict[str, Any]:
    key = {k: v for k, v in moto_private_jwk().items() if k in ("kty", "n", "e")}
    return {**key, "kid": kid, "alg": "RS256", "use": "sig"}


class JwksServer:
    """A local JWKS endpoint that can go down and rotate keys."""

    def __init__(self) -> None:
        self.kids = ["k1"]
        self.up = True
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                server.fetches += 1
                if not server.up:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = json.dumps({"keys": [_public(k) for k in server.kids]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.httpd.shutdown()


def test_get_key_on_cold_start_with_jwks_down_fails_closed(jwks_server: JwksServer) -> None:
    jwks_server.up = False
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30)
    with pytest.raises(JwksUnavailable):
        cache.get("k1")


def test_get_key_on_cold_start_with_unreachable_url_fails_closed() -> None:
    cache = JwksCache("http://127.0.0.1:9/jwks.json", timeout=0.5, refetch_interval=30)
    with pytest.raises(JwksUnavailable):
        cache.get("k1")


def test_get_key_after_later_fetch_failure_keeps_cached_keys(jwks_server: JwksServer) -> None:
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=0)
    assert cache.get("k1") is not None
    jwks_server.up = False
    # An unknown kid forces a refetch, which fails; the known key must keep working.
    assert cache.get("unknown") is None
    assert cache.get("k1") is not None
    assert jwks_server.fetches == 2


def test_get_key_after_rotation_refetches_exactly_once(jwks_server: JwksServer) -> None:
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=0)
    assert cache.get("k1") is not None
    jwks_server.kids = ["k1", "k2"]
    assert cache.get("k2") is not None
    assert cache.get("k2") is not None
    assert jwks_server.fetches == 2


def test_get_many_unknown_kids_fetches_at_most_once(
    jwks_server: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("app.core.security.time.monotonic", lambda: clock[0])
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30)
    assert cache.get("k1") is not None
    # Within 30 s of the cold fetch, unknown kids cause no fetch at all.
    assert [cache.get(f"early-{i}") for i in range(50)] == [None] * 50
    assert jwks_server.fetches == 1
    # After the interval, 50 unknown kids share exactly one refetch.
    clock[0] += 31
    assert [cache.get(f"unknown-{i}") for i in range(50)] == [None] * 50
    assert jwks_server.fetches == 2


def test_get_key_once_per_cold_start_under_concurrency(jwks_server: JwksServer) -> None:
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30)
    threads = [threading.Thread(target=cache.get, args=("k1",)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert jwks_server.fetches == 1


def test_get_key_returns_parsed_key_objects(jwks_server: JwksServer) -> None:
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30)
    key = cache.get("k1")
    assert key is cache.get("k1")
    assert isinstance(key, type(jwk.construct(_public("x"), "RS256")))


class Clock:
    """A settable monotonic clock."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_finding_07_jwks_key_removed_by_cognito_expires_after_max_age(
    jwks_server: JwksServer,
) -> None:
    clock = Clock()
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30, max_age=600, clock=clock)
    assert cache.get("k1") is not None
    # Cognito rotates k1 out; within the max age the warm cache keeps it without a fetch
    jwks_server.kids = ["k2"]
    clock.now += 599
    assert cache.get("k1") is not None and jwks_server.fetches == 1
    # Past the max age the set is fetched once more, and the removed key no longer verifies
    clock.now += 1
    assert cache.get("k1") is None
    assert cache.get("k2") is not None
    assert jwks_server.fetches == 2


def test_finding_07_jwks_max_age_keeps_refetch_cooldown_and_warm_keys(
    jwks_server: JwksServer,
) -> None:
    clock = Clock()
    cache = JwksCache(jwks_server.url, timeout=1, refetch_interval=30, max_age=60, clock=clock)
    assert cache.get("k1") is not None
    clock.now += 61
    jwks_server.up = False
    # An expired set whose refetch fails keeps verifying (no outage), and the failed fetch
    # starts the cooldown: no second fetch until it ends
    assert cache.get("k1") is not None
    assert cache.get("k1") is not None
    assert jwks_server.fetches == 2
    clock.now += 30
    jwks_server.up = True
    assert cache.get("k1") is not None and jwks_server.fetches == 3
