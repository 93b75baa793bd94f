"""Asset errors."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound, ValidationFailed


class AssetNotFound(NotFound):
    """The asset does not exist, is not the caller's, or has expired."""

    message = "Asset not found."


class ContentTypeNotAllowed(ValidationFailed):
    """The declared content type is not on the allow-list."""

    message = "This content type is not allowed."


class FileTooLarge(ValidationFailed):
    """The declared size exceeds the configured maximum."""

    message = "The file is larger than the maximum upload size."


class UploadMissing(Conflict):
    """No object has been uploaded for the asset yet."""

    message = "No uploaded object was found for this asset."


class UploadMismatch(Conflict):
    """The uploaded object's size or type differs from what was declared."""

    message = "The uploaded object does not match the declared size or content type."


class AssetNotUploaded(Conflict):
    """The asset cannot be downloaded before its upload is confirmed."""

    message = "The asset has not been uploaded yet."
