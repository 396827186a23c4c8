"""The texts a writer stage's output will show or speak, with their roles, for the critic.

Works on the typed models of :mod:`adloom.writer.schemas` (or their JSON, as stored on a step),
so the same check runs on the local writer, an LLM writer and text the user edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from adloom.writer.critic import (
    BriefFacts,
    CopyText,
    Violation,
    check_ideas,
    check_kind,
    check_texts,
    facts_from_request,
)
from adloom.writer.schemas import (
    SCENE_MODELS,
    SCRIPT_MODELS,
    BannerScript,
    FlyerScript,
    IdeaSet,
    JingleScript,
    VideoScenes,
    VideoScript,
)


def idea_texts(ideas: IdeaSet) -> list[CopyText]:
    """The hooks: each becomes the first line a viewer sees or hears."""
    return [CopyText("hook", idea.hook, f"ideas[{i}].hook") for i, idea in enumerate(ideas.ideas)]


def _video_script(script: VideoScript) -> list[CopyText]:
    out: list[CopyText] = []
    for i, beat in enumerate(script.beats):
        out.append(CopyText("voiceover", beat.voiceover, f"beats[{i}].voiceover", "video"))
        out.append(CopyText("caption", beat.on_screen_text, f"beats[{i}].on_screen_text", "video"))
    out.append(CopyText("cta", script.cta, "cta", "video"))
    return out


def _banner_script(script: BannerScript) -> list[CopyText]:
    out: list[CopyText] = []
    for i, variant in enumerate(script.variants):
        asset = f"banner variant {i + 1}"
        for role in ("headline", "subhead", "cta", "short_headline"):
            out.append(CopyText(role, getattr(variant, role), f"variants[{i}].{role}", asset))
    return out


def _flyer_script(script: FlyerScript) -> list[CopyText]:
    out = [
        CopyText("headline", script.headline, "headline", "flyer"),
        CopyText("subhead", script.subhead, "subhead", "flyer"),
        CopyText("cta", script.cta, "cta", "flyer"),
    ]
    out += [CopyText("body", line, f"body[{i}]", "flyer") for i, line in enumerate(script.body)]
    if script.offer:
        out.append(CopyText("offer", script.offer, "offer", "flyer"))
    if script.event:
        out += [
            CopyText("event", value, f"event.{key}", "flyer")
            for key, value in script.event.model_dump().items()
            if value
        ]
    return out


def _jingle_script(script: JingleScript) -> list[CopyText]:
    out = [CopyText("tagline", script.tagline, "tagline", "jingle")]
    out += [
        CopyText("lyric", line, f"lyrics[{i}]", "jingle") for i, line in enumerate(script.lyrics)
    ]
    return out


def script_texts(script: BaseModel) -> list[CopyText]:
    """Every text of a script, by kind."""
    if isinstance(script, VideoScript):
        return _video_script(script)
    if isinstance(script, BannerScript):
        return _banner_script(script)
    if isinstance(script, FlyerScript):
        return _flyer_script(script)
    if isinstance(script, JingleScript):
        return _jingle_script(script)
    return []


def scene_texts(scenes: BaseModel) -> list[CopyText]:
    """On-screen text and voiceover of video scenes; other kinds' scenes carry no text."""
    if not isinstance(scenes, VideoScenes):
        return []
    out: list[CopyText] = []
    for i, scene in enumerate(scenes.scenes):
        out.append(
            CopyText("caption", scene.on_screen_text, f"scenes[{i}].on_screen_text", "video")
        )
        if scene.voiceover:
            out.append(CopyText("voiceover", scene.voiceover, f"scenes[{i}].voiceover", "video"))
    return out


def critique_step(
    facts: BriefFacts, kind: str, step: str, output: BaseModel | Mapping[str, Any]
) -> list[Violation]:
    """Every critic rule on one writer stage's output (ideas, script or scenes)."""
    if step == "ideas":
        ideas = output if isinstance(output, IdeaSet) else IdeaSet.model_validate(output)
        dumped = [idea.model_dump() for idea in ideas.ideas]
        return check_texts(facts, idea_texts(ideas)) + check_ideas(dumped)
    models = SCRIPT_MODELS if step == "script" else SCENE_MODELS
    model = models.get(kind)
    if model is None:  # a kind declared only by its spec: no copy rules of its own yet
        return []
    value = output if isinstance(output, model) else model.model_validate(output)
    texts = script_texts(value) if step == "script" else scene_texts(value)
    # Scenes re-cut the script's words; facts are checked once, on the script.
    return check_kind(facts, kind, texts) if step == "script" else check_texts(facts, texts)


def critique_request(req: Any, step: str, output: BaseModel | Mapping[str, Any]) -> list[Violation]:
    """:func:`critique_step` with the facts taken from a WriterRequest."""
    return critique_step(facts_from_request(req), req.kind, step, output)


__all__ = ["critique_request", "critique_step", "idea_texts", "scene_texts", "script_texts"]
