"""Shared test harness: one embedded moto server and AI emulator per session, real tokens."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.update(
    {
        "ENVIRONMENT": "test",
        "COGNITO_AUTO_CONFIRM": "true",
        "CORS_ORIGINS": "http://localhost:3000",
        "POWERTOOLS_METRICS_NAMESPACE": "Planforge",
        "POWERTOOLS_DEV": "false",
        # The suite registers many users from one TestClient address; the limits themselves are
        # proven in tests/reliability/test_rate_limits.py with low values on their own app.
        "RATE_LIMIT_PER_IP": "100000",
        "RATE_LIMIT_PER_EMAIL": "1000",
    }
)

from fastapi.testclient import TestClient  # noqa: E402

from app.local.aws_emulator import LocalAws, start_local_aws  # noqa: E402

PASSWORD = "Correct-Horse-9"  # noqa: S105 - test-only password that meets the pool policy


def pytest_configure(config: pytest.Config) -> None:
    """Record the AWS actions app code calls, before any client exists (test_iam_actions.py)."""
    from tests.infra import aws_actions

    aws_actions.install()
    config.addinivalue_line("markers", "last: runs after every other test, to check the run")


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note that the run is not the whole suite (-k, -m, --deselect)."""
    from tests.infra import aws_actions

    aws_actions.whole_suite = aws_actions.whole_suite and not items


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the tests marked `last` to the end, and note whether the whole suite runs."""
    from tests.infra import aws_actions

    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
    tests = aws_actions.ROOT / "tests"
    chosen = [config.invocation_params.dir / arg for arg in config.args]
    aws_actions.whole_suite = aws_actions.whole_suite and all(
        "::" not in str(path) and path.resolve() in (tests, aws_actions.ROOT) for path in chosen
    )


@dataclass
class LoggedInUser:
    """A registered, confirmed and logged-in user."""

    email: str
    password: str
    sub: str
    access_token: str
    id_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        """Return the Authorization header for this user."""
        return {"Authorization": f"Bearer {self.access_token}"}


@pytest.fixture(scope="session")
def local_aws() -> Iterator[LocalAws]:
    """Start and bootstrap the embedded AWS (and AI) emulators for the whole session."""
    ai = None
    extra: dict[str, str] = {}
    try:
        from app.local.ai_emulator import AiEmulator
    except ImportError:  # the AI emulator is optional for the core suite
        pass
    else:
        ai = AiEmulator(port=0)
        url = ai.start()
        extra = {"BEDROCK_ENDPOINT_URL": url, "GEMINI_BASE_URL": url}
    server, local = start_local_aws(extra_env=extra)
    yield local
    server.stop()
    if ai is not None:
        ai.stop()


@pytest.fixture(scope="session")
def moto_url(local_aws: LocalAws) -> str:
    """Return the URL of the embedded moto server."""
    return local_aws.endpoint_url


@pytest.fixture(scope="session")
def app(local_aws: LocalAws) -> Any:
    """Return the app, built once against the emulators."""
    from app.main import create_app

    return create_app()


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    """Return a TestClient for the app."""
    with TestClient(app, raise_server_exceptions=True) as test_client:
        yield test_client


def unique_email(prefix: str = "user") -> str:
    """Return an email no other test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


@pytest.fixture(scope="session")
def user_factory(client: TestClient) -> Callable[..., LoggedInUser]:
    """Return a function that registers and logs in a fresh user through the API."""

    def make(
        email: str | None = None, password: str = PASSWORD, name: str = "Test User"
    ) -> LoggedInUser:
        email = email or unique_email()
        registered = client.post(
            "/auth/register", json={"email": email, "password": password, "name": name}
        )
        assert registered.status_code == 201, registered.text
        tokens = client.post("/auth/login", json={"email": email, "password": password})
        assert tokens.status_code == 200, tokens.text
        body = tokens.json()
        return LoggedInUser(
            email=email,
            password=password,
            sub=registered.json()["userId"],
            access_token=body["accessToken"],
            id_token=body["idToken"],
            refresh_token=body["refreshToken"],
        )

    return make


@pytest.fixture
def user(user_factory: Callable[..., LoggedInUser]) -> LoggedInUser:
    """Return a fresh user."""
    return user_factory()


@pytest.fixture
def other_user(user_factory: Callable[..., LoggedInUser]) -> LoggedInUser:
    """Return a second fresh user, for scoping tests."""
    return user_factory()


@pytest.fixture
def admin_user(
    client: TestClient, user_factory: Callable[..., LoggedInUser], local_aws: LocalAws
) -> LoggedInUser:
    """Return a fresh user in the admin group, logged in after joining it."""
    from app.core import aws

    user = user_factory()
    aws.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=local_aws.user_pool_id, Username=user.email, GroupName="admin"
    )
    tokens = client.post(
        "/auth/login", json={"email": user.email, "password": user.password}
    ).json()
    user.access_token = tokens["accessToken"]
    return user


@pytest.fixture
def drain_queue(local_aws: LocalAws) -> Callable[[], list[dict[str, Any]]]:
    """Return a function that feeds queued jobs to the Lambda handler until the queue is empty."""
    from app.handler import handler
    from app.local.poller import QueuePoller

    poller = QueuePoller(local_aws.jobs_queue_url, handler, retry_delay_seconds=0)
    return poller.drain
