"""Template lists: built-ins then the caller's own, newest first, filters and cursors."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.templates import builtins
from tests.conftest import LoggedInUser
from tests.templates.helpers import create_template, list_all

BUILTIN_IDS = [spec.template_id for spec in builtins.builtins()]


def test_list_all_pages_builtins_then_own_newest_first(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given three templates of the caller's
    mine = [create_template(client, user, {"name": f"Mine {n}"})["templateId"] for n in range(3)]
    # When every page of the default list is read, three at a time
    items = list_all(client, user)
    # Then the built-ins come first in shipped order, then the caller's, newest first
    assert [item["templateId"] for item in items] == BUILTIN_IDS + mine[::-1]
    assert [item["builtIn"] for item in items] == [True] * len(BUILTIN_IDS) + [False] * 3


def test_list_scopes_mine_and_builtin_keep_to_their_own(
    client: TestClient, user: LoggedInUser
) -> None:
    mine = create_template(client, user)["templateId"]
    assert [item["templateId"] for item in list_all(client, user, "&scope=mine")] == [mine]
    assert [item["templateId"] for item in list_all(client, user, "&scope=builtin")] == BUILTIN_IDS


def test_list_all_without_own_templates_ends_after_builtins(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.get("/templates?limit=100", headers=user.headers)
    assert [item["templateId"] for item in response.json()["items"]] == BUILTIN_IDS
    assert response.json()["nextCursor"] is None


def test_list_by_discipline_matches_ignoring_case_in_builtins_and_own(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given two templates of the caller's, one of them in the Cybersecurity discipline
    secure = create_template(client, user, {"name": "Secure", "disciplines": ["CyberSecurity"]})
    create_template(client, user, {"name": "Plain", "disciplines": ["Plumbing"]})
    # When the list asks for cybersecurity in another case
    items = list_all(client, user, "&discipline=cybersecurity")
    # Then only templates listing that discipline come back, built-ins first
    expected = [
        spec.template_id
        for spec in builtins.builtins()
        if "cybersecurity" in {d.casefold() for d in spec.disciplines}
    ]
    assert expected, "some built-in covers cybersecurity"
    assert [item["templateId"] for item in items] == [*expected, secure["templateId"]]


def test_cursor_is_bound_to_the_user_the_scope_and_the_filter(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given the cursor of the caller's first page of all templates
    cursor = client.get("/templates?limit=2", headers=user.headers).json()["nextCursor"]
    assert cursor
    # When it is used by someone else, on another list, or altered
    misuses = [
        (other_user, f"/templates?limit=2&cursor={cursor}"),
        (user, f"/templates?limit=2&scope=builtin&cursor={cursor}"),
        (user, f"/templates?limit=2&discipline=firmware&cursor={cursor}"),
        (user, f"/templates?limit=2&cursor={cursor[:-2]}xx"),
    ]
    # Then each is refused as a bad request
    for caller, url in misuses:
        response = client.get(url, headers=caller.headers)
        assert response.status_code == 400, (url, response.text)
        assert response.json()["error"]["code"] == "bad_request"
    assert (
        client.get(f"/templates?limit=2&cursor={cursor}", headers=user.headers).status_code == 200
    )
