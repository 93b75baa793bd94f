"""The auth domain end to end on the emulated Cognito."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, LoggedInUser, unique_email


def test_register_user_returns_confirmed_account(client: TestClient) -> None:
    # Given a new email
    email = unique_email()
    # When it registers
    response = client.post(
        "/auth/register", json={"email": email, "password": PASSWORD, "name": "A"}
    )
    # Then the account exists and is confirmed (local auto-confirm)
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == email and body["confirmed"] is True and body["userId"]
    assert response.headers["x-request-id"]


def test_register_user_normalises_email_case(client: TestClient) -> None:
    email = unique_email()
    response = client.post(
        "/auth/register", json={"email": email.upper(), "password": PASSWORD, "name": "A"}
    )
    assert response.status_code == 201
    assert response.json()["email"] == email


def test_register_user_with_taken_email_conflicts(client: TestClient, user: LoggedInUser) -> None:
    response = client.post(
        "/auth/register", json={"email": user.email, "password": PASSWORD, "name": "B"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_register_user_with_weak_password_is_rejected(client: TestClient) -> None:
    response = client.post(
        "/auth/register", json={"email": unique_email(), "password": "alllowercase", "name": "C"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_register_user_with_unknown_field_is_rejected(client: TestClient) -> None:
    response = client.post(
        "/auth/register",
        json={"email": unique_email(), "password": PASSWORD, "name": "C", "groups": ["admin"]},
    )
    assert response.status_code == 422


def test_login_user_with_wrong_password_is_unauthorized(
    client: TestClient, user: LoggedInUser
) -> None:
    response = client.post("/auth/login", json={"email": user.email, "password": "Wrong-Pass-1"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_login_unknown_user_looks_like_wrong_password(client: TestClient) -> None:
    response = client.post("/auth/login", json={"email": unique_email(), "password": PASSWORD})
    assert response.status_code == 401


def test_login_unconfirmed_user_is_forbidden(client: TestClient, local_aws: object) -> None:
    from app.core import aws
    from app.core.config import get_settings

    email = unique_email()
    settings = get_settings()
    aws.client("cognito-idp").sign_up(
        ClientId=settings.cognito_client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    response = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "user_not_confirmed"
    # A wrong code is refused; the code from the local mailbox makes login work.
    from app.local import mailbox

    code = mailbox.latest_code("confirmation", email)
    assert code is not None
    wrong = client.post(
        "/auth/confirm", json={"email": email, "code": f"{(int(code) + 1) % 10**6:06d}"}
    )
    assert wrong.status_code == 400
    confirmed = client.post("/auth/confirm", json={"email": email, "code": code})
    assert confirmed.status_code == 200 and confirmed.json() == {"confirmed": True}
    assert (
        client.post("/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
    )


def test_get_me_returns_profile(
    client: TestClient, user_factory: Callable[..., LoggedInUser]
) -> None:
    user = user_factory(name="Ada Lovelace")
    response = client.get("/auth/me", headers=user.headers)
    assert response.status_code == 200
    assert response.json() == {
        "userId": user.sub,
        "email": user.email,
        "name": "Ada Lovelace",
        "groups": [],
    }


def test_get_me_shows_admin_group(client: TestClient, admin_user: LoggedInUser) -> None:
    response = client.get("/auth/me", headers=admin_user.headers)
    assert response.json()["groups"] == ["admin"]


def test_refresh_token_issues_new_access_token(client: TestClient, user: LoggedInUser) -> None:
    response = client.post("/auth/refresh", json={"refreshToken": user.refresh_token})
    assert response.status_code == 200
    body = response.json()
    assert body["tokenType"] == "Bearer" and body["expiresIn"] > 0
    assert (
        client.get(
            "/auth/me", headers={"Authorization": f"Bearer {body['accessToken']}"}
        ).status_code
        == 200
    )


def test_refresh_with_garbage_token_is_unauthorized(client: TestClient) -> None:
    response = client.post("/auth/refresh", json={"refreshToken": "not-a-token"})
    assert response.status_code == 401


def test_logout_revokes_refresh_token(client: TestClient, user: LoggedInUser) -> None:
    response = client.post("/auth/logout", headers=user.headers)
    assert response.status_code == 204
    assert (
        client.post("/auth/refresh", json={"refreshToken": user.refresh_token}).status_code == 401
    )


def test_forgot_password_answers_the_same_for_unknown_email(
    client: TestClient, user: LoggedInUser
) -> None:
    known = client.post("/auth/password/forgot", json={"email": user.email})
    unknown = client.post("/auth/password/forgot", json={"email": unique_email()})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_reset_password_with_code_changes_password(client: TestClient, user: LoggedInUser) -> None:
    from app.core import aws
    from app.core.config import get_settings

    # The API never reveals the code; moto hands it back in a header on the direct call.
    response = aws.client("cognito-idp").forgot_password(
        ClientId=get_settings().cognito_client_id, Username=user.email
    )
    code = response["ResponseMetadata"]["HTTPHeaders"]["x-moto-forgot-password-confirmation-code"]
    new_password = "Another-Pass-7"
    reset = client.post(
        "/auth/password/reset",
        json={"email": user.email, "code": code, "newPassword": new_password},
    )
    assert reset.status_code == 204, reset.text
    assert (
        client.post("/auth/login", json={"email": user.email, "password": new_password}).status_code
        == 200
    )
    old = client.post("/auth/login", json={"email": user.email, "password": user.password})
    assert old.status_code == 401


def test_reset_password_with_wrong_code_is_bad_request(
    client: TestClient, user: LoggedInUser
) -> None:
    from app.core import aws
    from app.core.config import get_settings

    aws.client("cognito-idp").forgot_password(
        ClientId=get_settings().cognito_client_id, Username=user.email
    )
    # moto only checks codes in its own format, so the wrong code must look like one.
    reset = client.post(
        "/auth/password/reset",
        json={
            "email": user.email,
            "code": "moto-confirmation-code:1",
            "newPassword": "Another-Pass-7",
        },
    )
    assert reset.status_code == 400
    assert reset.json()["error"]["code"] == "bad_request"


def test_health_is_public(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_me_without_token_is_unauthorized_with_challenge(client: TestClient) -> None:
    response = client.get("/auth/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["requestId"] == response.headers["x-request-id"]
