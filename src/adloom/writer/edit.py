"""User edits to ideas, scripts and scenes: merge, keep video timing whole, explain problems.

:func:`apply_edit` merges a patch into the stored JSON, re-validates it against the same
pydantic model and raises :class:`adloom.errors.InvalidEdit` listing every problem in plain
words ("scene 3: on-screen text has 9 words; the limit is 7"). For a kind with timed scenes
(``KindCopy.timed_items``) an edited duration is absorbed by the scenes the user did not touch,
so the total stays the length.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from adloom.errors import MAX_PROBLEMS, InvalidEdit, clip
from adloom.writer.base import KindCopy
from adloom.writer.text import clean

LABELS = {
    "on_screen_text": "on-screen text",
    "cta": "CTA",
    "short_headline": "short headline",
    "voiceover": "voiceover",
    "headline": "headline",
    "subhead": "subhead",
    "body": "body point",
    "tagline": "tagline",
    "visual": "visual direction",
    "duration": "duration",
    "title": "title",
    "hook": "hook",
    "url": "URL",
    "offer": "offer",
}
ITEMS = {
    "scenes": "scene",
    "variants": "variant",
    "beats": "beat",
    "body": "body point",
    "ideas": "idea",
    "layouts": "layout",
    "sections": "section",
    "lyrics": "lyric line",
}
MIN_SCENE = 0.5  # seconds; shorter scenes flash by unread


def apply_edit(
    model_cls: type[BaseModel],
    current: Mapping[str, Any],
    patch: Mapping[str, Any],
    kind: KindCopy | None = None,
) -> BaseModel:
    """``current`` with ``patch`` merged in, validated; raises InvalidEdit with every problem.
    ``kind`` (the kind's copy declaration) keeps timed scenes adding up to the length and runs
    the kind's own check on edited scenes."""
    scenes = kind is not None and model_cls is kind.scenes_model
    merged = merge(copy.deepcopy(dict(current)), _clean_strings(patch))
    if scenes and kind is not None and kind.timed_items:
        merged = _rebalance(merged, _edited_durations(patch))
    try:
        value = model_cls.model_validate(merged)
    except PydanticValidationError as exc:
        problems = [describe(error, merged) for error in exc.errors()[:MAX_PROBLEMS]]
        if len(exc.errors()) > MAX_PROBLEMS:
            problems.append(f"and {len(exc.errors()) - MAX_PROBLEMS} more problem(s) not listed")
        raise InvalidEdit(
            "This edit cannot be saved: " + "; ".join(clip(p, 300) for p in problems) + ".",
            hint="Fix the listed fields and save again; nothing was changed.",
            problems=problems,
        ) from None
    if scenes and kind is not None:
        kind.check_edit(value)
    return value


def merge(base: Any, patch: Any) -> Any:
    """Deep merge. Lists can be replaced whole or patched by index ({"2": {...}})."""
    if isinstance(base, dict) and isinstance(patch, Mapping):
        for key, value in patch.items():
            base[key] = merge(base.get(key), value) if key in base else value
        return base
    if isinstance(base, list) and isinstance(patch, Mapping):
        for key, value in patch.items():
            index = _index(key, len(base))
            base[index] = merge(base[index], value)
        return base
    return patch


def _index(key: Any, size: int) -> int:
    """A list position from a patch key ("2"), or InvalidEdit: a key such as "x" names no item."""
    text = str(key).strip()
    if not re.fullmatch(r"\d{1,6}", text, flags=re.ASCII):
        raise InvalidEdit(
            f"'{clip(text, 40)}' is not an item number; patch a list by position, from 0 to {size - 1}.",
            hint='Example: {"scenes": {"0": {"voiceover": "…"}}}',
        )
    index = int(text)
    if index >= size:
        raise InvalidEdit(f"There is no item {index + 1} to edit; there are {size}.")
    return index


def _clean_strings(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {k: _clean_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean_strings(v) for v in value]
    return value


def _edited_durations(patch: Mapping[str, Any]) -> set[int] | None:
    """Indices whose duration the user set; None when the whole scene list was replaced."""
    scenes = patch.get("scenes")
    if isinstance(scenes, list):
        return None
    if isinstance(scenes, Mapping):  # keys were checked by merge() (_index) before this runs
        return {int(k) for k, v in scenes.items() if isinstance(v, Mapping) and "duration" in v}
    return set()


def _rebalance(data: dict[str, Any], edited: set[int] | None) -> dict[str, Any]:
    scenes = data.get("scenes")
    length = data.get("length")
    if (
        not isinstance(scenes, list)
        or not isinstance(length, int | float)
        or edited is None
        or not edited
    ):
        return data
    try:
        durations = [float(s["duration"]) for s in scenes]
    except (KeyError, TypeError, ValueError):
        return data
    free = [i for i in range(len(scenes)) if i not in edited]
    fixed = sum(durations[i] for i in edited if 0 <= i < len(durations))
    room = length - fixed
    if not free or room < MIN_SCENE * len(free):
        raise InvalidEdit(
            f"The edited scenes take {fixed:g} s of a {length} s video, which leaves too little "
            f"for the other {len(free)} scene(s).",
            hint="Shorten the edited scene or change the video length.",
        )
    share = sum(durations[i] for i in free) or 1.0
    for i in free:
        scenes[i]["duration"] = round(durations[i] * room / share, 2)
    scenes[free[-1]]["duration"] = round(room - sum(scenes[i]["duration"] for i in free[:-1]), 2)
    return data


def describe(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    """One validation error in plain words, naming the item ("scene 3") and the field."""
    loc = [part for part in error["loc"]]
    where = _where(loc)
    if not loc:
        return _cap(str(error.get("msg", "")).removeprefix("Value error, "))
    last = loc[-1]
    if isinstance(last, int) and len(loc) > 1:
        field = ITEMS.get(str(loc[-2]), "item")
    else:
        field = LABELS.get(str(last), str(last).replace("_", " "))
    value = error.get("input")
    kind = error.get("type", "")
    limit = (error.get("ctx") or {}).get("max_length")
    message = str(error.get("msg", ""))
    if "7 words" in message or "10 words" in message:
        most = 7 if "7 words" in message else 10
        text = f"{field} has {len(str(value).split())} words; the limit is {most}"
    elif (
        kind == "string_too_short"
        or (kind == "missing")
        or (isinstance(value, str) and not value.strip())
    ):
        text = f"{field} must not be empty"
    elif kind == "string_too_long" and limit is not None:
        text = f"{field} has {len(str(value))} characters; the limit is {limit}"
    elif kind in {"too_short", "too_long"}:
        text = f"{field}: {message.lower()}"
    else:
        text = f"{field}: {message.removeprefix('Value error, ')}"
    return f"{where}: {text}" if where else _cap(text)


def _where(loc: list[Any]) -> str:
    parts = []
    for position, part in enumerate(loc):
        if isinstance(part, int) and position > 0 and str(loc[position - 1]) in ITEMS:
            parts.append(f"{ITEMS[str(loc[position - 1])]} {part + 1}")
    return ", ".join(parts)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
