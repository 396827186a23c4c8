"""Dashboard uploads: thin adapters over the shared validator (``adloom.uploads``).

Every file is validated (size capped while reading at ``settings.max_upload_mb``, type sniffed
from the bytes, images fully decoded, polyglots refused) before anything is stored.
"""

from __future__ import annotations

from fastapi import UploadFile

from adloom.uploads import ValidatedUpload, validate_upload

CheckedUpload = ValidatedUpload


def check_image(upload: UploadFile, max_mb: int) -> ValidatedUpload:
    return validate_upload(upload.filename or "image", upload.file, kind="image", max_bytes=max_mb * 1024 * 1024)


def check_brief(upload: UploadFile, max_mb: int) -> ValidatedUpload:
    return validate_upload(upload.filename or "brief", upload.file, kind="brief", max_bytes=max_mb * 1024 * 1024)


def present(upload: UploadFile | None) -> bool:
    return upload is not None and bool(upload.filename)
