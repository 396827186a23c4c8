"""How fast the voice speaks, and whether a scene's voiceover fits the scene.

The writer aims its lines at a natural pace (``PACE_AIM`` words per second). The render
(``assets.video.voiceover``) may speak a line up to 15 % faster (Piper length scale 0.85) and
keeps ``LEAD + TAIL`` seconds of each scene free, so a line is refused at save time only when
it could not fit even then: an edit is never refused that the render would have accepted,
and a line that will fail the render is caught before any credits are held.
"""

from __future__ import annotations

from adloom.assets.video.models import Scene, VideoScenes
from adloom.writer.text import word_count

# Natural voiceover pace (issue 3): 2.3-2.8 words per second; aim for the middle.
PACE_MIN, PACE_MAX, PACE_AIM = 2.3, 2.8, 2.55
FASTEST_LENGTH_SCALE = 0.85  # the render's fastest Piper length scale (voiceover.SPEEDS[-1])
SCENE_MARGIN_S = 0.45  # voiceover.LEAD + voiceover.TAIL: scene time kept free of speech
MIN_SCENE_S = 2.0  # voiceover.MIN_SCENE: the render never takes a scene below this to give time away
FASTEST_PACE = PACE_MAX / FASTEST_LENGTH_SCALE


def seconds_needed(text: str, *, pace: float = PACE_AIM) -> float:
    """Seconds a voiceover line takes at ``pace`` words per second."""
    return word_count(text) / pace


def _fastest_need(scene: Scene) -> float:
    """The scene time its line needs spoken as fast as the render will speak it."""
    words = word_count(scene.voiceover)
    return words / FASTEST_PACE + SCENE_MARGIN_S if words else 0.0


def overrun(scene: Scene) -> str | None:
    """Why this scene's voiceover cannot fit its duration, in plain words; None when it fits."""
    words = word_count(scene.voiceover)
    if not words or _fastest_need(scene) <= scene.duration:
        return None
    needed = words / PACE_AIM
    extra_words = max(1, round(words - max(scene.duration - SCENE_MARGIN_S, 0.0) * PACE_AIM))
    return (
        f"Scene {scene.index + 1}'s voiceover needs about {needed:.1f} s at a natural pace; the scene lasts "
        f"{scene.duration:g} s. Shorten it by about {extra_words} words or lengthen the scene."
    )


def voiceover_overruns(scenes: VideoScenes) -> list[str]:
    """One sentence per scene whose voiceover is too long for it, in scene order; empty when the
    render can make every line fit (it moves time from scenes with room to spare, as far down as
    ``MIN_SCENE_S`` each, to a scene whose line runs long). Only the scenes that have to change
    are named: the worst first, until the rest would fit."""
    needs = {scene.index: max(_fastest_need(scene), MIN_SCENE_S) for scene in scenes.scenes}
    worst_first = sorted(scenes.scenes, key=lambda scene: scene.duration - needs[scene.index])
    blamed: list[Scene] = []
    for scene in worst_first:
        if sum(needs.values()) <= scenes.length or needs[scene.index] <= scene.duration:
            break
        needs[scene.index] = scene.duration  # as if its line were shortened to fit
        blamed.append(scene)
    return [problem for scene in sorted(blamed, key=lambda s: s.index) if (problem := overrun(scene))]
