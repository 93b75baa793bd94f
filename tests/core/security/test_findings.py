"""Findings of the outside review (issue 17) that no single domain's tests own."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.core.errors import Unauthorized
from app.core.security import verify_access_token
from app.local.aws_emulator import LocalAws
from tests.conftest import LoggedInUser
from tests.core.security import tokens
from tests.goals.helpers import create_goal
from tests.projects.helpers import FULL_PROJECT

HOSTILE = {"nul": "a\x00b", "bel": "a\x07b", "rlo": "invoice\u202eexe.pdf", "c1": "a\x85b"}


@pytest.mark.parametrize("char", sorted(HOSTILE))
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/projects", {**FULL_PROJECT}, "name"),
        ("/projects", {**FULL_PROJECT}, "description"),
        ("/goals", {"title": "Run", "category": "fitness"}, "title"),
        ("/goals", {"title": "Run", "category": "fitness"}, "description"),
        ("/waitlist", {"email": "control-chars@example.com"}, "name"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_finding_04_control_and_bidi_characters_are_refused_in_free_text(
    client: TestClient, user: LoggedInUser, path: str, body: dict[str, str], field: str, char: str
) -> None:
    response = client.post(path, json={**body, field: HOSTILE[char]}, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert ["body", field] == response.json()["error"]["details"][0]["loc"][:2]


def test_finding_04_nested_text_and_single_line_fields(
    client: TestClient, user: LoggedInUser
) -> None:
    # Nested free text (a team member's name) and list items are checked too
    nested = {**FULL_PROJECT, "team": [{"name": "Ada\u2066", "role": "lead"}]}
    assert client.post("/projects", json=nested, headers=user.headers).status_code == 422
    listed = {**FULL_PROJECT, "disciplines": ["civil", "x\x1b[31m"]}
    assert client.post("/projects", json=listed, headers=user.headers).status_code == 422
    # A title is one line; a description keeps its newlines and tabs as sent
    title = client.post(
        "/goals", json={"title": "Run\nfar", "category": "fitness"}, headers=user.headers
    )
    assert title.status_code == 422
    goal = create_goal(client, user, description="Week 1:\n\t5 km\nWeek 2:\n\t8 km")
    assert goal["description"] == "Week 1:\n\t5 km\nWeek 2:\n\t8 km"


def test_finding_10_token_signed_with_motos_shipped_key_is_refused(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a token for a real user with the claims the local pool issues, signed with the
    # private key that ships inside moto (public), under the kid the pool's JWKS names
    claims = tokens.access_claims(sub=user.sub, username=user.sub)
    forged = tokens.mint(claims, key=tokens.moto_private_jwk())
    # When it is used
    with pytest.raises(Unauthorized):
        verify_access_token(forged)
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {forged}"})
    # Then it is refused, while the pool's own token and one signed with this run's key pass
    assert response.status_code == 401
    assert client.get("/auth/me", headers=user.headers).status_code == 200
    assert verify_access_token(tokens.mint(claims)).sub == user.sub


def test_finding_10_local_jwks_serves_only_this_runs_key(local_aws: LocalAws) -> None:
    served = httpx.get(get_settings().jwks_url, timeout=5).json()["keys"]
    assert [key["n"] for key in served] == [tokens.signing_jwk()["n"]]
    assert tokens.signing_jwk()["n"] != tokens.moto_private_jwk()["n"]
    assert "d" not in served[0]
