"""Token verification per request with a warm JWKS cache, against the bare signature check."""

from __future__ import annotations

import base64
import time

from bench.harness import Row, SectionResult, interleave, per_call, section_main
from bench.inproc import lambda_environment, mint_access_token, start_jwks_server


def _b64(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def run(result: SectionResult, quick: bool) -> None:
    """Measure app.core.security.verify_access_token against one RSA-SHA256 verify."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding
    from jose import jwk

    lambda_environment(start_jwks_server())
    from app.core.security import get_jwks_cache, verify_access_token

    token = mint_access_token(groups=["admin"])
    verify_access_token(token)  # fetches the JWKS once: the cache is warm from here on
    key = get_jwks_cache().get("dummy")
    assert key is not None
    public = key.prepared_key  # type: ignore[attr-defined]  # cryptography RSAPublicKey
    header, payload, signature = token.split(".")
    signing_input = f"{header}.{payload}".encode()
    raw_signature = _b64(signature)
    jwk_dict = key.to_dict()

    def bare_signature_check() -> None:
        public.verify(_b64(signature), signing_input, padding.PKCS1v15(), hashes.SHA256())

    calls = 500
    app, floor = interleave(
        lambda: per_call(lambda: verify_access_token(token), calls, time.perf_counter) * 1e6,
        lambda: per_call(bare_signature_check, calls, time.perf_counter) * 1e6,
        pairs=10 if quick else 20,
    )
    result.add(
        Row(
            section="token",
            name="verify access token, warm JWKS cache",
            unit="µs",
            values=app,
            floor=floor,
            floor_name="RSA-SHA256 signature check alone",
            goal="<= 100 µs",
            goal_max=100.0,
            goal_on="value",
        )
    )

    def uncached_key() -> None:
        jwk.construct(jwk_dict, "RS256").verify(signing_input, raw_signature)

    uncached, cached = interleave(
        lambda: per_call(uncached_key, 200, time.perf_counter) * 1e6,
        lambda: (
            per_call(lambda: key.verify(signing_input, raw_signature), 200, time.perf_counter) * 1e6
        ),
        pairs=10,
    )
    result.add(
        Row(
            section="token",
            name="key object built from the JWK per request, then verify",
            unit="µs",
            values=uncached,
            floor=cached,
            floor_name="verify with the cached key object",
        )
    )


if __name__ == "__main__":
    section_main("token", run)
