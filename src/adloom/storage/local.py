"""Local, content-addressed file storage under ``<data_dir>/files``."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from adloom.errors import AssetNotFound, StorageError
from adloom.storage.base import StoredFile, key_for, sha256_file


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise AssetNotFound("That file does not exist.", key=key)
        return path

    def _install(self, source: Path, checksum: str, suffix: str, *, move: bool) -> StoredFile:
        key = key_for(checksum, suffix)
        target = self._path(key)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            # Write to a temporary name in the same folder, then rename: never a half file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            os.close(fd)
            try:
                (shutil.move if move else shutil.copyfile)(str(source), tmp)
                os.replace(tmp, target)
            except OSError as exc:
                Path(tmp).unlink(missing_ok=True)
                raise StorageError(f"Could not store a file: {exc.strerror or exc}.", hint="Check free disk space.") from exc
        return StoredFile(key=key, size=target.stat().st_size, checksum=checksum)

    def put_file(self, path: Path, *, suffix: str = "") -> StoredFile:
        return self._install(path, sha256_file(path), suffix or path.suffix, move=False)

    def put_bytes(self, data: bytes, *, suffix: str = "") -> StoredFile:
        checksum = hashlib.sha256(data).hexdigest()
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".in-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            return self._install(Path(tmp), checksum, suffix, move=True)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def open_stream(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        path = self._path(key)
        if not path.exists():
            raise AssetNotFound("That file is missing from storage.", key=key)
        remaining = (end + 1 - start) if end is not None else None
        with path.open("rb") as handle:
            handle.seek(start)
            while remaining is None or remaining > 0:
                chunk = handle.read(min(1 << 16, remaining) if remaining is not None else 1 << 16)
                if not chunk:
                    break
                if remaining is not None:
                    remaining -= len(chunk)
                yield chunk

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise AssetNotFound("That file is missing from storage.", key=key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
