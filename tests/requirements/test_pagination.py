"""Pagination of a project's requirements, with cursors bound to caller, project and filter."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import create_project
from tests.requirements.helpers import create_requirement, requirements_path


def _page(
    client: TestClient, user: LoggedInUser, project_id: str, **params: str | int
) -> tuple[int, dict[str, object]]:
    response = client.get(requirements_path(project_id), params=params, headers=user.headers)
    body: dict[str, object] = response.json()
    return response.status_code, body


def test_list_requirements_pages_through_type_filter(
    client: TestClient, user: LoggedInUser
) -> None:
    # Given five functional requirements among others
    project_id = create_project(client, user)["projectId"]
    functional = []
    for i in range(5):
        create_requirement(client, user, project_id, {"type": "user_story", "title": f"S{i}"})
        made = create_requirement(
            client, user, project_id, {"type": "functional", "title": f"F{i}"}
        )
        functional.append(made["requirementId"])
    # When paging the functional ones two at a time
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"type": "functional", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        status, body = _page(client, user, project_id, **params)
        assert status == 200
        items = body["items"]
        assert isinstance(items, list) and len(items) <= 2
        seen += [item["requirementId"] for item in items]
        cursor = body["nextCursor"]  # type: ignore[assignment]
        if cursor is None:
            break
    # Then
    assert seen == functional[::-1]


def test_list_requirements_cursor_is_bound_to_user_project_and_filter(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given a cursor into one project's list
    project_id = create_project(client, user)["projectId"]
    other_project = create_project(client, user)["projectId"]
    for i in range(3):
        create_requirement(client, user, project_id, {"type": "functional", "title": f"F{i}"})
        create_requirement(client, user, other_project, {"type": "functional", "title": f"G{i}"})
    _, first = _page(client, user, project_id, limit=1)
    cursor = first["nextCursor"]
    assert isinstance(cursor, str)
    # Then it works where it came from
    assert _page(client, user, project_id, limit=1, cursor=cursor)[0] == 200
    # And nowhere else
    assert _page(client, user, other_project, cursor=cursor)[0] == 400
    assert _page(client, user, project_id, type="functional", cursor=cursor)[0] == 400
    assert _page(client, user, project_id, cursor=cursor[:-2])[0] == 400
    # Another user cannot even reach the project
    assert _page(client, other_user, project_id, cursor=cursor)[0] == 404
