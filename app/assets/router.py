"""Asset routes: thin endpoints over the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.assets import service
from app.assets.schemas import AssetCreate, AssetCreated, AssetRead, AssetStatus, DownloadLink
from app.core.deps import CurrentUser, IdempotencyKey, id_path
from app.core.openapi import error_responses
from app.core.pagination import PageQuery
from app.core.schemas import Page

router = APIRouter(prefix="/assets", tags=["assets"])

AssetId = Annotated[str, id_path("assetId")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=AssetCreated,
    responses=error_responses(409, 422),
)
def create_asset(
    body: AssetCreate, user: CurrentUser, idempotency_key: IdempotencyKey = None
) -> AssetCreated:
    """Register a file and get a presigned POST to upload it straight to S3."""
    return service.create_asset(owner_id=user.sub, body=body, idempotency_key=idempotency_key)


@router.get("", response_model=Page[AssetRead], responses=error_responses(400))
def list_assets(
    user: CurrentUser,
    page: PageQuery,
    status_filter: Annotated[AssetStatus | None, Query(alias="status")] = None,
) -> Page[AssetRead]:
    """List the caller's assets, newest first."""
    return service.list_assets(
        owner_id=user.sub, status=status_filter, limit=page.limit, cursor=page.cursor
    )


@router.get("/{assetId}", response_model=AssetRead, responses=error_responses(404))
def get_asset(asset_id: AssetId, user: CurrentUser) -> AssetRead:
    """Return one asset."""
    return service.get_asset(owner_id=user.sub, asset_id=asset_id)


@router.post("/{assetId}/complete", response_model=AssetRead, responses=error_responses(404, 409))
def complete_asset_upload(asset_id: AssetId, user: CurrentUser) -> AssetRead:
    """Confirm the upload: the object must exist with the declared size and type."""
    return service.complete_upload(owner_id=user.sub, asset_id=asset_id)


@router.get("/{assetId}/download", response_model=DownloadLink, responses=error_responses(404, 409))
def download_asset(asset_id: AssetId, user: CurrentUser) -> DownloadLink:
    """Return a short-lived presigned GET for an uploaded asset."""
    return service.download_link(owner_id=user.sub, asset_id=asset_id)


@router.delete(
    "/{assetId}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=error_responses(404),
)
def delete_asset(asset_id: AssetId, user: CurrentUser) -> Response:
    """Delete the object and the record."""
    service.delete_asset(owner_id=user.sub, asset_id=asset_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
