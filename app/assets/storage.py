"""S3 calls for assets: presigned POST and GET, HEAD and DELETE on one bucket."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from botocore.exceptions import ClientError

from app.core import aws
from app.core.config import get_settings

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


@dataclass(frozen=True)
class PresignedPost:
    """Where and with which form fields to POST a file."""

    url: str
    fields: dict[str, str]


@dataclass(frozen=True)
class StoredObject:
    """What HEAD says about an object."""

    size: int
    content_type: str


def _s3() -> S3Client:
    s3: S3Client = aws.client("s3")
    return s3


def _bucket() -> str:
    return get_settings().assets_bucket


def presign_post(*, key: str, content_type: str, size: int, expires_in: int) -> PresignedPost:
    """Sign a POST that accepts exactly this key, content type and size (no network call)."""
    response = _s3().generate_presigned_post(
        Bucket=_bucket(),
        Key=key,
        Fields={"Content-Type": content_type},
        Conditions=[
            ["eq", "$key", key],
            ["eq", "$Content-Type", content_type],
            ["content-length-range", size, size],
        ],
        ExpiresIn=expires_in,
    )
    return PresignedPost(
        url=response["url"], fields={k: str(v) for k, v in response["fields"].items()}
    )


def presign_get(*, key: str, file_name: str, content_type: str, expires_in: int) -> str:
    """Sign a GET that downloads the object as an attachment with its stored type."""
    params: dict[str, Any] = {
        "Bucket": _bucket(),
        "Key": key,
        "ResponseContentDisposition": content_disposition(file_name),
        "ResponseContentType": content_type,
    }
    url: str = _s3().generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
    return url


def head(key: str) -> StoredObject | None:
    """Return the object's size and type, or None if it does not exist."""
    try:
        response = _s3().head_object(Bucket=_bucket(), Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
            return None
        raise
    return StoredObject(
        size=int(response["ContentLength"]), content_type=response.get("ContentType", "")
    )


def read_start(key: str, max_bytes: int) -> bytes | None:
    """Return at most the first max_bytes of the object, or None if it does not exist."""
    try:
        response = _s3().get_object(Bucket=_bucket(), Key=key, Range=f"bytes=0-{max_bytes - 1}")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in _MISSING_CODES | {"NoSuchKey"}:
            return None
        raise
    data: bytes = response["Body"].read(max_bytes)
    return data


def delete(key: str) -> None:
    """Delete the object; deleting a missing object succeeds."""
    _s3().delete_object(Bucket=_bucket(), Key=key)


def content_disposition(file_name: str) -> str:
    """Build an RFC 6266 attachment header: an ASCII fallback, plus filename* when needed."""
    fallback = "".join(
        ch if " " <= ch <= "~" and ch not in '"\\%' else "_" for ch in file_name
    ).strip()
    header = f'attachment; filename="{fallback or "file"}"'
    if fallback != file_name:
        header += f"; filename*=UTF-8''{quote(file_name, safe='')}"
    return header
