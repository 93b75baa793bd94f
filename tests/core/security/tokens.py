"""Mint tokens the way the local Cognito would, and forge bad ones, for the verifier tests.

The local Cognito signs with a key generated for each run (app/local/cognito_keys.py); moto's
shipped key only forges.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import time
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

import moto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jose import jwt

from app.core.config import get_settings
from app.local import cognito_keys

MOTO_KID = cognito_keys.KID


def signing_jwk() -> dict[str, Any]:
    """Return the key the local Cognito signs with in this run."""
    return cognito_keys.run_key().private_jwk


@lru_cache(maxsize=1)
def moto_private_jwk() -> dict[str, Any]:
    """Return the signing key that ships inside moto: public, so only good for forgeries."""
    path = Path(moto.__file__).parent / "cognitoidp" / "resources" / "jwks-private.json.gz"
    key: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    return key


def b64(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def access_claims(**overrides: Any) -> dict[str, Any]:
    """Return valid access-token claims for the configured pool and client."""
    settings = get_settings()
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": str(uuid.uuid4()),
        "iss": settings.cognito_issuer,
        "client_id": settings.cognito_client_id,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin",
        "username": "someone",
        "iat": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def mint(
    claims: dict[str, Any],
    *,
    kid: str | None = MOTO_KID,
    algorithm: str = "RS256",
    key: dict[str, Any] | None = None,
) -> str:
    """Sign claims with the run's key (the verifier should accept it if the claims are right)."""
    headers = {"kid": kid} if kid is not None else {}
    signing = key if key is not None else signing_jwk()
    token: str = jwt.encode(claims, signing, algorithm=algorithm, headers=headers)
    if kid is None:
        header, payload, signature = token.split(".")
        decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
        decoded.pop("kid", None)
        token = f"{b64(json.dumps(decoded).encode())}.{payload}.{signature}"
    return token


def sign_with_other_rsa_key(claims: dict[str, Any], kid: str = MOTO_KID) -> str:
    """Sign valid-looking claims with a fresh RSA key that carries a known kid."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    token: str = jwt.encode(claims, pem.decode(), algorithm="RS256", headers={"kid": kid})
    return token


def sign_es256(claims: dict[str, Any], kid: str = MOTO_KID) -> str:
    """Sign claims correctly with an EC key (alg ES256)."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    token: str = jwt.encode(claims, pem.decode(), algorithm="ES256", headers={"kid": kid})
    return token


def unsigned(claims: dict[str, Any], alg: str) -> str:
    """Build an `alg: none`-style token with an empty signature."""
    header = b64(json.dumps({"alg": alg, "kid": MOTO_KID, "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims).encode())}."


def hs256_with_public_key(claims: dict[str, Any]) -> str:
    """Sign with HS256 using the RSA public key (PEM) as the HMAC secret: key confusion."""
    from jose import jwk

    public = jwk.construct(
        {k: v for k, v in signing_jwk().items() if k in ("kty", "n", "e")}, "RS256"
    )
    secret = public.to_pem()
    header = b64(json.dumps({"alg": "HS256", "kid": MOTO_KID, "typ": "JWT"}).encode())
    payload = b64(json.dumps(claims).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = b64(hmac.new(secret, signing_input, hashlib.sha256).digest())
    return f"{header}.{payload}.{signature}"


def tamper_payload(token: str, **changes: Any) -> str:
    """Change claims of a signed token without re-signing it."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims.update(changes)
    return f"{header}.{b64(json.dumps(claims).encode())}.{signature}"
