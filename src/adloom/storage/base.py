"""File storage: one small interface, a local content-addressed default, S3 when configured."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    checksum: str  # sha256 hex


class Storage(Protocol):
    """Content-addressed blobs: the key is derived from the bytes, so a re-put is a no-op."""

    def put_file(self, path: Path, *, suffix: str = "") -> StoredFile: ...

    def put_bytes(self, data: bytes, *, suffix: str = "") -> StoredFile: ...

    def open_stream(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]: ...

    def size(self, key: str) -> int: ...

    def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path | None:
        """A filesystem path for the blob when the store is local, else None."""
        ...

    def delete(self, key: str) -> None: ...


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def key_for(checksum: str, suffix: str) -> str:
    suffix = suffix if not suffix or suffix.startswith(".") else f".{suffix}"
    return f"{checksum[:2]}/{checksum[2:4]}/{checksum}{suffix.lower()}"
