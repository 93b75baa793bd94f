"""A world of one owner's objects, built through the public API, for the authorization matrix."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core import aws
from app.local.aws_emulator import LocalAws
from tests.conftest import LoggedInUser
from tests.reliability.logs import LogCapture, capture_logs
from tests.reliability.routes import Operation, api_operations

Seeder = Callable[[TestClient, LoggedInUser, "World"], None]


@dataclass
class World:
    """The owner, the ids of their objects by path-parameter name, and how to read them back."""

    owner: LoggedInUser
    admin: LoggedInUser | None = None
    ids: dict[str, str] = field(default_factory=dict)
    # Owner-side reads whose answers must not change when someone else calls a route.
    reads: list[str] = field(default_factory=list)
    admin_reads: list[str] = field(default_factory=list)

    def remember(self, **ids: str) -> None:
        """Record ids under their camelCase name and its snake_case twin (routes use either)."""
        for name, value in ids.items():
            self.ids[name] = value
            self.ids[re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()] = value

    def snapshot(self, client: TestClient) -> dict[str, Any]:
        """Return what the owner (and admin) see of the world right now."""
        seen: dict[str, Any] = {}
        for path in self.reads:
            response = client.get(path, headers=self.owner.headers)
            seen[path] = (response.status_code, response.json())
        if self.admin is not None:
            for path in self.admin_reads:
                response = client.get(path, headers=self.admin.headers)
                seen[path] = (response.status_code, response.json())
        return seen


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201, 202), response.text
    body: dict[str, Any] = response.json()
    return body


def seed_assets(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create an asset."""
    body = {"fileName": "plan.pdf", "contentType": "application/pdf", "size": 42}
    asset = _created(client.post("/assets", json=body, headers=user.headers))["asset"]
    world.remember(assetId=asset["assetId"])
    world.reads += [f"/assets/{asset['assetId']}", "/assets"]


