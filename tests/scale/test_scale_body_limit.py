"""A 2 GB request body is refused with 413 before it is read, by Content-Length or while streaming."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from factories import make_settings
from fastapi.testclient import TestClient

from adloom.app import create_app
from adloom.pipeline.runtime import Runtime
from adloom.uploads import BodySizeLimit

MB = 1 << 20


async def _reader(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An app that reads its whole body, as a multipart parser would."""
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(size).encode()})


def call(app: Any, headers: list[tuple[bytes, bytes]], total: int) -> tuple[list[dict[str, Any]], int]:
    pulled = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        chunk = min(MB, total - pulled)
        pulled += chunk
        return {"type": "http.request", "body": b"\0" * chunk, "more_body": pulled < total}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/upload", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent, pulled


def test_chunked_two_gigabytes_stop_right_after_the_limit() -> None:
    sent, pulled = call(BodySizeLimit(_reader, max_bytes=100 * MB), [], 2048 * MB)
    assert sent[0]["status"] == 413 and pulled == 101 * MB  # 1.9 GB never read
    body = json.loads(sent[1]["body"])
    assert body["error"]["code"] == "upload_too_large" and "100.0 MiB upload limit" in body["error"]["message"]


def test_declared_two_gigabytes_are_refused_without_reading_anything() -> None:
    sent, pulled = call(BodySizeLimit(_reader, max_bytes=100 * MB), [(b"content-length", str(2048 * MB).encode())], 2048 * MB)
    assert (sent[0]["status"], pulled) == (413, 0)
    assert "(2048.0 MiB) is larger than the 100.0 MiB" in json.loads(sent[1]["body"])["error"]["message"]


def test_bodies_within_the_limit_pass() -> None:
    sent, pulled = call(BodySizeLimit(_reader, max_bytes=100 * MB), [], 3 * MB)
    assert (sent[0]["status"], sent[1]["body"], pulled) == (200, str(3 * MB).encode(), 3 * MB)


def test_the_app_refuses_a_declared_huge_upload(tmp_path: Path) -> None:
    # a request may carry four photos and one clip: 4 x 1 MiB + 1 MiB here
    rt = Runtime(make_settings(tmp_path, max_upload_mb=1, max_clip_mb=1), migrate=True)
    try:
        with TestClient(create_app(rt.settings, runtime=rt, workers=False)) as client:
            response = client.post("/dashboard/campaigns/upload", content=b"x" * (5 * MB + 1),
                                   headers={"content-type": "multipart/form-data; boundary=b"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "upload_too_large"
        assert not (rt.settings.data_dir / "files").exists() or not any((rt.settings.data_dir / "files").rglob("*.*"))
    finally:
        rt.close()
