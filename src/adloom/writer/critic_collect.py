"""The texts a writer stage's output will show or speak, with their roles, for the critic.

Works on the kind's typed models (or their JSON, as stored on a step), read through the kind's
:class:`~adloom.writer.base.KindCopy`,
so the same check runs on the local writer, an LLM writer and text the user edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from adloom.writer.base import KindCopy
from adloom.writer.critic import (
    BriefFacts,
    CopyText,
    Violation,
    check_ideas,
    check_kind,
    check_texts,
    facts_from_request,
)
from adloom.writer.schemas import IdeaSet


def idea_texts(ideas: IdeaSet) -> list[CopyText]:
    """The hooks: each becomes the first line a viewer sees or hears."""
    return [CopyText("hook", idea.hook, f"ideas[{i}].hook") for i, idea in enumerate(ideas.ideas)]


def script_texts(copy: KindCopy, script: BaseModel | Mapping[str, Any]) -> list[CopyText]:
    """Every text of a script, as the kind declares them."""
    return copy.script_texts(copy.parse_script(script))


def scene_texts(copy: KindCopy, scenes: BaseModel | Mapping[str, Any]) -> list[CopyText]:
    """The texts the kind's scenes show or speak (most kinds' scenes carry none)."""
    return copy.scene_texts(copy.parse_scenes(scenes))


def critique_step(
    facts: BriefFacts, copy: KindCopy | None, step: str, output: BaseModel | Mapping[str, Any]
) -> list[Violation]:
    """Every critic rule on one writer stage's output (ideas, script or scenes); ``copy`` is the
    kind's declaration (a kind without one has no copy rules of its own)."""
    if step == "ideas":
        ideas = output if isinstance(output, IdeaSet) else IdeaSet.model_validate(output)
        dumped = [idea.model_dump() for idea in ideas.ideas]
        return check_texts(facts, idea_texts(ideas)) + check_ideas(dumped)
    if copy is None:
        return []
    if step == "script":
        # Scenes re-cut the script's words; facts are checked once, on the script.
        return check_kind(facts, copy.facts, script_texts(copy, output))
    return check_texts(facts, scene_texts(copy, output))


def critique_request(req: Any, step: str, output: BaseModel | Mapping[str, Any]) -> list[Violation]:
    """:func:`critique_step` with the facts and the kind's copy taken from a WriterRequest."""
    return critique_step(facts_from_request(req), req.copy, step, output)


__all__ = ["critique_request", "critique_step", "idea_texts", "scene_texts", "script_texts"]
