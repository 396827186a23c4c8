"""Storage backends, chosen by the ``ADLOOM_STORAGE_URL`` scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from adloom.errors import ValidationError
from adloom.storage.base import Storage, StoredFile
from adloom.storage.local import LocalStorage

__all__ = ["LocalStorage", "Storage", "StoredFile", "make_storage"]


def _local(url: str, data_dir: Path) -> Storage:
    path = url.removeprefix("file://") if url else str(data_dir / "files")
    return LocalStorage(Path(path))


def _s3(url: str, data_dir: Path) -> Storage:
    from adloom.storage.s3 import S3Storage  # optional backend, imported only when chosen

    return S3Storage.from_url(url)


BACKENDS: dict[str, Callable[[str, Path], Storage]] = {"": _local, "file": _local, "s3": _s3}


def make_storage(url: str, data_dir: Path) -> Storage:
    scheme = url.split("://", 1)[0] if "://" in url else ""
    try:
        factory = BACKENDS[scheme]
    except KeyError:
        raise ValidationError(
            f"ADLOOM_STORAGE_URL has an unknown scheme '{scheme}'.", hint="Use a folder path, file://… or s3://…"
        ) from None
    return factory(url, data_dir)
