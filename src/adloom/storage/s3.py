"""S3-compatible storage (AWS S3, MinIO, Ceph, R2, moto...), chosen by ``ADLOOM_STORAGE_URL``.

``s3://bucket/prefix?endpoint_url=http://127.0.0.1:9000&region=us-east-1`` — credentials come
from the usual AWS chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a profile, an
instance role); they never belong in the URL. Keys are content-addressed exactly like the local
store, so a re-put is a no-op and an object only appears once its upload completed (S3 PUTs are
atomic): there is never a half-written asset.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from adloom.errors import AssetNotFound, StorageError, ValidationError
from adloom.storage.base import StoredFile, key_for, sha256_file

CHUNK = 1 << 16
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValidationError(
                f"'{url}' is not an S3 storage URL.",
                hint="Use s3://bucket/prefix?endpoint_url=https://…&region=…",
            )
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return cls(
            bucket=parts.netloc,
            prefix=parts.path.strip("/"),
            endpoint_url=query.get("endpoint_url") or None,
            region=query.get("region") or query.get("region_name") or None,
        )


class S3Storage:
    """The :class:`adloom.storage.base.Storage` protocol on an S3 bucket, plus signed URLs."""

    def __init__(self, location: S3Location, *, client: Any = None) -> None:
        self.location = location
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> S3Storage:
        return cls(S3Location.parse(url))

    @property
    def client(self) -> Any:
        if self._client is None:  # created on first use: no network at construction
            import boto3
            from botocore.config import Config

            loc = self.location
            self._client = boto3.client(
                "s3",
                endpoint_url=loc.endpoint_url,
                region_name=loc.region,
                config=Config(retries={"max_attempts": 5, "mode": "standard"}, connect_timeout=5, read_timeout=60,
                              signature_version="s3v4"),
            )
        return self._client

    def _object(self, key: str) -> str:
        return f"{self.location.prefix}/{key}" if self.location.prefix else key

    # ------------------------------------------------------------------ writing

    def put_file(self, path: Path, *, suffix: str = "") -> StoredFile:
        checksum = sha256_file(path)
        key = key_for(checksum, suffix or path.suffix)
        size = path.stat().st_size
        if not self._exists(key):
            with _mapped(f"upload {path.name}"):
                self.client.upload_file(str(path), self.location.bucket, self._object(key))
        return StoredFile(key=key, size=size, checksum=checksum)

    def put_bytes(self, data: bytes, *, suffix: str = "") -> StoredFile:
        checksum = hashlib.sha256(data).hexdigest()
        key = key_for(checksum, suffix)
        if not self._exists(key):
            with _mapped("upload a file"):
                self.client.put_object(Bucket=self.location.bucket, Key=self._object(key), Body=data)
        return StoredFile(key=key, size=len(data), checksum=checksum)

    def delete(self, key: str) -> None:
        with _mapped("delete a file"):
            self.client.delete_object(Bucket=self.location.bucket, Key=self._object(key))

    # ------------------------------------------------------------------ reading

    def open_stream(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Yield the object's bytes ``start..end`` (inclusive, like an HTTP Range)."""
        args: dict[str, Any] = {"Bucket": self.location.bucket, "Key": self._object(key)}
        if start or end is not None:
            args["Range"] = f"bytes={start}-{'' if end is None else end}"
        with _mapped("read a file", key=key):
            try:
                body = self.client.get_object(**args)["Body"]
            except Exception as exc:
                if _error_code(exc) == "InvalidRange":  # asking past the end reads nothing, like a file
                    return
                raise
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def size(self, key: str) -> int:
        head = self._head(key)
        if head is None:
            raise AssetNotFound("That file is missing from storage.", key=key)
        return int(head["ContentLength"])

    def exists(self, key: str) -> bool:
        return self._exists(key)

    def local_path(self, key: str) -> Path | None:
        return None

    def presigned_url(self, key: str, expires: int = 300) -> str:
        """A short-lived URL that lets a browser download the object directly from the store."""
        with _mapped("sign a download link", key=key):
            url: str = self.client.generate_presigned_url(
                "get_object", Params={"Bucket": self.location.bucket, "Key": self._object(key)}, ExpiresIn=expires
            )
        return url

    # ------------------------------------------------------------------ operations

    def check(self) -> None:
        """Raise StorageError unless the bucket is reachable with the configured credentials."""
        with _mapped(f"reach bucket '{self.location.bucket}'"):
            self.client.head_bucket(Bucket=self.location.bucket)

    def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist (development and tests)."""
        try:
            self.check()
        except StorageError:
            with _mapped(f"create bucket '{self.location.bucket}'"):
                self.client.create_bucket(Bucket=self.location.bucket)

    def _head(self, key: str) -> dict[str, Any] | None:
        try:
            with _mapped("look up a file", key=key):
                head: dict[str, Any] = self.client.head_object(Bucket=self.location.bucket, Key=self._object(key))
        except AssetNotFound:
            return None
        return head

    def _exists(self, key: str) -> bool:
        return self._head(key) is not None


def _error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    return str(response.get("Error", {}).get("Code", "")) if isinstance(response, dict) else ""


@contextmanager
def _mapped(action: str, *, key: str | None = None) -> Iterator[None]:
    """Translate botocore errors into Adloom errors at the adapter boundary."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        if _error_code(exc) in MISSING_CODES and key is not None:
            raise AssetNotFound("That file is missing from storage.", key=key) from exc
        raise StorageError(
            f"Could not {action} in S3 storage: {exc}.",
            hint="Check ADLOOM_STORAGE_URL, the endpoint and the AWS credentials; 'adloom doctor' tests them.",
        ) from exc
