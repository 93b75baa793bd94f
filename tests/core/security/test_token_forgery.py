"""Every forged, expired or misdirected token is refused with 401; real ones pass."""

from __future__ import annotations

import time
from functools import lru_cache

import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.core.errors import Unauthorized
from app.core.security import verify_access_token
from tests.conftest import LoggedInUser
from tests.core.security import tokens


@pytest.fixture(autouse=True)
def _emulator(local_aws: object) -> None:
    """Every test here verifies against the emulated pool's keys."""


def _issuer() -> str:
    return get_settings().cognito_issuer


def test_verify_real_access_token_from_emulated_cognito(user: LoggedInUser) -> None:
    verified = verify_access_token(user.access_token)
    assert verified.sub == user.sub


def test_verify_minted_access_token_is_accepted() -> None:
    claims = tokens.access_claims(**{"cognito:groups": ["admin"]})
    verified = verify_access_token(tokens.mint(claims))
    assert verified.sub == claims["sub"]
    assert verified.is_admin


@lru_cache(maxsize=1)
def _forgeries() -> dict[str, str]:
    # Built once: generating the foreign RSA and EC keys dominates the cost of each case.
    valid = tokens.access_claims()
    now = int(time.time())
    leeway = get_settings().jwt_leeway_seconds
    settings = get_settings()
    other_pool = _issuer().rsplit("/", 1)[0] + "/us-east-1_Other"
    return {
        "tampered payload": tokens.tamper_payload(tokens.mint(valid), sub="someone-else"),
        "tampered groups": tokens.tamper_payload(
            tokens.mint(valid), **{"cognito:groups": ["admin"]}
        ),
        "other key with known kid": tokens.sign_with_other_rsa_key(valid),
        "alg none": tokens.unsigned(valid, "none"),
        "alg None": tokens.unsigned(valid, "None"),
        "alg NONE": tokens.unsigned(valid, "NONE"),
        "hs256 with public key": tokens.hs256_with_public_key(valid),
        "rs384 correctly signed": tokens.mint(valid, algorithm="RS384"),
        "es256 correctly signed": tokens.sign_es256(valid),
        "missing kid": tokens.mint(valid, kid=None),
        "unknown kid": tokens.mint(valid, kid="not-a-known-kid"),
        "expired": tokens.mint(tokens.access_claims(exp=now - 3600, iat=now - 7200)),
        "expired just outside leeway": tokens.mint(tokens.access_claims(exp=now - leeway - 15)),
        "missing exp": tokens.mint(tokens.access_claims(exp=None)),
        "missing iat": tokens.mint(tokens.access_claims(iat=None)),
        "missing sub": tokens.mint(tokens.access_claims(sub=None)),
        "missing token_use": tokens.mint(tokens.access_claims(token_use=None)),
        "issuer of another pool": tokens.mint(tokens.access_claims(iss=other_pool)),
        "issuer with trailing slash": tokens.mint(tokens.access_claims(iss=_issuer() + "/")),
        "issuer over http": tokens.mint(
            tokens.access_claims(iss=_issuer().replace("https://", "http://"))
        ),
        "issuer prefix": tokens.mint(tokens.access_claims(iss=_issuer()[:-3])),
        "missing issuer": tokens.mint(tokens.access_claims(iss=None)),
        "id token": tokens.mint(
            tokens.access_claims(token_use="id", aud=settings.cognito_client_id)
        ),
        "another client": tokens.mint(tokens.access_claims(client_id="another-client")),
        "missing client_id": tokens.mint(tokens.access_claims(client_id=None)),
        "two segments": ".".join(tokens.mint(valid).split(".")[:2]),
        "four segments": tokens.mint(valid) + ".extra",
        "bad base64": "!!!.@@@.###",
        "16 KiB": tokens.mint(tokens.access_claims(padding="x" * 16 * 1024)),
        "groups not a list": tokens.mint(tokens.access_claims(**{"cognito:groups": "admin"})),
    }


@pytest.mark.parametrize(
    "name",
    [
        "tampered payload",
        "tampered groups",
        "other key with known kid",
        "alg none",
        "alg None",
        "alg NONE",
        "hs256 with public key",
        "rs384 correctly signed",
        "es256 correctly signed",
        "missing kid",
        "unknown kid",
        "expired",
        "expired just outside leeway",
        "missing exp",
        "missing iat",
        "missing sub",
        "missing token_use",
        "issuer of another pool",
        "issuer with trailing slash",
        "issuer over http",
        "issuer prefix",
        "missing issuer",
        "id token",
        "another client",
        "missing client_id",
        "two segments",
        "four segments",
        "bad base64",
        "16 KiB",
        "groups not a list",
    ],
)
def test_request_with_forged_token_is_unauthorized(client: TestClient, name: str) -> None:
    # Given a token that must not be accepted
    token = _forgeries()[name]
    # When it is used, both directly and through HTTP
    with pytest.raises(Unauthorized):
        verify_access_token(token)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    # Then the request is refused with the envelope and a Bearer challenge
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


def test_verify_token_expired_inside_leeway_is_accepted() -> None:
    now = int(time.time())
    leeway = get_settings().jwt_leeway_seconds
    token = tokens.mint(tokens.access_claims(exp=now - leeway + 15, iat=now - 600))
    assert verify_access_token(token).sub


def test_real_id_token_is_refused(client: TestClient, user: LoggedInUser) -> None:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {user.id_token}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "bearer", "Token abc.def.ghi"],
)
def test_request_with_missing_or_malformed_authorization_is_unauthorized(
    client: TestClient, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_finding_07_token_issued_in_the_future_is_refused() -> None:
    now = int(time.time())
    leeway = get_settings().jwt_leeway_seconds
    future = tokens.mint(tokens.access_claims(iat=now + leeway + 60, exp=now + 3600))
    with pytest.raises(Unauthorized):
        verify_access_token(future)
    # A clock a little ahead, inside the leeway, is still accepted
    assert verify_access_token(tokens.mint(tokens.access_claims(iat=now + leeway - 10))).sub
