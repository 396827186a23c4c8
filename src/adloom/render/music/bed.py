"""Instrumental beds that loop seamlessly: the music under the video ads.

A loop of whole bars is synthesised with a few seconds of extra tail (reverb, decaying notes),
and that tail is folded back onto the loop's start, exactly as it would sound when the loop
plays again. Mastering sees the loop with wrapped context on both sides. The result is
periodic: tile it and there is no seam, no click, no gap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from adloom.render.music.compose import Composition, compose_bed
from adloom.render.music.master import master_loop
from adloom.render.music.synth import SoundFont, render_parts, resolve_soundfont
from adloom.writer.schemas import MusicPlan

LOOP_TAIL_SECONDS = 3.0
BASE_LOOP_SECONDS = 15.0  # 15/30/60 s beds are tiles of one 15 s loop


class Bed(np.ndarray):
    """A float32 ``(frames, 2)`` array (the agreed ``render_bed`` return type) that also
    carries ``sample_rate`` and provenance ``meta`` for callers that want them."""

    sample_rate: int
    meta: dict[str, Any]

    @property
    def samples(self) -> npt.NDArray[np.float32]:
        return np.asarray(self)


def _as_bed(samples: npt.NDArray[np.float32], sample_rate: int, meta: dict[str, Any]) -> Bed:
    bed = np.ascontiguousarray(samples, dtype=np.float32).view(Bed)
    bed.sample_rate = sample_rate
    bed.meta = meta
    return bed


def render_loop(
    composition: Composition, soundfont: SoundFont, *, sample_rate: int = 48000
) -> npt.NDArray[np.float32]:
    """Synthesise a loop composition with its tail folded onto the start (periodic audio)."""
    raw = render_parts(
        composition,
        composition.parts,
        soundfont,
        seconds=composition.seconds + LOOP_TAIL_SECONDS,
        sample_rate=sample_rate,
    )
    return fold_tail(raw, round(composition.seconds * sample_rate))


def fold_tail(raw: npt.NDArray[np.float32], frames: int) -> npt.NDArray[np.float32]:
    """Add everything after ``frames`` back onto the start, as the loop's next pass would."""
    loop = raw[:frames].copy()
    rest = raw[frames:]
    for start in range(0, len(rest), frames):
        segment = rest[start : start + frames]
        loop[: len(segment)] += segment
    return loop


def loop_seconds_for(seconds: float) -> float:
    """The loop length a bed of ``seconds`` is tiled from: 15 s when it divides evenly."""
    ratio = seconds / BASE_LOOP_SECONDS
    return BASE_LOOP_SECONDS if ratio >= 1 and abs(ratio - round(ratio)) < 1e-9 else seconds


def tile(loop: npt.NDArray[np.floating], frames: int) -> npt.NDArray[np.float32]:
    repeats = int(np.ceil(frames / len(loop)))
    return np.ascontiguousarray(np.tile(np.asarray(loop, dtype=np.float32), (repeats, 1))[:frames])


def render_bed(
    plan: MusicPlan,
    seconds: float,
    *,
    seed: int = 0,
    sample_rate: int = 48000,
    soundfont: str | None = None,
    soundfont_dir: Path | None = None,
) -> Bed:
    """An instrumental bed of exactly ``seconds * sample_rate`` frames that loops seamlessly,
    mastered to -14 LUFS with true peak below -1 dBTP. Float32, shape (frames, 2).
    ``soundfont`` is a name from ``soundfont_dir`` or the bundled bank (see synth)."""
    font = resolve_soundfont(soundfont, folder=soundfont_dir)
    loop_seconds = loop_seconds_for(seconds)
    composition = compose_bed(plan, loop_seconds, seed=seed)
    mastered = master_loop(
        render_loop(composition, font, sample_rate=sample_rate), sample_rate
    ).samples
    frames = round(seconds * sample_rate)
    meta = {
        **font.provenance(),
        "composer": "adloom rule-based composer",
        "tempo": composition.tempo,
        "key": f"{plan.key} {plan.mode}",
        "loop_seconds": loop_seconds,
        "seamless_loop": True,
    }
    return _as_bed(tile(mastered, frames), sample_rate, meta)
