"""Video clips through the API: a multipart brief that names a clip creates a campaign holding
it (stored byte for byte); a clip that is not a real video is refused with its reason and no
campaign is made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from clipgens import ClipRecipe, make_audio_only, make_clip
from fastapi.testclient import TestClient
from helpers_api import BRIEF, Env, auth, make_env

SMALL = ClipRecipe(width=320, height=180, seconds=1.5, box_x0=200, box_speed=10, box=60, box_y=60)


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Iterator[Env]:
    env = make_env(tmp_path, database_url=database_url)
    yield env
    env.rt.close()


def _brief(*clips: str) -> bytes:
    data = {**BRIEF, "product": {**BRIEF["product"], "clips": list(clips)}}
    return yaml.safe_dump(data).encode()


def test_a_brief_with_a_clip_keeps_the_clip(env: Env, tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "pour.mp4", SMALL).read_bytes()
    client, h = TestClient(env.app), auth(env.write_key)
    files = [("brief", ("brief.yaml", _brief("pour.mp4"), "application/yaml")),
             ("files", ("pour.mp4", clip, "video/mp4"))]
    r = client.post("/api/v1/campaigns/brief", headers=h, files=files)
    assert r.status_code == 201, r.text
    keys = r.json()["product"]["clips"]
    assert len(keys) == 1 and b"".join(env.rt.storage.open_stream(keys[0])) == clip


def test_a_clip_with_no_picture_is_refused(env: Env, tmp_path: Path) -> None:
    audio = make_audio_only(tmp_path / "song.mp4").read_bytes()
    client, h = TestClient(env.app), auth(env.write_key)
    files = [("brief", ("brief.yaml", _brief("song.mp4"), "application/yaml")),
             ("files", ("song.mp4", audio, "video/mp4"))]
    r = client.post("/api/v1/campaigns/brief", headers=h, files=files)
    assert r.status_code == 422, r.text
    assert "no video stream" in r.json()["error"]["message"]
    assert client.get("/api/v1/campaigns", headers=h).json() == []


def test_a_brief_naming_a_clip_it_did_not_attach_is_invalid(env: Env) -> None:
    client, h = TestClient(env.app), auth(env.write_key)
    files = [("brief", ("brief.yaml", _brief("missing.mp4"), "application/yaml"))]
    r = client.post("/api/v1/campaigns/brief", headers=h, files=files)
    assert r.status_code == 422, r.text
    assert "product.clips[0]" in r.text and "missing.mp4" in r.text
