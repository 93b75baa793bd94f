"""Goal routes: thin endpoints over the services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.ai import service as ai_service
from app.core.deps import CurrentUser, IdempotencyKey, IfMatch, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page
from app.core.versioning import etag
from app.goals import plan, progress, service, summary_service
from app.goals.schemas import (
    GoalCategory,
    GoalCreate,
    GoalRead,
    GoalStatus,
    GoalSummary,
    GoalUpdate,
    ProgressCreate,
    ProgressRead,
)

router = APIRouter(prefix="/goals", tags=["goals"])

GoalId = Annotated[str, id_path("goalId")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalRead,
    responses=error_responses(409, 422),
)
def create_goal(
    body: GoalCreate, user: CurrentUser, idempotency_key: IdempotencyKey = None
) -> GoalRead:
    """Create a goal; it starts active with currentValue 0."""
    return service.create_goal(owner_id=user.sub, body=body, idempotency_key=idempotency_key)


@router.get("", response_model=Page[GoalRead], responses=error_responses(400))
def list_goals(
    user: CurrentUser,
    page: PageQuery,
    status_filter: Annotated[GoalStatus | None, Query(alias="status")] = None,
    category: Annotated[GoalCategory | None, Query()] = None,
) -> Page[GoalRead]:
    """List the caller's goals, newest first, optionally of one status and/or category."""
    return service.list_goals(
        owner_id=user.sub,
        status=status_filter,
        category=category,
        limit=page.limit,
        cursor=page.cursor,
    )


# Declared before /{goalId} so that "summary" is never taken for a goal id.
@router.get("/summary", response_model=GoalSummary)
def get_goal_summary(user: CurrentUser) -> GoalSummary:
    """Return the caller's goal statistics; updated from the queue, so eventually consistent."""
    return summary_service.get_summary(owner_id=user.sub)


@router.get("/{goalId}", response_model=GoalRead, responses=error_responses(404))
def get_goal(goal_id: GoalId, user: CurrentUser, response: Response) -> GoalRead:
    """Return one goal, with its version as the ETag."""
    goal = service.get_goal(owner_id=user.sub, goal_id=goal_id)
    response.headers["ETag"] = etag(goal.version)
    return goal


@router.patch("/{goalId}", response_model=GoalRead, responses=error_responses(404, 409, 422))
def update_goal(
    goal_id: GoalId,
    body: GoalUpdate,
    user: CurrentUser,
    response: Response,
    if_match: IfMatch = None,
) -> GoalRead:
    """Change a goal at the version given in the body or If-Match."""
    goal = service.update_goal(owner_id=user.sub, goal_id=goal_id, body=body, if_match=if_match)
    response.headers["ETag"] = etag(goal.version)
    return goal


@router.delete(
    "/{goalId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404, 409),
)
def delete_goal(goal_id: GoalId, user: CurrentUser) -> Response:
    """Delete a goal and its progress entries."""
    service.delete_goal(owner_id=user.sub, goal_id=goal_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{goalId}/progress",
    status_code=status.HTTP_201_CREATED,
    response_model=ProgressRead,
    responses=error_responses(404, 409, 422),
)
def add_goal_progress(
    goal_id: GoalId,
    body: ProgressCreate,
    user: CurrentUser,
    idempotency_key: IdempotencyKey = None,
) -> ProgressRead:
    """Log progress; reaching the target completes the goal (409 if it is archived)."""
    return progress.add_progress(
        owner_id=user.sub, goal_id=goal_id, body=body, idempotency_key=idempotency_key
    )


@router.get(
    "/{goalId}/progress", response_model=Page[ProgressRead], responses=error_responses(400, 404)
)
def list_goal_progress(goal_id: GoalId, user: CurrentUser, page: PageQuery) -> Page[ProgressRead]:
    """List a goal's progress entries, newest first."""
    return progress.list_progress(
        owner_id=user.sub, goal_id=goal_id, limit=page.limit, cursor=page.cursor
    )


@router.post(
    "/{goalId}/plan",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ai_service.AiJobAccepted,
    responses=error_responses(404, 409, 422, 429, 503),
)
def generate_goal_plan(
    goal_id: GoalId,
    user: CurrentUser,
    response: Response,
    body: ai_service.GenerateInstructions | None = None,
    idempotency_key: IdempotencyKey = None,
) -> ai_service.AiJobAccepted:
    """Queue an AI coaching plan for the goal; it is stored on the goal as `plan`."""
    return plan.generate_plan(
        owner_id=user.sub,
        goal_id=goal_id,
        body=body,
        idempotency_key=idempotency_key,
        response=response,
    )
