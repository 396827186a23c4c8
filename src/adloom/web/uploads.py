"""Dashboard uploads: thin adapters over the shared validator (``adloom.uploads``).

Every file is validated (size capped while reading at ``settings.max_upload_mb``, type sniffed
from the bytes, images fully decoded, polyglots refused) before anything is stored.
"""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from adloom.clip_uploads import ClipLimits, ValidatedClip, looks_like_video, validate_clip_upload
from adloom.uploads import ValidatedUpload, validate_upload

CheckedUpload = ValidatedUpload


def check_image(upload: UploadFile, max_mb: int) -> ValidatedUpload:
    return validate_upload(upload.filename or "image", upload.file, kind="image", max_bytes=max_mb * 1024 * 1024)


def check_clip(upload: UploadFile, limits: ClipLimits, folder: Path) -> ValidatedClip:
    """A video clip from a file input, checked and written into ``folder``."""
    return validate_clip_upload(upload.filename or "clip.mp4", upload.file, folder=folder, limits=limits)


def is_clip(upload: UploadFile) -> bool:
    """Whether a file chosen beside a brief is a video clip (by its bytes or its name)."""
    head = upload.file.read(64)
    upload.file.seek(0)
    return looks_like_video(upload.filename or "", head)


def check_brief(upload: UploadFile, max_mb: int) -> ValidatedUpload:
    return validate_upload(upload.filename or "brief", upload.file, kind="brief", max_bytes=max_mb * 1024 * 1024)


def present(upload: UploadFile | None) -> bool:
    return upload is not None and bool(upload.filename)


def form_files(form: FormData, name: str) -> list[UploadFile]:
    """The files chosen in the form's file input ``name`` (empty inputs left out).

    Starlette's form parser returns ``starlette.datastructures.UploadFile``; FastAPI's
    ``UploadFile`` is a subclass of it, so an ``isinstance`` test against FastAPI's class is
    always false for a parsed form and silently drops every file.
    """
    return [item for item in form.getlist(name) if isinstance(item, UploadFile) and present(item)]


def form_file(form: FormData, name: str) -> UploadFile | None:
    """The one file chosen in the form's file input ``name``, or None."""
    files = form_files(form, name)
    return files[0] if files else None
