"""Auth routes: the Cognito flows, plus /auth/me."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status

from app.auth import service
from app.auth.schemas import (
    ConfirmRequest,
    ConfirmResponse,
    ForgotPasswordRequest,
    ForgotPasswordResponse,
    LoginRequest,
    MeResponse,
    RefreshRequest,
    RefreshResponse,
    RegisterRequest,
    RegisterResponse,
    ResetPasswordRequest,
    TokenResponse,
)
from app.core.deps import BearerToken, CurrentUser
from app.core.openapi import error_responses
from app.core.ratelimit import canonical_token, rate_limit

public_router = APIRouter(prefix="/auth", tags=["auth"], responses=error_responses(429))
router = APIRouter(prefix="/auth", tags=["auth"])


@public_router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=RegisterResponse,
    responses=error_responses(409),
    dependencies=[Depends(rate_limit("register"))],
)
def register_user(body: RegisterRequest) -> RegisterResponse:
    """Create an account."""
    return service.register(email=str(body.email).lower(), password=body.password, name=body.name)


@public_router.post(
    "/confirm",
    response_model=ConfirmResponse,
    responses=error_responses(400),
    dependencies=[Depends(rate_limit("confirm"))],
)
def confirm_sign_up(body: ConfirmRequest) -> ConfirmResponse:
    """Confirm an account with the emailed code."""
    service.confirm(email=str(body.email).lower(), code=body.code)
    return ConfirmResponse(confirmed=True)


@public_router.post(
    "/login",
    response_model=TokenResponse,
    responses=error_responses(401, 403),
    dependencies=[Depends(rate_limit("login"))],
)
def login(body: LoginRequest) -> TokenResponse:
    """Sign in with email and password."""
    return service.login(email=str(body.email).lower(), password=body.password)


@public_router.post(
    "/refresh",
    response_model=RefreshResponse,
    responses=error_responses(401),
    dependencies=[Depends(rate_limit("refresh", field="refreshToken", canonical=canonical_token))],
)
def refresh_tokens(body: RefreshRequest) -> RefreshResponse:
    """Exchange a refresh token for new access and id tokens."""
    return service.refresh(refresh_token=body.refresh_token)


@public_router.post(
    "/password/forgot",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ForgotPasswordResponse,
    dependencies=[Depends(rate_limit("password_forgot"))],
)
def forgot_password(body: ForgotPasswordRequest) -> ForgotPasswordResponse:
    """Email a reset code if the account exists; the answer is the same either way."""
    service.forgot_password(email=str(body.email).lower())
    return ForgotPasswordResponse(message="If the account exists, a reset code has been sent.")


@public_router.post(
    "/password/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(400),
    dependencies=[Depends(rate_limit("password_reset"))],
)
def reset_password(body: ResetPasswordRequest) -> Response:
    """Set a new password with the emailed code."""
    service.reset_password(
        email=str(body.email).lower(), code=body.code, new_password=body.new_password
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
def logout(_user: CurrentUser, token: BearerToken) -> Response:
    """Sign out everywhere: every refresh token stops working."""
    service.logout(access_token=token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=MeResponse)
def get_current_user_profile(user: CurrentUser, token: BearerToken) -> MeResponse:
    """Return the caller's profile."""
    return service.me(user=user, access_token=token)
