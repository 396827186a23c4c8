"""Video scenes choose product imagery through the cut-out gate and cycle through the photos."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from videogens import make_video_ctx, with_previous

from adloom.assets.base import JobContext
from adloom.assets.video import VideoGenerator
from adloom.assets.video.clips import painter_for

SET = Path(__file__).resolve().parents[1] / "render" / "cutout_set"


def _ctx(workdir: Path, *photos: str) -> JobContext:
    ctx = make_video_ctx(workdir, length=15)
    return replace(ctx, product=replace(ctx.product, photos=tuple(SET / p for p in photos)))


@pytest.fixture(scope="module")
def two_photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[JobContext, dict[str, object]]:
    ctx = _ctx(tmp_path_factory.mktemp("video-imagery"), "astronaut.jpg", "bottle-packshot.jpg")
    return ctx, dict(VideoGenerator().generate(ctx).output)


def test_the_astronaut_is_never_a_cutout(two_photos: tuple[JobContext, dict]) -> None:
    _, out = two_photos
    assert out["cutout"] is None  # the first photo's cut-out failed the gate
    astronaut, bottle = out["visuals"]
    assert astronaut["cutout"] is None and astronaut["quality"]["usable"] is False
    assert "quality gate" in astronaut["reason"] and astronaut["framing"]["faces"] == 1
    assert bottle["cutout"] and bottle["quality"]["usable"] is True


def test_scenes_cycle_through_the_photos(two_photos: tuple[JobContext, dict]) -> None:
    ctx, out = two_photos
    jobs = VideoGenerator().jobs(with_previous(ctx, generate=out))
    fmt = jobs[0].fmt
    shown = [job.look.photo.name for job in jobs  # type: ignore[union-attr]
             if job.fmt == fmt and job.scene.product != "none"]
    assert {"astronaut.jpg", "bottle-packshot.jpg"} <= set(shown)


def test_a_hero_scene_shows_the_astronaut_photo_cropped_around_her_face(
    two_photos: tuple[JobContext, dict],
) -> None:
    ctx, out = two_photos
    jobs = VideoGenerator().jobs(with_previous(ctx, generate=out))
    job = next(j for j in jobs if j.look.photo and j.look.photo.name == "astronaut.jpg"
               and j.scene.product != "none")
    assert job.look.cutout is None and job.look.photo_keep is not None
    painter = painter_for(job)
    assert painter.media is not None and painter.media_box is not None
    box = painter.layout.media
    assert box is not None
    crop = painter.media_crop  # in the photo's pixels (480x480)
    assert crop is not None
    assert abs(crop.w / crop.h - painter.media_box.w / painter.media_box.h) < 0.02
    kx, ky, kw, kh = (v * 480 for v in job.look.photo_keep)
    assert crop.x <= kx + 0.5 and crop.y <= ky + 0.5  # her face, hair and chin are all in
    assert crop.right >= kx + kw - 0.5 and crop.bottom >= ky + kh - 0.5
