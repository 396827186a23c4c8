"""The voiceover: one spoken line per scene with the TTS voice, fitted into its scene.

Each scene's line is synthesised, silences longer than 0.4 s are trimmed (timings shift with
the audio), and the line is placed ``LEAD`` seconds into its scene. A line that does not fit
is first spoken up to 15 % faster (Piper's length scale); if it still does not fit, the stage
fails with a :class:`RenderError` naming the scene: scenes are never stretched, because the
ad length is a promise to the platform.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import fft as sp_fft
from scipy import signal

from adloom.errors import RenderError
from adloom.providers.tts import SentenceTiming, Speech, Voice, WordTiming, trim_long_silences

from .plan import ScenePlan, VideoPlan

LEAD = 0.3  # seconds of scene before the voice starts (after the entrance)
FIRST_LEAD = 0.15
TAIL = 0.15  # seconds kept free at the end of a scene
SPEEDS = (1.0, 0.92, 0.85)  # Piper length scales tried, slowest (most natural) first
MAX_SILENCE = 0.4


@dataclass(frozen=True)
class SceneVoice:
    """A scene's spoken line: its audio and its words in scene-local seconds."""

    scene: int
    offset: float  # seconds into the scene where the audio starts
    speech: Speech
    length_scale: float

    @property
    def words(self) -> tuple[WordTiming, ...]:
        return tuple(w.shifted(self.offset) for w in self.speech.words)

    def utterances(self, scene_start: float) -> list[tuple[float, float]]:
        """Absolute (start, end) of each spoken sentence."""
        base = scene_start + self.offset
        return [(base + s.start, base + s.end) for s in self.speech.sentences]


def lead_for(scene: ScenePlan) -> float:
    return FIRST_LEAD if scene.index == 0 else LEAD


def fit_scene(voice: Voice, scene: ScenePlan) -> SceneVoice | None:
    """Speak one scene's line so it fits; None for a silent scene."""
    if not scene.voiceover.strip():
        return None
    lead = lead_for(scene)
    room = scene.duration - lead - TAIL
    speech: Speech | None = None
    for scale in fitting_speeds(voice):
        speech = trim_long_silences(
            voice.synthesize(scene.voiceover, length_scale=scale), max_gap=MAX_SILENCE
        )
        if speech.duration <= room:
            return SceneVoice(scene.index, lead, speech, scale)
    assert speech is not None
    raise RenderError(
        f"The voiceover of scene {scene.index + 1} lasts {speech.duration:.1f} s even spoken "
        f"faster, but the scene leaves {room:.1f} s for it.",
        hint=f'Shorten the line "{scene.voiceover}" or lengthen scene {scene.index + 1}.',
        scene=scene.index,
        needed=round(speech.duration, 2),
        available=round(room, 2),
    )


def fitting_speeds(voice: Voice) -> tuple[float, ...]:
    """Length scales to try: :data:`SPEEDS`, then, for a voice whose tone reads slower (a calm
    delivery's ``pace`` > 1), the speeds that undo that pace, so a line that fits the neutral
    voice always fits (the delivery is a preference, the scene's length is not)."""
    pace = float(getattr(getattr(voice, "delivery", None), "pace", 1.0))
    extra = tuple(round(s / pace, 3) for s in SPEEDS[1:]) if pace > 1.0 else ()
    return SPEEDS + extra


MIN_SCENE = 2.0  # a scene is never shortened below this when time is moved between scenes


def speak_plan(voice: Voice, plan: VideoPlan) -> tuple[list[SceneVoice | None], list[float] | None]:
    """Speak every scene. When a line is too long for its scene but other scenes have time to
    spare, returns new scene durations (same total) as well; the caller re-plans and speaks
    again (lines are cached, so that costs nothing). Otherwise the first scene that cannot
    fit raises its :class:`RenderError`.
    """
    voices: list[SceneVoice | None] = []
    failures: dict[int, RenderError] = {}
    for scene in plan.scenes:
        try:
            voices.append(fit_scene(voice, scene))
        except RenderError as err:
            voices.append(None)
            failures[scene.index] = err
    if not failures:
        return voices, None
    for scale in fitting_speeds(voice):
        needs = [_need(voice, scene, sv, scale if scene.index in failures else None)
                 for scene, sv in zip(plan.scenes, voices, strict=True)]
        durations = rebalance([s.duration for s in plan.scenes], needs)
        if durations is not None:
            return voices, durations
    raise failures[min(failures)]


def _need(voice: Voice, scene: ScenePlan, sv: SceneVoice | None, scale: float | None) -> float:
    """Seconds a scene needs for its line (one frame of margin for the frame grid)."""
    if scale is not None:
        speech = trim_long_silences(voice.synthesize(scene.voiceover, length_scale=scale),
                                    max_gap=MAX_SILENCE)
        return max(MIN_SCENE, lead_for(scene) + speech.duration + TAIL + 1 / 30)
    if sv is None:
        return MIN_SCENE
    return max(MIN_SCENE, sv.offset + sv.speech.duration + TAIL + 1 / 30)


