"""What the writer knows of the video kind: how its script and scenes are written, varied,
criticised, asked of an LLM and checked after a user's edit (a :class:`KindCopy`)."""

from __future__ import annotations

import random
import re

from pydantic import BaseModel

from adloom.assets.video.copy import video_scenes, video_script, word_budget
from adloom.assets.video.models import Scene, VideoScenes, VideoScript
from adloom.assets.video.pace import voiceover_overruns
from adloom.errors import MAX_PROBLEMS, InvalidEdit, InvalidOption
from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.context import CopyContext
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea

NAME = "video"
LENGTHS = (15, 30, 60)


def video_length(req: WriterRequest) -> int:
    raw = req.options.get("length", 30)
    try:
        length = int(raw)
    except (TypeError, ValueError):
        length = 0
    if length not in LENGTHS:
        raise InvalidOption(
            f"A video can be 15, 30 or 60 seconds long, not '{raw}'.",
            hint="Pick one of 15, 30 or 60 in the project options.",
        )
    return length


def write_script(ctx: CopyContext, req: WriterRequest, idea: Idea, seed: int) -> tuple[BaseModel, list[str]]:
    return video_script(ctx, idea, length=video_length(req), seed=seed)


def write_scenes(ctx: CopyContext, req: WriterRequest, script: BaseModel, seed: int) -> BaseModel:
    assert isinstance(script, VideoScript)
    return video_scenes(ctx, script, seed=seed)


_VISUAL_TAKES = (
    "Try a tighter frame: hands and product in close-up",
    "Try a wider frame: the whole moment in one shot",
    "Try an overhead shot on a clean surface",
    "Try a slow reveal from behind a foreground object",
)


def vary_scene(old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    """Keep what the neighbours depend on (duration, voiceover, index) and change the take."""
    assert isinstance(old, Scene)
    rng = random.Random(seed)
    motions = [m for m in ("push_in", "pull_out", "pan_left", "pan_right", "parallax") if m != old.motion]
    visual = f"{rng.choice(_VISUAL_TAKES)}. {old.visual}"
    return old.model_copy(update={"visual": visual, "motion": rng.choice(motions)})


def script_texts(script: BaseModel) -> list[CopyText]:
    assert isinstance(script, VideoScript)
    out: list[CopyText] = []
    for i, beat in enumerate(script.beats):
        out.append(CopyText("voiceover", beat.voiceover, f"beats[{i}].voiceover", NAME))
        out.append(CopyText("caption", beat.on_screen_text, f"beats[{i}].on_screen_text", NAME))
    out.append(CopyText("cta", script.cta, "cta", NAME))
    return out


def scene_texts(scenes: BaseModel) -> list[CopyText]:
    """On-screen text and voiceover of each scene (they re-cut the script's words)."""
    assert isinstance(scenes, VideoScenes)
    out: list[CopyText] = []
    for i, scene in enumerate(scenes.scenes):
        out.append(CopyText("caption", scene.on_screen_text, f"scenes[{i}].on_screen_text", NAME))
        if scene.voiceover:
            out.append(CopyText("voiceover", scene.voiceover, f"scenes[{i}].voiceover", NAME))
    return out


def script_rules(req: WriterRequest) -> str:
    length = int(req.options.get("length", 30))
    low, high = word_budget(length) if length in LENGTHS else word_budget(30)
    return f"Length {length} s; total voiceover {low}-{high} words; on-screen text at most 7 words."


def scene_rules(req: WriterRequest) -> str:
    return (
        "Durations must add up exactly to the length; hook first; CTA last with logo; "
        "product visible in at least two scenes."
    )


def check_voiceovers_fit(scenes: BaseModel) -> None:
    """Refuse a voiceover the render could not fit into its scene, before credits are held on it
    (a 5,000-character line used to fail the render a minute in)."""
    assert isinstance(scenes, VideoScenes)
    problems = voiceover_overruns(scenes)[:MAX_PROBLEMS]
    if problems:
        raise InvalidEdit(
            " ".join(problems),
            hint="Nothing was changed; shorten the line or lengthen the scene, then save again.",
            problems=problems,
            scenes=[int(m.group(1)) - 1 for p in problems if (m := re.match(r"Scene (\d+)", p))],
        )


COPY = KindCopy(
    script_model=VideoScript,
    scenes_model=VideoScenes,
    write_script=write_script,
    write_scenes=write_scenes,
    items="scenes",
    item_model=Scene,
    vary_item=vary_scene,
    keep_on_rewrite=("index", "duration"),
    script_texts=script_texts,
    scene_texts=scene_texts,
    facts=("offer", "price", "event_date", "spec"),
    default_goal="purchase",
    script_rules=script_rules,
    scene_rules=scene_rules,
    timed_items=True,
    check_edit=check_voiceovers_fit,
)
