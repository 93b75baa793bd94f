"""Cognito access-token verification: the only module that touches python-jose."""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.core.config import Settings, get_settings
from app.core.errors import ServiceUnavailable, Unauthorized
from app.core.observability import logger

if TYPE_CHECKING:
    # python-jose (and cryptography under it) is imported on the first token, not at cold
    # start: GET /health and the public routes never need it.
    from jose.backends.base import Key

ALGORITHM = "RS256"
ADMIN_GROUP = "admin"
MAX_TOKEN_BYTES = 8 * 1024
# With no key cached yet, a failed fetch may be retried this soon; the next request should not
# wait the full refetch interval for a JWKS endpoint that blipped once.
_COLD_RETRY_SECONDS = 1.0


def _monotonic() -> float:
    return time.monotonic()


@dataclass(frozen=True)
class AuthenticatedUser:
    """The caller, as proven by a verified access token."""

    sub: str
    username: str
    groups: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        """Return whether the caller is in the admin group."""
        return ADMIN_GROUP in self.groups


class JwksUnavailable(Exception):
    """The key set could not be fetched."""


class JwksCache:
    """Parsed signing keys by kid, fetched at most once per cold start and rate-limited after.

    A key set older than max_age is fetched again, so a key Cognito removed stops verifying.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        refetch_interval: float,
        max_age: float = 3600.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._refetch_interval = refetch_interval
        self._max_age = max_age
        self._clock = clock or _monotonic
        self._keys: dict[str, Key] = {}
        self._last_attempt: float | None = None
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.fetch_count = 0

    def get(self, kid: str) -> Key | None:
        """Return the key for a kid, refetching the set if allowed; None if it is unknown."""
        key = self._keys.get(kid)
        if key is not None and not self._stale():
            return key
        with self._lock:
            key = self._keys.get(kid)
            if (key is None or self._stale()) and self._may_fetch():
                self._refresh()
                key = self._keys.get(kid)
        return key

    def _stale(self) -> bool:
        fetched = self._fetched_at
        return fetched is not None and self._clock() - fetched >= self._max_age

    def _may_fetch(self) -> bool:
        if self._last_attempt is None:
            return True
        wait = self._refetch_interval if self._keys else _COLD_RETRY_SECONDS
        return self._clock() - self._last_attempt >= wait

    def _refresh(self) -> None:
        from jose import jwk

        self._last_attempt = self._clock()
        self.fetch_count += 1
        try:
            document = self._download()
            keys = {
                entry["kid"]: jwk.construct(entry, ALGORITHM)
                for entry in document.get("keys", [])
                if entry.get("kty") == "RSA" and isinstance(entry.get("kid"), str)
            }
        except Exception as exc:  # any fetch or parse failure keeps the old keys
            logger.warning("jwks fetch failed", extra={"error": type(exc).__name__})
            if not self._keys:
                raise JwksUnavailable from exc
            return
        self._keys = keys
        self._fetched_at = self._last_attempt

    def _download(self) -> dict[str, Any]:
        if not self._url.startswith(("https://", "http://")):
            raise ValueError("JWKS URL must be http(s)")
        # The scheme is checked above, so file:// and custom schemes never reach urlopen.
        request = urllib.request.Request(self._url, headers={"Accept": "application/json"})  # noqa: S310  # nosec B310
        with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310  # nosec B310
            body = response.read(1024 * 1024)
        document = json.loads(body)
        if not isinstance(document, dict):
            raise ValueError("JWKS is not an object")
        return document


@lru_cache(maxsize=1)
def get_jwks_cache() -> JwksCache:
    """Return the process-wide JWKS cache."""
    settings = get_settings()
    return JwksCache(
        settings.jwks_url,
        timeout=settings.jwks_timeout_seconds,
        refetch_interval=settings.jwks_refetch_interval_seconds,
        max_age=settings.jwks_max_age_seconds,
    )


def verify_access_token(token: str, settings: Settings | None = None) -> AuthenticatedUser:
    """Verify a Cognito access token and return its user, or raise Unauthorized."""
    settings = settings or get_settings()
    if not token or len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
        raise Unauthorized()
    header = _unverified_header(token)
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
        raise Unauthorized()
    try:
        key = get_jwks_cache().get(kid)
    except JwksUnavailable as exc:
        raise ServiceUnavailable("Token keys are unavailable; retry shortly.") from exc
    if key is None:
        raise Unauthorized()
    from jose import jwt
    from jose.exceptions import JOSEError

    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=settings.cognito_issuer,
            options={
                "verify_aud": False,  # access tokens carry client_id, checked below, not aud
                "require_exp": True,
                "require_iat": True,
                "require_iss": True,
                "require_sub": True,
                "leeway": settings.jwt_leeway_seconds,
            },
        )
    except JOSEError as exc:
        raise Unauthorized() from exc
    _check_issued_at(claims, settings)
    return _user_from_claims(claims, settings)


def _check_issued_at(claims: dict[str, Any], settings: Settings) -> None:
    # jose checks exp and nbf but never that iat lies in the past.
    issued_at = claims.get("iat")
    if not isinstance(issued_at, int | float) or isinstance(issued_at, bool):
        raise Unauthorized()
    if issued_at > time.time() + settings.jwt_leeway_seconds:
        raise Unauthorized()


def _unverified_header(token: str) -> dict[str, Any]:
    # Only the header segment, to pick the key; jwt.decode then checks the whole token. (jose's
    # get_unverified_header would decode all three segments once more: ~5 µs a request.)
    segment = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError as exc:  # bad base64, UTF-8 or JSON
        raise Unauthorized() from exc
    if not isinstance(header, dict):
        raise Unauthorized()
    return header


def _user_from_claims(claims: dict[str, Any], settings: Settings) -> AuthenticatedUser:
    if claims.get("token_use") != "access":
        raise Unauthorized()
    if claims.get("client_id") != settings.cognito_client_id:
        raise Unauthorized()
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise Unauthorized()
    groups = claims.get("cognito:groups") or []
    if not isinstance(groups, list):
        raise Unauthorized()
    username = claims.get("username")
    return AuthenticatedUser(
        sub=sub,
        username=username if isinstance(username, str) else sub,
        groups=frozenset(g for g in groups if isinstance(g, str)),
    )
