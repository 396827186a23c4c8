"""A campaign with clips and no photo: every generator receives the clips, and banners and
flyers a photo made from the sharpest frame of the first clip (marked as such, so the video
shows the clip itself rather than its still)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from clipgens import ClipRecipe, make_clip
from PIL import Image

from adloom.pipeline.stages import StageInput, job_context
from adloom.storage.local import LocalStorage

SMALL = ClipRecipe(width=480, height=270, seconds=2.0, box_x0=200, box_speed=10, box=80, box_y=90)


# job_context parses the approved script (the typed seam): a banner job needs one
_COPY = {"headline": "Surf at dawn", "subhead": "Lessons every morning.", "cta": "Book now",
         "short_headline": "Tide"}
SCRIPT = {"kind": "banner", "variants": [_COPY, {**_COPY, "headline": "Catch your first wave"}]}


def _input(tmp_path: Path, product: dict[str, object]) -> StageInput:
    return StageInput(project_id="p", campaign_id="c", kind="banner", step="generate", seed=1, options={},
                      snapshot={"product": {"name": "Tide", "description": "Surf school.", **product},
                                "brand": {"name": "Tide"}},
                      outputs={"script": SCRIPT}, workdir=tmp_path / "work")


def _progress(detail: str, fraction: float) -> None:
    return None


def test_clips_without_photos_give_banners_a_still_of_the_clip(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "store")
    key = storage.put_file(make_clip(tmp_path / "surf.mp4", SMALL)).key
    ctx = job_context(_input(tmp_path, {"photos": [], "clips": [key]}), storage, _progress)
    assert len(ctx.product.clips) == 1 and ctx.product.photos_from_clips
    (still,) = ctx.product.photos
    rgb = np.asarray(Image.open(still).convert("RGB")).astype(int)
    assert rgb.shape == (270, 480, 3)
    magenta = (rgb[..., 0] > 200) & (rgb[..., 2] > 200) & (rgb[..., 1] < 60)
    assert magenta.sum() > 0.8 * SMALL.box**2  # the clip's subject, whole


def test_photos_stay_the_photos_when_there_are_clips_too(tmp_path: Path) -> None:
    from factories import fixture_path

    storage = LocalStorage(tmp_path / "store")
    clip = storage.put_file(make_clip(tmp_path / "surf.mp4", SMALL)).key
    photo = storage.put_file(fixture_path("coffee.png")).key
    ctx = job_context(_input(tmp_path, {"photos": [photo], "clips": [clip]}), storage, _progress)
    assert not ctx.product.photos_from_clips and len(ctx.product.photos) == 1
    assert ctx.product.photos[0].read_bytes() == fixture_path("coffee.png").read_bytes()


def test_a_brief_file_names_its_clips_and_each_bad_one_is_listed(tmp_path: Path) -> None:
    import pytest

    from adloom.campaigns.brief import parse_brief_file
    from adloom.clip_uploads import ClipLimits
    from adloom.errors import InvalidBrief

    make_clip(tmp_path / "surf.mp4", SMALL)
    (tmp_path / "notes.mp4").write_text("not a video")
    brief = tmp_path / "brief.yaml"
    brief.write_text("name: Tide\nproduct:\n  name: Tide\n  description: Surf school.\n  clips: [surf.mp4]\n")
    parsed = parse_brief_file(brief)
    assert parsed.clips == [(tmp_path / "surf.mp4").resolve()] and parsed.photos == []
    brief.write_text("name: Tide\nproduct:\n  name: Tide\n  description: Surf school.\n"
                     "  clips: [surf.mp4, notes.mp4, gone.mp4]\n")
    with pytest.raises(InvalidBrief) as caught:
        parse_brief_file(brief, clip_limits=ClipLimits(max_seconds=1))
    problems = dict(caught.value.problems)
    assert "longer than the 1.0 s limit" in problems["product.clips[0]"]
    assert "not an MP4, MOV or WebM video" in problems["product.clips[1]"]
    assert "file not found" in problems["product.clips[2]"]
