"""Custom templates: create, read, update at a version, delete; validation and idempotency."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.templates.helpers import TEMPLATE, create_template


def test_create_template_returns_201_owned_version_1(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.post("/templates", json=TEMPLATE, headers=user.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["ETag"] == '"1"'
    assert uuid.UUID(body["templateId"])
    assert (body["builtIn"], body["usage"], body["version"]) == (False, 0, 1)
    assert body["createdAt"] == body["updatedAt"]
    assert body["disciplines"] == TEMPLATE["disciplines"]
    assert body["phases"][0]["sprints"][0] == {"name": "Drone survey", "goal": "A point cloud"}
    assert body["phases"][1] == {"name": "Report", "description": None, "sprints": []}
    assert body["roles"][1] == {"role": "Surveyor", "discipline": None, "responsibilities": []}
    read = client.get(f"/templates/{body['templateId']}", headers=user.headers)
    assert read.status_code == 200
    assert read.json() == body


def test_update_template_bumps_version_and_replaces_lists(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a template
    template = create_template(client, user)
    path = f"/templates/{template['templateId']}"
    # When its name, phases and disciplines change, and its description is cleared
    body = {
        "version": 1,
        "name": "Tunnel inspection",
        "description": None,
        "disciplines": ["Tunnelling"],
        "phases": [{"name": "Walkthrough", "sprints": [{"name": "Night shift"}]}],
    }
    response = client.patch(path, json=body, headers=user.headers)
    # Then the new values are stored at version 2, and the roles are untouched
    assert response.status_code == 200, response.text
    updated = response.json()
    assert response.headers["ETag"] == '"2"'
    assert (updated["name"], updated["description"], updated["version"]) == (
        "Tunnel inspection",
        None,
        2,
    )
    assert updated["phases"] == [
        {
            "name": "Walkthrough",
            "description": None,
            "sprints": [{"name": "Night shift", "goal": None}],
        }
    ]
    assert updated["roles"] == template["roles"]
    assert updated["updatedAt"] > template["updatedAt"]
    assert client.get(path, headers=user.headers).json() == updated


def test_update_template_with_if_match(client: TestClient, user: LoggedInUser) -> None:
    template = create_template(client, user)
    response = client.patch(
        f"/templates/{template['templateId']}",
        json={"roles": []},
        headers={**user.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["roles"] == []


def test_update_template_at_stale_version_is_409_and_writes_nothing(
    client: TestClient, user: LoggedInUser
) -> None:
    template = create_template(client, user)
    path = f"/templates/{template['templateId']}"
    assert (
        client.patch(path, json={"version": 1, "name": "A"}, headers=user.headers).status_code
        == 200
    )
    stale = client.patch(path, json={"version": 1, "name": "B"}, headers=user.headers)
    assert stale.status_code == 409, stale.text
    assert stale.json()["error"]["details"] == [{"currentVersion": 2}]
    assert client.get(path, headers=user.headers).json()["name"] == "A"


def test_delete_template_then_it_is_404(client: TestClient, user: LoggedInUser) -> None:
    template = create_template(client, user)
    path = f"/templates/{template['templateId']}"
    assert client.delete(path, headers=user.headers).status_code == 204
    for response in (
        client.get(path, headers=user.headers),
        client.delete(path, headers=user.headers),
        client.patch(path, json={"version": 1, "name": "X"}, headers=user.headers),
    ):
        assert response.status_code == 404, response.text


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "Two\nlines"},
        {"name": "x" * 201},
        {"name": "T", "templateId": "mine"},
        {"name": "T", "builtIn": True},
        {"name": "T", "usage": 5},
        {"name": "T", "version": 3},
        {"name": "T", "phases": [{"name": "P", "sprints": [{"goal": "no name"}]}]},
        {"name": "T", "phases": [{"name": f"P{n}"} for n in range(31)]},
        {"name": "T", "roles": [{"role": "R", "responsibilities": ["x" * 301]}]},
        {"name": "T", "disciplines": ["\u202egnirts"]},
    ],
    ids=lambda body: ",".join(body) or "empty",
)
def test_create_template_with_invalid_body_is_422(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    response = client.post("/templates", json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "body",
    [{"version": 1}, {"version": 1, "name": None}, {"version": 1, "phases": None}, {"name": "N"}],
    ids=["nothing", "null-name", "null-phases", "no-version"],
)
def test_update_template_with_invalid_body_is_422(
    client: TestClient, user: LoggedInUser, body: dict[str, Any]
) -> None:
    template = create_template(client, user)
    response = client.patch(f"/templates/{template['templateId']}", json=body, headers=user.headers)
    assert response.status_code == 422, response.text


def test_create_template_with_same_idempotency_key_returns_first(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given a create with an Idempotency-Key
    headers = {"Idempotency-Key": f"tpl-{uuid.uuid4()}"}
    first = create_template(client, user, headers=headers)
    # When it is replayed with the same body, then with another body
    replay = client.post("/templates", json=TEMPLATE, headers={**user.headers, **headers})
    other = client.post("/templates", json={"name": "Other"}, headers={**user.headers, **headers})
    # Then the replay answers the first template, the other body conflicts, one template exists
    assert replay.status_code == 201
    assert replay.json() == first
    assert other.status_code == 409
    mine = client.get("/templates?scope=mine", headers=user.headers).json()["items"]
    assert [t["templateId"] for t in mine] == [first["templateId"]]
