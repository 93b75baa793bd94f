"""Risk lists: highest score first, ties newest first, each filter on an index made for it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import LoggedInUser
from tests.projects.helpers import count_dynamodb_calls
from tests.risks.helpers import create_project, create_risk, list_all, risks_path

# (title, category, likelihood, impact, status): scores 20, 12, 12, 6, 4, 1
REGISTER = [
    ("Low", "budget", 1, 1, "open"),
    ("Twelve A", "technical", 3, 4, "open"),
    ("Four", "technical", 2, 2, "closed"),
    ("Twenty", "security", 4, 5, "mitigating"),
    ("Twelve B", "technical", 4, 3, "closed"),
    ("Six", "security", 2, 3, "open"),
]


@pytest.fixture
def register(client: TestClient, user: LoggedInUser) -> str:
    """Return a project holding the REGISTER risks, created in that order."""
    project_id = str(create_project(client, user)["projectId"])
    for title, category, likelihood, impact, status in REGISTER:
        body = {
            "title": title,
            "category": category,
            "likelihood": likelihood,
            "impact": impact,
            "status": status,
        }
        create_risk(client, user, project_id, body)
    return project_id


def _titles(items: list[dict[str, Any]]) -> list[str]:
    return [item["title"] for item in items]


def test_list_risks_orders_by_score_then_newest(
    client: TestClient, user: LoggedInUser, register: str
) -> None:
    items = list_all(client, user, register)
    assert _titles(items) == ["Twenty", "Twelve B", "Twelve A", "Six", "Four", "Low"]
    assert [item["score"] for item in items] == [20, 12, 12, 6, 4, 1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&status=open", ["Twelve A", "Six", "Low"]),
        ("&category=technical", ["Twelve B", "Twelve A", "Four"]),
        ("&status=closed&category=technical", ["Twelve B", "Four"]),
        ("&minScore=6", ["Twenty", "Twelve B", "Twelve A", "Six"]),
        ("&minScore=12&status=open", ["Twelve A"]),
        ("&minScore=5&category=security", ["Twenty", "Six"]),
        ("&minScore=4&status=closed&category=technical", ["Twelve B", "Four"]),
        ("&minScore=25", []),
        ("&status=accepted", []),
    ],
)
def test_list_risks_filters(
    client: TestClient, user: LoggedInUser, register: str, query: str, expected: list[str]
) -> None:
    assert _titles(list_all(client, user, register, query)) == expected


@pytest.mark.parametrize(
    "query", ["", "?status=open", "?category=budget", "?status=open&category=budget&minScore=2"]
)
def test_every_list_is_one_query_after_the_owner_check(
    client: TestClient, user: LoggedInUser, register: str, query: str
) -> None:
    with count_dynamodb_calls() as calls:
        response = client.get(f"{risks_path(register)}{query}", headers=user.headers)
    assert response.status_code == 200
    assert calls == ["GetItem", "Query"]


def test_changing_a_risk_moves_it_between_lists_and_places(
    client: TestClient, user: LoggedInUser, register: str
) -> None:
    # Given the lowest open budget risk
    low = next(item for item in list_all(client, user, register) if item["title"] == "Low")
    # When it is closed and its score raised to 25
    body = {"version": 1, "status": "closed", "likelihood": 5, "impact": 5}
    path = f"{risks_path(register)}/{low['riskId']}"
    assert client.patch(path, json=body, headers=user.headers).status_code == 200
    # Then it leads the whole list, has left the open list and joined the closed one
    assert _titles(list_all(client, user, register))[0] == "Low"
    assert "Low" not in _titles(list_all(client, user, register, "&status=open"))
    assert _titles(list_all(client, user, register, "&status=closed")) == [
        "Low",
        "Twelve B",
        "Four",
    ]


def test_cursor_is_bound_to_the_user_and_the_filters(
    client: TestClient, user: LoggedInUser, other_user: LoggedInUser, register: str
) -> None:
    path = risks_path(register)
    cursor = client.get(f"{path}?limit=2", headers=user.headers).json()["nextCursor"]
    assert cursor
    for url in (
        f"{path}?limit=2&status=open&cursor={cursor}",
        f"{path}?minScore=2&cursor={cursor}",
    ):
        response = client.get(url, headers=user.headers)
        assert response.status_code == 400, url
    tampered = client.get(f"{path}?cursor={cursor[:-2]}xx", headers=user.headers)
    assert tampered.status_code == 400
    # Another user's request never gets as far as the cursor: the project is not theirs
    assert client.get(f"{path}?cursor={cursor}", headers=other_user.headers).status_code == 404
    other_project = create_project(client, user)["projectId"]
    replayed = client.get(f"{risks_path(other_project)}?cursor={cursor}", headers=user.headers)
    assert replayed.status_code == 400
