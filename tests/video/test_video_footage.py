"""An ad made from the user's own clip (real ffmpeg, the real encoder, preview scale): the
clip's pixels fill the scenes before the end card, its moving subject stays inside each
format's crop, the end card stays the brand's own, and the clip's sound (a 1.06 kHz tone) leaves
no trace in the ad's audio."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from clipgens import TONE_HZ, ClipRecipe, make_clip
from videogens import make_video_ctx, with_previous

from adloom.assets.base import JobContext, StageResult
from adloom.assets.video import VideoGenerator
from adloom.assets.video.encode import FPS, ffmpeg_exe
from adloom.assets.video.footage import scene_footage
from adloom.assets.video.plan import VideoPlan

RECIPE = ClipRecipe(seconds=5.0)  # 1920x1080, a magenta box drifting right, a 1.06 kHz tone
SIZES = {"9:16": (270, 480), "16:9": (480, 270)}
RATE = 48000


@dataclass(frozen=True)
class Rendered:
    ctx: JobContext
    plan: VideoPlan
    generated: StageResult
    stitched: StageResult

    def final(self, label: str) -> Path:
        return next(f.path for f in self.stitched.files if f.role == "final" and f.label == label)

    def frames(self, label: str) -> np.ndarray:
        w, h = SIZES[label]
        raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(self.final(label)),
                              "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
        return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)

    def audio(self) -> np.ndarray:
        raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(self.final("9:16")), "-vn", "-ac", "1",
                              "-ar", str(RATE), "-f", "f32le", "-"], capture_output=True, check=True).stdout
        return np.frombuffer(raw, np.float32)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("video-footage")
    clip = make_clip(folder / "user-clip.mp4", RECIPE)
    ctx = make_video_ctx(folder / "work", length=15, options={"scale": 0.25, "formats": list(SIZES)})
    ctx = replace(ctx, product=replace(ctx.product, photos=(), clips=(clip,)))
    gen = VideoGenerator()
    generated = gen.generate(ctx)
    ctx = with_previous(ctx, generate=dict(generated.output))
    ctx = with_previous(ctx, render=dict(gen.render(ctx).output))
    return Rendered(ctx, gen.plan(ctx), generated, gen.stitch(ctx))


def _magenta(frame: np.ndarray) -> np.ndarray:
    """The subject's pixels, under the scrim too (darkened, still red and blue without green)."""
    rgb = frame.astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return (r > 110) & (b > 110) & (g < 0.35 * np.minimum(r, b)) & (np.abs(r - b) < 60)


def _middles(plan: VideoPlan, end_card: bool) -> list[int]:
    return [s.first_frame + s.frame_count // 2 for s in plan.scenes if s.is_end_card == end_card]


@pytest.mark.parametrize("label", list(SIZES))
def test_scenes_before_the_end_card_show_the_clip_and_its_whole_subject(rendered: Rendered, label: str) -> None:
    frames = rendered.frames(label)
    w, h = SIZES[label]
    scale = h / RECIPE.height if label == "9:16" else w / RECIPE.width  # the crop fills the frame
    expected = (RECIPE.box * scale) ** 2
    middles = _middles(rendered.plan, end_card=False)
    assert middles, "the plan has scenes before the end card"
    for k in middles:
        mask = _magenta(frames[k])
        _ys, xs = np.nonzero(mask)
        assert mask.sum() > 0.6 * expected, (label, k, int(mask.sum()), expected)
        # the whole box is in the frame: it touches neither side (the crop followed the subject)
        assert xs.min() > 0 and xs.max() < w - 1, (label, k, xs.min(), xs.max())
    for k in _middles(rendered.plan, end_card=True):
        assert _magenta(frames[k]).sum() < 0.02 * expected  # the end card is the brand's own


def test_the_crop_holds_the_subject_over_each_scene_segment(rendered: Rendered) -> None:
    footage = scene_footage(rendered.generated.output)
    fmt = rendered.plan.formats[0]
    assert set(footage) == {s.index for s in rendered.plan.scenes if not s.is_end_card}
    for index, part in footage.items():
        x, _y, cw, _ch = part.crop(fmt)
        scene = rendered.plan.scenes[index]
        for t in (part.start, min(RECIPE.seconds, part.start + scene.duration)):
            left = RECIPE.box_left(t)
            assert x <= left and left + RECIPE.box <= x + cw, (index, t, x, cw, left)
        assert part.start >= 0.0


def test_the_footage_moves_within_a_scene(rendered: Rendered) -> None:
    frames = rendered.frames("9:16").astype(int)
    scene = next(s for s in rendered.plan.scenes if not s.is_end_card and s.duration >= 2)
    a = scene.first_frame + FPS // 2
    b = a + FPS
    band = slice(frames.shape[1] * 45 // 100, frames.shape[1] * 55 // 100)  # between headline and captions
    assert np.abs(frames[a, band] - frames[b, band]).mean() > 2.0


def _tone_prominence(mono: np.ndarray, hz: float) -> float:
    """Power at ``hz`` against the median power around it (a tone stands far above speech and
    music, whose spectrum is broad)."""
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    peak = spectrum[(freqs > hz - 3) & (freqs < hz + 3)].max()
    around = spectrum[(freqs > hz - 150) & (freqs < hz + 150) & (np.abs(freqs - hz) > 20)]
    return float(peak / np.median(around))


def test_the_clips_sound_is_not_in_the_ad(rendered: Rendered) -> None:
    mono = rendered.audio().astype(np.float64)
    assert len(mono) > RATE * 14
    measured = _tone_prominence(mono, TONE_HZ)
    # the same measure finds the tone when it is there, 30 dB under the mix
    t = np.arange(len(mono)) / RATE
    level = np.sqrt(np.mean(mono**2)) * 10 ** (-30 / 20) * np.sqrt(2)
    control = _tone_prominence(mono + level * np.sin(2 * np.pi * TONE_HZ * t), TONE_HZ)
    assert control > 10 * measured, (measured, control)
    assert measured < 200, measured
