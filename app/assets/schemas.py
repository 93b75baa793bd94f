"""Asset request and response models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import SANITISED, RequestModel, ResponseModel

AssetStatus = Literal["pending", "uploaded", "failed"]

# S3 caps a single POST upload at 5 GB; the configured maximum is checked in the service.
S3_POST_MAX_BYTES = 5 * 1024**3
# Raw names may be long or hostile; they are sanitised down to MAX_FILE_NAME_LENGTH, not refused.
MAX_RAW_FILE_NAME_LENGTH = 1024
MAX_FILE_NAME_LENGTH = 255

ContentType = Annotated[
    str,
    StringConstraints(
        min_length=3, max_length=255, pattern=r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$"
    ),
]


class AssetCreate(RequestModel):
    """A file the client is about to upload."""

    file_name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_RAW_FILE_NAME_LENGTH,
            description="Kept only as sanitised metadata; never part of the object key.",
        ),
        SANITISED,  # naming.py strips control and bidi characters rather than refusing them
    ]
    content_type: Annotated[
        ContentType, Field(description="One of the allowed types, e.g. application/pdf.")
    ]
    size: Annotated[
        int,
        Field(
            ge=1,
            le=S3_POST_MAX_BYTES,
            description="Exact size in bytes; at most UPLOAD_MAX_BYTES (25 MiB by default).",
        ),
    ]


class AssetRead(ResponseModel):
    """An asset's metadata."""

    asset_id: str
    file_name: str
    content_type: str
    size: int
    status: AssetStatus
    version: int
    created_at: str
    updated_at: str
    uploaded_at: str | None = None
    expires_at: str = Field(description="When the record and its object expire.")


class UploadTarget(ResponseModel):
    """A presigned POST: send `fields` and then the file as multipart/form-data to `url`."""

    url: str
    method: Literal["POST"] = "POST"
    fields: dict[str, str]
    expires_at: str


class AssetCreated(ResponseModel):
    """A new pending asset and where to upload its bytes."""

    asset: AssetRead
    upload: UploadTarget


class DownloadLink(ResponseModel):
    """A presigned GET for an uploaded asset."""

    url: str
    expires_at: str