def seed_projects(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create a project with one phase and one sprint."""
    body = {
        "name": "Owner project",
        "description": "Only the owner may see this.",
        "phases": [{"name": "Phase 1", "sprints": [{"name": "Sprint 1"}]}],
    }
    project = _created(client.post("/projects", json=body, headers=user.headers))
    phase = project["phases"][0]
    world.remember(
        projectId=project["projectId"],
        phaseId=phase["phaseId"],
        sprintId=phase["sprints"][0]["sprintId"],
    )
    world.reads += [f"/projects/{project['projectId']}", "/projects"]


def seed_requirements(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create a requirement in the owner's project."""
    project_id = world.ids["projectId"]
    body = {"type": "functional", "title": "Owner requirement", "description": "Secret."}
    requirement = _created(
        client.post(f"/projects/{project_id}/requirements", json=body, headers=user.headers)
    )
    world.remember(requirementId=requirement["requirementId"])
    world.reads += [
        f"/projects/{project_id}/requirements/{requirement['requirementId']}",
        f"/projects/{project_id}/requirements",
    ]


def seed_templates(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create a template of the owner's."""
    body = {"name": "Owner template", "disciplines": ["Secret discipline"]}
    template = _created(client.post("/templates", json=body, headers=user.headers))
    world.remember(templateId=template["templateId"])
    world.reads += [f"/templates/{template['templateId']}", "/templates?scope=mine"]


def seed_risks(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create a risk in the owner's project."""
    project_id = world.ids["projectId"]
    body = {"title": "Owner risk", "category": "security", "likelihood": 2, "impact": 3}
    risk = _created(client.post(f"/projects/{project_id}/risks", json=body, headers=user.headers))
    world.remember(riskId=risk["riskId"])
    world.reads += [
        f"/projects/{project_id}/risks/{risk['riskId']}",
        f"/projects/{project_id}/risks",
    ]


def seed_sessions(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Start a session on the owner's project and post a message (its reply stays queued)."""
    body = {"title": "Owner session", "projectId": world.ids["projectId"], "system": "Secret."}
    session_id = _created(client.post("/sessions", json=body, headers=user.headers))["sessionId"]
    base = f"/sessions/{session_id}"
    posted = _created(
        client.post(f"{base}/messages", json={"content": "Secret question"}, headers=user.headers)
    )
    world.remember(sessionId=session_id, messageId=posted["reply"]["messageId"])
    world.reads += [base, f"{base}/messages", f"{base}/messages/{posted['reply']['messageId']}"]


def seed_goals(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Create a goal with one progress entry."""
    body = {"title": "Owner goal", "category": "fitness", "targetValue": 100, "unit": "km"}
    goal = _created(client.post("/goals", json=body, headers=user.headers))
    goal_id = goal["goalId"]
    _created(client.post(f"/goals/{goal_id}/progress", json={"value": 5}, headers=user.headers))
    world.remember(goalId=goal_id)
    world.reads += [f"/goals/{goal_id}", f"/goals/{goal_id}/progress", "/goals"]


def seed_ai(client: TestClient, user: LoggedInUser, world: World) -> None:
    """Queue a text job."""
    job = _created(client.post("/ai/generate", json={"prompt": "Hello"}, headers=user.headers))
    world.remember(jobId=job["jobId"])
    world.reads += [f"/ai/jobs/{job['jobId']}"]


def seed_waitlist(client: TestClient, _user: LoggedInUser, world: World) -> None:
    """Join the waitlist with a fresh address."""
    email = f"wait-{uuid.uuid4().hex[:10]}@example.com"
    _created(client.post("/waitlist", json={"email": email}))
    world.remember(email=email)
    world.admin_reads += ["/waitlist?limit=100"]


@dataclass(frozen=True)
class SeedStep:
    """A seeder, the create route it calls, and the ids (camelCase) it provides."""

    route: tuple[str, str]
    seed: Seeder
    provides: frozenset[str]
    needs: frozenset[str] = frozenset()


# In dependency order: a step's needs are provided by an earlier step.
SEEDERS: tuple[SeedStep, ...] = (
    SeedStep(("POST", "/assets"), seed_assets, frozenset({"assetId"})),
    SeedStep(("POST", "/projects"), seed_projects, frozenset({"projectId", "phaseId", "sprintId"})),
    SeedStep(
        ("POST", "/projects/{projectId}/requirements"),
        seed_requirements,
        frozenset({"requirementId"}),
        frozenset({"projectId"}),
    ),
    SeedStep(
        ("POST", "/projects/{projectId}/risks"),
        seed_risks,
        frozenset({"riskId"}),
        frozenset({"projectId"}),
    ),
    SeedStep(("POST", "/templates"), seed_templates, frozenset({"templateId"})),
    SeedStep(
        ("POST", "/sessions"),
        seed_sessions,
        frozenset({"sessionId", "messageId"}),
        frozenset({"projectId"}),
    ),
    SeedStep(("POST", "/goals"), seed_goals, frozenset({"goalId"})),
    SeedStep(("POST", "/ai/generate"), seed_ai, frozenset({"jobId"})),
    SeedStep(("POST", "/waitlist"), seed_waitlist, frozenset({"email"})),
)


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def make_admin(client: TestClient, user: LoggedInUser, local_aws: LocalAws) -> LoggedInUser:
    """Put a user in the admin group and log them in again."""
    aws.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=local_aws.user_pool_id, Username=user.email, GroupName="admin"
    )
    tokens = client.post("/auth/login", json={"email": user.email, "password": user.password})
    user.access_token = tokens.json()["accessToken"]
    return user


def build_world(
    client: TestClient,
    app: Any,
    owner: LoggedInUser,
    admin: LoggedInUser | None = None,
    *,
    params: list[str] | None = None,
) -> World:
    """Create the owner's objects in every mounted domain, or only those `params` need."""
    mounted = {(op.method, op.path) for op in api_operations(app)}
    wanted = None if params is None else {_camel(name) for name in params}
    for step in reversed(SEEDERS):  # pull in what the wanted steps need, e.g. a project
        if wanted is not None and wanted & step.provides:
            wanted |= step.needs
    built = World(owner=owner, admin=admin)
    for step in SEEDERS:
        if step.route in mounted and (wanted is None or wanted & step.provides):
            step.seed(client, owner, built)
    return built


@pytest.fixture(scope="module")
def world(
    client: TestClient,
    app: Any,
    local_aws: LocalAws,
    user_factory: Callable[..., LoggedInUser],
) -> World:
    """The owner's objects in every mounted domain, and an admin who can see the waitlist."""
    admin = make_admin(client, user_factory(), local_aws)
    return build_world(client, app, user_factory(), admin)


@pytest.fixture(scope="module")
def intruder(user_factory: Callable[..., LoggedInUser]) -> LoggedInUser:
    """A second, ordinary user who tries the owner's ids."""
    return user_factory()


def fill_path(op: Operation, ids: dict[str, str]) -> str:
    """Fill the operation's path from the world, failing loudly on an unknown parameter."""
    unknown = [name for name in op.params if name not in ids]
    if unknown:
        pytest.fail(
            f"{op.label}: no fixture knows how to fill {unknown}; add a seeder to "
            "tests/reliability/conftest.py so this route is covered by the matrix"
        )
    return op.fill(ids)


@pytest.fixture
def captured_logs() -> Iterator[LogCapture]:
    """Capture every log line written during the test."""
    with capture_logs() as capture:
        yield capture
