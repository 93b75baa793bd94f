"""Findings of the outside review (issue 17) that no single domain's tests own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
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
