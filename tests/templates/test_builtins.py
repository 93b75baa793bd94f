"""Built-in templates: shipped as data, readable by everyone, changed by no one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.templates import builtins
from tests.conftest import LoggedInUser

BUILTIN = "builtin-embedded-hardware"


def test_builtin_files_are_valid_and_cover_different_kinds_of_work() -> None:
    # When the shipped files are read
    shipped = builtins.builtins()
    # Then there are at least six, with unique ids, each a full starting point
    assert len(shipped) >= 6
    assert len({spec.template_id for spec in shipped}) == len(shipped)
    for spec in shipped:
        assert len(spec.disciplines) >= 3, spec.template_id
        assert len(spec.phases) >= 3, spec.template_id
        assert all(phase.sprints for phase in spec.phases), spec.template_id
        assert all(sprint.goal for phase in spec.phases for sprint in phase.sprints)
        assert len(spec.roles) >= 3, spec.template_id
        assert all(role.responsibilities for role in spec.roles), spec.template_id
    kinds = " ".join(spec.name.lower() for spec in shipped)
    for kind in ("web", "embedded", "ml", "migration", "research", "medical"):
        assert kind in kinds


def test_list_builtin_scope_returns_every_builtin_in_shipped_order(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.get("/templates?scope=builtin&limit=100", headers=user.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    ids = [spec.template_id for spec in builtins.builtins()]
    assert [item["templateId"] for item in body["items"]] == ids
    assert body["nextCursor"] is None
    first = body["items"][0]
    assert first["builtIn"] is True
    assert first["version"] == 1
    assert isinstance(first["usage"], int)
    assert first["roles"][0]["responsibilities"]
    assert first["phases"][0]["sprints"][0]["goal"]


def test_get_builtin_answers_any_user(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for caller in (user, other_user):
        response = client.get(f"/templates/{BUILTIN}", headers=caller.headers)
        assert response.status_code == 200, response.text
        assert response.json()["templateId"] == BUILTIN
        assert response.json()["builtIn"] is True
        assert response.headers["ETag"] == '"1"'


def test_patch_or_delete_builtin_is_403_and_changes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a built-in as it is read
    before = client.get(f"/templates/{BUILTIN}", headers=user.headers).json()
    # When someone tries to change or delete it
    patched = client.patch(
        f"/templates/{BUILTIN}", json={"version": 1, "name": "Mine now"}, headers=user.headers
    )
    deleted = client.delete(f"/templates/{BUILTIN}", headers=user.headers)
    # Then both are forbidden, and it is unchanged
    for response in (patched, deleted):
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "forbidden"
    assert client.get(f"/templates/{BUILTIN}", headers=user.headers).json() == before
