"""Optimistic locking: stale versions are 409 and write nothing; no update is ever lost."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core import aws
from tests.conftest import LoggedInUser
from tests.projects.helpers import FULL_PROJECT, create_project, get_project

WRITERS = 20


def _bump(client: TestClient, user: LoggedInUser, project: dict[str, Any]) -> dict[str, Any]:
    response = client.patch(
        f"/projects/{project['projectId']}",
        json={"version": project["version"], "name": "moved on"},
        headers=user.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"version": 1, "name": "stale"}, {}),
        ({"name": "stale"}, {"If-Match": '"1"'}),
        ({"name": "stale"}, {"If-Match": "1"}),
        ({"version": 1, "phases": []}, {}),
    ],
    ids=["body-version", "if-match", "if-match-bare", "body-version-with-phases"],
)
def test_update_project_with_stale_version_conflicts(
    client: TestClient, user: LoggedInUser, body: dict[str, Any], headers: dict[str, str]
) -> None:
    # Given a project someone already moved to version 2
    project = create_project(client, user, FULL_PROJECT)
    current = _bump(client, user, project)
    # When a client still at version 1 writes
    response = client.patch(
        f"/projects/{project['projectId']}", json=body, headers={**user.headers, **headers}
    )
    # Then it gets a conflict naming the current version, and nothing is written
    assert response.status_code == 409, response.text
    assert response.json()["error"]["code"] == "conflict"
    assert response.json()["error"]["details"] == [{"currentVersion": 2}]
    assert get_project(client, user, project["projectId"]) == current


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ({"name": "no version"}, {}),
        ({"version": 1, "name": "disagree"}, {"If-Match": '"2"'}),
        ({"name": "bad header"}, {"If-Match": "*"}),
        ({"name": "bad header"}, {"If-Match": '"0"'}),
        ({"version": 0, "name": "zero"}, {}),
        ({"version": 1}, {}),
    ],
    ids=["none", "disagree", "star", "zero-etag", "zero-version", "nothing-to-change"],
)
def test_update_project_without_usable_version_is_unprocessable(
    client: TestClient, user: LoggedInUser, body: dict[str, Any], headers: dict[str, str]
) -> None:
    project = create_project(client, user)
    response = client.patch(
        f"/projects/{project['projectId']}", json=body, headers={**user.headers, **headers}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert get_project(client, user, project["projectId"]) == project


def test_concurrent_read_then_update_loses_no_update(
    client: TestClient, user: LoggedInUser, moto_url: str
) -> None:
    # Given one project and 20 writers that start together against the moto server
    project = create_project(client, user)
    path = f"/projects/{project['projectId']}"
    start = threading.Barrier(WRITERS)

    def read_then_write(writer: int) -> tuple[int, int, dict[str, Any]]:
        start.wait()
        seen = client.get(path, headers=user.headers).json()
        response = client.patch(
            path,
            json={"version": seen["version"], "description": f"writer {writer}"},
            headers=user.headers,
        )
        return writer, response.status_code, response.json()

    # When each reads the project and then writes the version it read
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        results = list(pool.map(read_then_write, range(WRITERS)))
    # Then every write either succeeded or was told it lost; none was silently overwritten
    winners = [(w, body) for w, status, body in results if status == 200]
    losers = [(w, status, body) for w, status, body in results if status != 200]
    assert all(status == 409 for _, status, _ in losers), losers
    assert all(body["error"]["code"] == "conflict" for _, _, body in losers)
    assert len(winners) + len(losers) == WRITERS and winners
    final = get_project(client, user, project["projectId"])
    assert len(winners) == final["version"] - 1
    # Each success produced its own version, and the last one is what is stored
    versions = sorted(body["version"] for _, body in winners)
    assert versions == list(range(2, final["version"] + 1))
    last_writer = max(winners, key=lambda winner: winner[1]["version"])[0]
    assert final["description"] == f"writer {last_writer}"
    # And those were real HTTP calls to the moto server, not an in-process mock
    assert aws.client("dynamodb").meta.endpoint_url == moto_url
