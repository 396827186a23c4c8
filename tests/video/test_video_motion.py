"""A rendered ad, decoded frame by frame: the poster is the hook, transitions leave no blank or
flash frame, and something visibly changes at least every 3 s (preview scale, real encoder)."""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from videogens import make_video_ctx, with_previous

from adloom.assets.base import JobContext, StageResult
from adloom.assets.video import VideoGenerator
from adloom.assets.video.encode import FPS, ffmpeg_exe
from adloom.assets.video.painter import headline_settles_at
from adloom.assets.video.plan import VideoPlan

W, H = 108, 192


@dataclass(frozen=True)
class Rendered:
    ctx: JobContext
    plan: VideoPlan
    stitched: StageResult

    def file(self, role: str, label: str) -> Path:
        return next(f.path for f in self.stitched.files if f.role == role and f.label == label)

    def frames(self) -> np.ndarray:
        """The final 9:16 MP4 decoded as RGB frames (n, H, W, 3)."""
        raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(self.file("final", "9:16")),
                              "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                             capture_output=True, check=True).stdout
        return np.frombuffer(raw, np.uint8).reshape(-1, H, W, 3)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    gen = VideoGenerator()
    ctx = make_video_ctx(tmp_path_factory.mktemp("video-motion"), length=15)
    generated = gen.generate(ctx)
    ctx = with_previous(ctx, generate=dict(generated.output))
    ctx = with_previous(ctx, render=dict(gen.render(ctx).output))
    return Rendered(ctx, gen.plan(ctx), gen.stitch(ctx))


def test_the_poster_is_the_hook_with_its_headline_in(rendered: Rendered) -> None:
    with Image.open(rendered.file("poster", "9:16")) as img:
        poster = np.asarray(img.convert("RGB")).astype(int)
    frames = rendered.frames().astype(int)
    distance = np.abs(frames - poster).mean(axis=(1, 2, 3))
    best = int(distance.argmin())
    hook, end_card = rendered.plan.scenes[0], rendered.plan.scenes[-1]
    assert distance[best] < 4  # the poster is a frame of the ad...
    assert hook.first_frame <= best < hook.first_frame + hook.frame_count  # ...of the hook
    assert best >= round(headline_settles_at(hook.text) * FPS)  # once its headline is in
    end = slice(end_card.first_frame, end_card.first_frame + end_card.frame_count)
    assert distance[end].min() > 3 * distance[best] + 5  # and nothing like the end card


def _luma(frames: np.ndarray) -> np.ndarray:
    return frames[..., 0] * 0.299 + frames[..., 1] * 0.587 + frames[..., 2] * 0.114


def test_no_frame_is_blank_and_no_transition_flashes(rendered: Rendered) -> None:
    """A frame is near-uniform when almost all its pixels sit within a few levels of its
    median; a flash is a frame much brighter than the frames two before and two after."""
    luma = _luma(rendered.frames().astype(np.float32))
    median = np.median(luma.reshape(len(luma), -1), axis=1)
    near = (np.abs(luma - median[:, None, None]) <= 6).mean(axis=(1, 2))
    blank = [i for i, share in enumerate(near) if share > 0.97]
    assert blank == [], f"near-uniform frames: {blank}"
    mean = luma.mean(axis=(1, 2))
    flashes = [i for i in range(2, len(mean) - 2)
               if mean[i] - max(mean[i - 2], mean[i + 2]) > 25]
    assert flashes == [], f"flash frames: {flashes}"


VISIBLE = 1.5  # mean absolute luma change between consecutive frames (0-255 levels)


def test_something_visibly_changes_at_least_every_3_seconds(rendered: Rendered) -> None:
    """A visible change is a frame that differs from the one before by more than a subtle
    drift over the whole frame (words entering, a re-framing, a counter, a transition); a
    3 s window without one is a slideshow holding still."""
    luma = _luma(rendered.frames().astype(np.float32))
    change = np.abs(np.diff(luma, axis=0)).mean(axis=(1, 2))
    visible = np.flatnonzero(change > VISIBLE) + 1
    marks = [0, *visible.tolist(), len(luma) - 1]
    gaps = [(a / FPS, (b - a) / FPS) for a, b in itertools.pairwise(marks)]
    longest = max(gaps, key=lambda g: g[1])
    assert longest[1] <= 3.0, f"no visible change for {longest[1]:.2f} s from {longest[0]:.2f} s"


@pytest.mark.parametrize("duration", [1.2, 3.0, 3.1, 4.0, 5.0, 7.5, 10.0, 20.0])
def test_long_scenes_are_cut_into_shots_of_1_5_to_3_seconds(duration: float) -> None:
    from adloom.assets.video.shots import shot_starts

    bounds = [0.0, *shot_starts(duration), duration]
    lengths = np.diff(bounds)
    assert lengths.max() <= 3.0 + 1e-6
    assert len(lengths) == 1 or lengths.min() >= 1.5 - 1e-6


def test_a_later_shot_reframes_the_photo_on_its_own_pixels() -> None:
    from factories import fixture_path

    from adloom.assets.video.clips import ClipJob, painter_for
    from adloom.assets.video.look import LookSpec
    from adloom.assets.video.models import read_scenes, read_script
    from adloom.assets.video.plan import build_plan
    from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS, sample_scenes, sample_script

    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"scale": 0.2})
    look = LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato", "Northbound",
                    CTA, fixture_path("coffee.png"), None, None)
    scene = next(s for s in plan.scenes if s.product == "inset" and s.duration > 3)
    painter = painter_for(ClipJob(scene, plan.formats[0], look, (), Path("/unused")))
    assert painter.shots and len(painter.shot_media) == len(painter.shots)
    first = painter.media_bgra.astype(int)  # type: ignore[union-attr]
    closer = painter.shot_media[0][1].astype(int)
    assert first.shape == closer.shape  # the same card, another framing
    assert np.abs(first - closer).mean() > 10
