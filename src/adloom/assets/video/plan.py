"""The video plan: approved scenes, options and formats turned into frame-exact scene specs.

Everything here is pure and frozen: reading ``ctx.script``/``ctx.scenes`` (validated against the
writer schemas), choosing formats and length, and laying scenes on the 30 fps frame grid.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from adloom.assets.video.models import Scene, VideoScenes, VideoScript
from adloom.errors import InvalidOption
from adloom.render.layout import Box

from .encode import FPS

# Platform safe zone on the 1080x1920 reference frame (TikTok/Reels/Shorts UI overlays).
SAFE_X = (65 / 1080, 930 / 1080)
SAFE_Y = (270 / 1920, 1250 / 1920)

FORMAT_SIZES: Mapping[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "1:1": (1080, 1080),
    "4:5": (1080, 1350),
    "16:9": (1920, 1080),
}
LENGTHS = (15, 30, 60)


@dataclass(frozen=True)
class VideoFormat:
    """One output aspect ratio at a pixel size (``scale`` < 1 only for previews and tests)."""

    label: str
    width: int
    height: int

    @property
    def unit(self) -> float:
        """Pixels per design unit: design sizes are given for a 1080-px short side."""
        return min(self.width, self.height) / 1080

    @property
    def slug(self) -> str:
        return self.label.replace(":", "x")

    def safe_zone(self) -> Box:
        x0, x1 = SAFE_X[0] * self.width, SAFE_X[1] * self.width
        y0, y1 = SAFE_Y[0] * self.height, SAFE_Y[1] * self.height
        return Box(x0, y0, x1 - x0, y1 - y0)


def make_format(label: str, scale: float = 1.0) -> VideoFormat:
    if label not in FORMAT_SIZES:
        raise InvalidOption(
            f"Unknown video format '{label}'.", hint=f"Use one of {', '.join(FORMAT_SIZES)}."
        )
    w, h = FORMAT_SIZES[label]
    return VideoFormat(label, _even(w * scale), _even(h * scale))


def _even(value: float) -> int:
    return max(2, round(value / 2) * 2)


@dataclass(frozen=True)
class ScenePlan:
    """One scene on the frame grid, with what it shows and how it enters and leaves."""

    index: int
    start: float
    duration: float
    first_frame: int
    frame_count: int
    text: str
    voiceover: str
    visual: str
    motion: str
    product: str
    logo: bool
    role: str
    transition_in: str  # this scene's own transition (from the previous scene)
    transition_out: str  # the next scene's transition ("none" for the last scene)
    shot: str = "auto"  # see writer.schemas.Scene.shot and motifs.scene_shot
    icon: str | None = None

    @property
    def is_end_card(self) -> bool:
        return self.logo or self.role == "cta"


@dataclass(frozen=True)
class VideoPlan:
    length: int
    scenes: tuple[ScenePlan, ...]
    cta: str
    formats: tuple[VideoFormat, ...]

    @property
    def total_frames(self) -> int:
        return round(self.length * FPS)


def choose_length(scenes: VideoScenes, options: Mapping[str, Any]) -> int:
    length = options.get("length") or scenes.length
    if int(length) not in LENGTHS:
        raise InvalidOption(f"Video length {length} s is not offered.", hint="Use 15, 30 or 60.")
    return int(length)


def choose_formats(options: Mapping[str, Any]) -> tuple[VideoFormat, ...]:
    labels = options.get("formats") or ["9:16"]
    if isinstance(labels, str):
        labels = [labels]
    scale = float(options.get("scale", 1.0))
    if not 0.05 <= scale <= 1.0:
        raise InvalidOption("The preview scale must be between 0.05 and 1.", value=scale)
    seen: list[str] = []
    for label in labels:
        if label not in seen:
            seen.append(str(label))
    return tuple(make_format(label, scale) for label in seen)


def scene_voiceover(scene: Scene, script: VideoScript, start: float, end: float) -> str:
    """The scene's own line, else the script beats whose middle falls inside the scene."""
    if scene.voiceover.strip():
        return scene.voiceover.strip()
    lines = [b.voiceover for b in script.beats if start <= (b.start + b.end) / 2 < end]
    return " ".join(lines).strip()


def build_plan(script: VideoScript, scenes: VideoScenes, options: Mapping[str, Any],
               durations: Sequence[float] | None = None) -> VideoPlan:
    """Lay the approved scenes on the frame grid for the requested length and formats.

    When the requested length differs from the scenes' length, every scene is scaled by the
    same factor. ``durations`` (from the voiceover stage, when it had to give a long line more
    time; see ``voiceover.rebalance``) replaces the scenes' own durations.
    """
    length = choose_length(scenes, options)
    factor = length / scenes.length
    own = [scene.duration * factor for scene in scenes.scenes]
    if durations is not None and len(durations) == len(own) and abs(sum(durations) - length) < 0.05:
        own = list(durations)
    boundaries = [0.0]
    for duration in own:
        boundaries.append(boundaries[-1] + duration)
    frames = [round(b * FPS) for b in boundaries]
    frames[-1] = round(length * FPS)
    plans = []
    source_bounds = [b / factor for b in boundaries]
    for i, scene in enumerate(scenes.scenes):
        nxt = scenes.scenes[i + 1].transition if i + 1 < len(scenes.scenes) else "none"
        plans.append(
            ScenePlan(
                index=i,
                start=frames[i] / FPS,
                duration=(frames[i + 1] - frames[i]) / FPS,
                first_frame=frames[i],
                frame_count=frames[i + 1] - frames[i],
                text=scene.on_screen_text,
                visual=scene.visual,
                voiceover=scene_voiceover(scene, script, source_bounds[i], source_bounds[i + 1]),
                motion=scene.motion,
                product=scene.product,
                logo=scene.logo,
                role=scene.role,
                transition_in="cut" if i == 0 else scene.transition,
                transition_out=nxt,
                shot=scene.shot,
                icon=scene.icon,
            )
        )
    return VideoPlan(length, tuple(plans), script.cta, choose_formats(options))
