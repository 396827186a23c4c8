"""Video clips chosen in the new-campaign form are checked and kept; a file that is not a real
clip is refused on the form with its reason, and no campaign is made."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from clipgens import ClipRecipe, make_clip
from helpers_web import client_for, csrf_of, shared_file, sign_up
from PIL import Image
from sqlalchemy import func, select

from adloom.campaigns.models import Campaign

SMALL = ClipRecipe(width=320, height=180, seconds=1.5, box_x0=200, box_speed=10, box=60, box_y=60)


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path_factory.mktemp("clips")), migrate=True)
    yield runtime
    runtime.close()


def _fields(client: Any, name: str) -> dict[str, str]:
    return {"csrf_token": csrf_of(client, "/dashboard/campaigns/new"), "name": name,
            "product_name": "Saltmarsh Coffee", "description": "Small-batch coffee roasted by the sea."}


def _count(rt: Any) -> int:
    with rt.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Campaign)) or 0)


def test_the_form_keeps_a_clip_beside_a_photo(rt: Any, tmp_path: Path) -> None:
    client = client_for(rt)
    sign_up(client, "clip@example.com")
    clip = make_clip(tmp_path / "pour.mp4", SMALL).read_bytes()
    photo = shared_file("fixtures", "images", "coffee.png").read_bytes()
    files = [("photos", ("coffee.png", photo, "image/png")), ("clips", ("pour.webm", clip, "video/webm"))]
    response = client.post("/dashboard/campaigns", data=_fields(client, "With a clip"), files=files)
    assert response.status_code == 303, response.text[:1500]
    with rt.db.session() as session:
        campaign = session.get(Campaign, response.headers["location"].rsplit("/", 1)[-1])
        assert campaign is not None
        clips, photos = list(campaign.product["clips"]), list(campaign.product["photos"])
    assert len(clips) == 1 and len(photos) == 1
    assert b"".join(rt.storage.open_stream(clips[0])) == clip
    assert clips[0].endswith(".mp4")  # named for what its bytes are, not for the name it came with
    hub = client.get(response.headers["location"])
    assert "/clip/0/thumb.jpg" in hub.text
    thumb = client.get(response.headers["location"] + "/clip/0/thumb.jpg")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as image:
        rgb = np.asarray(image.convert("RGB")).astype(int)
    magenta = (rgb[..., 0] > 180) & (rgb[..., 2] > 180) & (rgb[..., 1] < 80)
    assert magenta.sum() > 0.5 * (SMALL.box * rgb.shape[1] / SMALL.width) ** 2  # a frame of this clip
    assert client.get(response.headers["location"] + "/clip/1/thumb.jpg").status_code == 404


def test_the_form_refuses_a_clip_that_is_not_a_video(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "noclip@example.com")
    before = _count(rt)
    fake = ("holiday.mp4", b"<html><body>not a video</body></html>" * 20, "video/mp4")
    response = client.post("/dashboard/campaigns", data=_fields(client, "Fake clip"), files=[("clips", fake)])
    assert response.status_code == 422
    assert "holiday.mp4" in response.text and "not an MP4, MOV or WebM video" in response.text
    assert _count(rt) == before