def rebalance(durations: list[float], needs: list[float]) -> list[float] | None:
    """Give scenes that need more time what they need, taken from the others' spare time in
    proportion to it; the total stays the same. None when there is not enough spare time."""
    extra = sum(max(0.0, n - d) for d, n in zip(durations, needs, strict=True))
    slack = [max(0.0, d - n) for d, n in zip(durations, needs, strict=True)]
    if sum(slack) < extra:
        return None
    share = extra / sum(slack) if extra else 0.0
    return [n if n > d else d - s * share
            for d, n, s in zip(durations, needs, slack, strict=True)]


def voice_track(plan: VideoPlan, voices: list[SceneVoice | None], rate: int) -> np.ndarray:
    """The whole voiceover as mono float32 at ``rate`` Hz, exactly the plan's length."""
    track = np.zeros(round(plan.length * rate), dtype=np.float32)
    for scene, sv in zip(plan.scenes, voices, strict=True):
        if sv is None:
            continue
        audio = resample(sv.speech.samples, sv.speech.sample_rate, rate)
        start = round((scene.start + sv.offset) * rate)
        end = min(len(track), start + len(audio))
        track[start:end] += audio[: end - start]
    return track


def resample(samples: np.ndarray, rate_from: int, rate_to: int) -> np.ndarray:
    """Band-limited (FFT) resampling; speech lines start and end in silence, so the FFT's
    circular edges are harmless. Several times faster than a polyphase filter at 147:320."""
    if rate_from == rate_to:
        return samples.astype(np.float32)
    count = len(samples)
    padded = sp_fft.next_fast_len(count)
    out_len = round(padded * rate_to / rate_from)
    data = np.pad(samples.astype(np.float64), (0, padded - count))
    out = signal.resample(data, out_len)
    return np.asarray(out[: round(count * rate_to / rate_from)], dtype=np.float32)


def voices_to_json(plan: VideoPlan, voices: list[SceneVoice | None]) -> list[dict[str, Any]]:
    """Per-scene words (scene-local and absolute) for the step output and later stages."""
    out = []
    for scene, sv in zip(plan.scenes, voices, strict=True):
        if sv is None:
            out.append({"scene": scene.index, "words": [], "utterances": []})
            continue
        out.append(
            {
                "scene": scene.index,
                "offset": sv.offset,
                "length_scale": sv.length_scale,
                "duration": round(sv.speech.duration, 4),
                "words": [[w.text, round(w.start, 4), round(w.end, 4)] for w in sv.words],
                "utterances": [[round(a, 4), round(b, 4)] for a, b in sv.utterances(scene.start)],
            }
        )
    return out


def words_from_json(entry: dict[str, Any]) -> tuple[WordTiming, ...]:
    return tuple(WordTiming(str(t), float(a), float(b)) for t, a, b in entry.get("words", []))


class CachedVoice:
    """A :class:`Voice` that keeps every line it spoke in ``folder``.

    Piper samples prosody noise, so speaking the same line twice gives slightly different
    timings. Re-running the stage after one scene changed must not move the other scenes'
    captions (their clips are cached by content), so lines are spoken once and reused.
    """

    def __init__(self, voice: Voice, folder: Path) -> None:
        self.voice = voice
        self.info: Mapping[str, Any] = voice.info
        self.delivery = getattr(voice, "delivery", None)
        self.folder = folder

    def synthesize(self, text: str, *, length_scale: float = 1.0) -> Speech:
        key = hashlib.sha256(
            json.dumps([text, length_scale, dict(self.info)], sort_keys=True, default=str).encode()
        ).hexdigest()[:20]
        path = self.folder / f"{key}.npz"
        if path.exists():
            return _load_speech(path, self.info)
        speech = self.voice.synthesize(text, length_scale=length_scale)
        self.folder.mkdir(parents=True, exist_ok=True)
        _save_speech(path, speech)
        return speech


def _save_speech(path: Path, speech: Speech) -> None:
    words = json.dumps([[w.text, w.start, w.end] for w in speech.words])
    sentences = json.dumps([[s.text, s.start, s.end] for s in speech.sentences])
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, samples=speech.samples, rate=speech.sample_rate, words=words, sentences=sentences)
    tmp.replace(path)


def _load_speech(path: Path, info: Any) -> Speech:
    with np.load(path) as data:
        words = tuple(WordTiming(t, a, b) for t, a, b in json.loads(str(data["words"])))
        sentences = tuple(SentenceTiming(t, a, b) for t, a, b in json.loads(str(data["sentences"])))
        return Speech(
            data["samples"].astype(np.float32), int(data["rate"]), words, sentences, dict(info)
        )
