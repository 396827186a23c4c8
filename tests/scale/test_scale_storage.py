"""One storage contract, run against the local store and S3 (moto's server on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adloom.errors import AssetNotFound, StorageError, ValidationError
from adloom.storage import LocalStorage, make_storage
from adloom.storage.s3 import S3Location, S3Storage

FAKE_AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in FAKE_AWS.items():
            patch.setenv(key, value)
        yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "local":
        return make_storage(str(tmp_path / "files"), tmp_path)
    endpoint = request.getfixturevalue("moto_endpoint")
    bucket = f"b-{os.urandom(4).hex()}"
    storage = make_storage(f"s3://{bucket}/adloom/assets?endpoint_url={endpoint}&region=us-east-1", tmp_path)
    assert isinstance(storage, S3Storage)
    storage.ensure_bucket()
    return storage


BLOB = bytes(range(256)) * 1000  # 256 000 bytes, several stream chunks


class TestStorageContract:
    def test_put_bytes_is_content_addressed(self, store: Any) -> None:
        stored = store.put_bytes(BLOB, suffix="bin")
        digest = hashlib.sha256(BLOB).hexdigest()
        assert stored.key == f"{digest[:2]}/{digest[2:4]}/{digest}.bin"
        assert (stored.size, stored.checksum) == (len(BLOB), digest)
        assert store.put_bytes(BLOB, suffix=".bin") == stored  # a re-put is a no-op
        assert store.exists(stored.key) and store.size(stored.key) == len(BLOB)

    def test_put_file_matches_put_bytes(self, store: Any, tmp_path: Path) -> None:
        path = tmp_path / "photo.PNG"
        path.write_bytes(b"\x89PNG fake")
        stored = store.put_file(path)
        assert stored.key.endswith(".png") and stored.checksum == hashlib.sha256(b"\x89PNG fake").hexdigest()
        assert b"".join(store.open_stream(stored.key)) == b"\x89PNG fake"

    @pytest.mark.parametrize(("start", "end"), [(0, None), (0, 0), (10, 99), (65_530, 65_545), (255_990, None), (255_999, 255_999)])
    def test_ranges(self, store: Any, start: int, end: int | None) -> None:
        key = store.put_bytes(BLOB).key
        expected = BLOB[start:] if end is None else BLOB[start:end + 1]
        assert b"".join(store.open_stream(key, start=start, end=end)) == expected

    def test_range_past_the_end_is_empty(self, store: Any) -> None:
        key = store.put_bytes(b"short").key
        assert b"".join(store.open_stream(key, start=100)) == b""

    def test_missing_key(self, store: Any) -> None:
        assert not store.exists("00/00/missing.bin")
        with pytest.raises(AssetNotFound):
            store.size("00/00/missing.bin")
        with pytest.raises(AssetNotFound):
            b"".join(store.open_stream("00/00/missing.bin"))

    def test_delete(self, store: Any) -> None:
        key = store.put_bytes(b"bye").key
        store.delete(key)
        assert not store.exists(key)
        store.delete(key)  # deleting twice is fine

    def test_local_path(self, store: Any) -> None:
        key = store.put_bytes(b"here").key
        path = store.local_path(key)
        if isinstance(store, LocalStorage):
            assert path is not None and path.read_bytes() == b"here"
        else:
            assert path is None


class TestS3Only:
    def test_presigned_url_downloads_the_object_and_expires_in_the_query(self, moto_endpoint: str, tmp_path: Path) -> None:
        storage = S3Storage.from_url(f"s3://signed/p?endpoint_url={moto_endpoint}&region=us-east-1")
        storage.ensure_bucket()
        key = storage.put_bytes(BLOB, suffix=".bin").key
        url = storage.presigned_url(key, expires=120)
        assert "X-Amz-Expires=120" in url and "/signed/p/" in url
        response = httpx.get(url)
        assert response.status_code == 200 and response.content == BLOB
        ranged = httpx.get(url, headers={"Range": "bytes=0-9"})
        assert ranged.content == BLOB[:10]

    def test_objects_live_under_the_prefix(self, moto_endpoint: str) -> None:
        storage = S3Storage.from_url(f"s3://prefixed/a/b?endpoint_url={moto_endpoint}")
        storage.ensure_bucket()
        key = storage.put_bytes(b"x").key
        listed = storage.client.list_objects_v2(Bucket="prefixed")["Contents"]
        assert [item["Key"] for item in listed] == [f"a/b/{key}"]

    def test_unreachable_endpoint_is_a_clear_storage_error(self) -> None:
        storage = S3Storage.from_url(f"s3://nowhere?endpoint_url=http://127.0.0.1:{free_port()}&region=us-east-1")
        with pytest.raises(StorageError, match="Could not reach bucket 'nowhere' in S3 storage") as info:
            storage.check()
        assert "adloom doctor" in str(info.value.hint)

    def test_url_parsing(self) -> None:
        loc = S3Location.parse("s3://bkt/x/y/?endpoint_url=http://h:9000&region=eu-west-1")
        assert loc == S3Location(bucket="bkt", prefix="x/y", endpoint_url="http://h:9000", region="eu-west-1")
        with pytest.raises(ValidationError):
            S3Location.parse("s3:///nobucket")


def test_a_project_runs_end_to_end_on_s3(moto_endpoint: str, tmp_path: Path) -> None:
    """Campaign photos and every asset live in S3; inputs are materialised for the generator."""
    from factories import make_campaign, make_settings, make_workspace
    from helpers_scale import assert_consistent

    from adloom.pipeline import service as pipeline
    from adloom.pipeline.runtime import Runtime

    url = f"s3://e2e-{os.urandom(3).hex()}/adloom?endpoint_url={moto_endpoint}&region=us-east-1"
    S3Storage.from_url(url).ensure_bucket()
    rt = Runtime(make_settings(tmp_path, storage_url=url), migrate=True)
    try:
        assert isinstance(rt.storage, S3Storage)
        ws = make_workspace(rt)
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=make_campaign(rt, ws), kind="banner", options={},
                                autopilot=True)
        assert rt.wait_for(pid).status == "completed"
        assert_consistent(rt, ws, [pid])
        keys = [item["Key"] for item in rt.storage.client.list_objects_v2(Bucket=rt.storage.location.bucket)["Contents"]]
        assert len(keys) >= 3 and all(key.startswith("adloom/") for key in keys)  # photos + assets
        assert not (tmp_path / "data" / "files").exists()  # nothing went to the local store
    finally:
        rt.close()
