"""Pagination of the project list: pages, limits, and cursors bound to caller and list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project


def test_list_projects_pages_through_all_newest_first(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given five projects
    created = [create_project(client, user, {"name": f"P{i}"})["projectId"] for i in range(5)]
    # When paging two at a time
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/projects", params=params, headers=user.headers).json()
        assert len(body["items"]) <= 2
        seen += [p["projectId"] for p in body["items"]]
        pages += 1
        cursor = body["nextCursor"]
        if cursor is None:
            break
    # Then every project came exactly once, newest first
    assert seen == list(reversed(created))
    assert pages in (3, 4)  # DynamoDB may hand out one empty last page


def test_list_projects_default_limit_is_twenty(client: TestClient, user: LoggedInUser) -> None:
    for i in range(21):
        create_project(client, user, {"name": f"P{i}"})
    body = client.get("/projects", headers=user.headers).json()
    assert len(body["items"]) == 20 and body["nextCursor"]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
def test_list_projects_with_limit_out_of_range_is_rejected(
    client: TestClient, user: LoggedInUser, limit: str
) -> None:
    response = client.get("/projects", params={"limit": limit}, headers=user.headers)
    assert response.status_code == 422


def test_list_projects_with_other_users_cursor_is_bad_request(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    for i in range(2):
        create_project(client, user, {"name": f"P{i}"})
    cursor = client.get("/projects?limit=1", headers=user.headers).json()["nextCursor"]
    assert cursor
    response = client.get("/projects", params={"cursor": cursor}, headers=other_user.headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c + "x",
        lambda c: "A" + c[1:] if c[0] != "A" else "B" + c[1:],
        lambda c: c.split(".")[0],
        lambda _: "not-a-cursor",
    ],
    ids=["appended", "payload-edited", "signature-dropped", "garbage"],
)
def test_list_projects_with_tampered_cursor_is_bad_request(
    client: TestClient, user: LoggedInUser, tamper: Callable[[str], str]
) -> None:
    for i in range(2):
        create_project(client, user, {"name": f"P{i}"})
    cursor = client.get("/projects?limit=1", headers=user.headers).json()["nextCursor"]
    response = client.get("/projects", params={"cursor": tamper(cursor)}, headers=user.headers)
    assert response.status_code == 400


def test_list_projects_with_requirements_cursor_is_bad_request(
    client: TestClient, user: LoggedInUser
) -> None:
    # A cursor is bound to its list too, not only to its caller
    project = create_project(client, user)
    path = f"/projects/{project['projectId']}/requirements"
    for i in range(2):
        client.post(path, json={"type": "functional", "title": f"R{i}"}, headers=user.headers)
    cursor = client.get(path, params={"limit": 1}, headers=user.headers).json()["nextCursor"]
    assert cursor
    response = client.get("/projects", params={"cursor": cursor}, headers=user.headers)
    assert response.status_code == 400
