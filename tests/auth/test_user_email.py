"""The auth service finds a user's email address by sub, for emails sent from the queue."""

from __future__ import annotations

import uuid

from app.auth import service as auth_service
from tests.conftest import LoggedInUser


def test_user_email_finds_cognito_user_by_sub(user: LoggedInUser) -> None:
    assert auth_service.user_email(user.sub) == user.email


def test_user_email_of_a_deleted_or_unknown_user_is_none(user: LoggedInUser) -> None:
    assert auth_service.user_email(str(uuid.uuid4())) is None
