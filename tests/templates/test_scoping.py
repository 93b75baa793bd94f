"""Another user's template is indistinguishable from a missing one, on every route."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.templates.helpers import create_template, list_all


def test_other_users_template_is_404_on_every_route_and_unchanged(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    # Given the owner's template
    template = create_template(client, user)
    path = f"/templates/{template['templateId']}"
    # When another user reads, changes or deletes it
    responses = [
        client.get(path, headers=other_user.headers),
        client.patch(path, json={"version": 1, "name": "Stolen"}, headers=other_user.headers),
        client.delete(path, headers=other_user.headers),
    ]
    # Then each is a 404, and the template is as it was
    for response in responses:
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(path, headers=user.headers).json() == template


def test_lists_never_show_another_users_template(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser
) -> None:
    template = create_template(client, user)
    for query in ("", "&scope=mine", "&scope=all&discipline=structural"):
        seen = {item["templateId"] for item in list_all(client, other_user, query)}
        assert template["templateId"] not in seen, query
