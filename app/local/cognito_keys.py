"""The local Cognito signs with an RSA key generated for each run, never moto's shipped key.

moto signs every pool's tokens with a private key that ships inside the package, so anyone can
mint tokens a dev server exposed by accident would accept. install() gives moto's pools a fresh
key and serves its public half at the pool's JWKS URL. The kid stays moto's "dummy" (create_jwt
hard-codes it): a token signed with the shipped key names a known kid and fails on its signature.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

KID = "dummy"
_PUBLIC_MEMBERS = ("kty", "n", "e", "kid", "alg")
_INSTALLED = "_planforge_run_key"


@dataclass(frozen=True)
class RunKey:
    """This process's signing key as a private JWK."""

    private_jwk: dict[str, str]

    def jwks(self) -> bytes:
        """Return the JWKS document with the public key only."""
        public = {name: self.private_jwk[name] for name in _PUBLIC_MEMBERS}
        return json.dumps({"keys": [{**public, "use": "sig"}]}).encode()


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@lru_cache(maxsize=1)
def run_key() -> RunKey:
    """Return the key generated for this run (once per process)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    numbers = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_numbers()
    members = {
        "n": numbers.public_numbers.n,
        "e": numbers.public_numbers.e,
        "d": numbers.d,
        "p": numbers.p,
        "q": numbers.q,
        "dp": numbers.dmp1,
        "dq": numbers.dmq1,
        "qi": numbers.iqmp,
    }
    encoded = {name: _b64(value) for name, value in members.items()}
    return RunKey({"kty": "RSA", "kid": KID, "alg": "RS256", **encoded})


def install() -> RunKey:
    """Make moto's user pools sign with the run's key and serve its JWKS; idempotent."""
    from moto.cognitoidp import models, responses

    key = run_key()
    # Imported with moto's own JWK module (joserfc), as its pools import the shipped key.
    signing = models.jwk.RSAKey.import_key(key.private_jwk)  # type: ignore[attr-defined]
    pool = models.CognitoIdpUserPool
    if not getattr(pool, _INSTALLED, False):
        original = pool.__init__

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.json_web_key = signing

        pool.__init__ = init  # type: ignore[method-assign]
        setattr(pool, _INSTALLED, True)
    responses.CognitoIdpJsonWebKeyResponse.json_web_key = key.jwks()
    return key
