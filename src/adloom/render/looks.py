"""The look of one idea: which brand colour leads, and the layout family of the static kinds.

Issue 19 item 4: the three ideas of one project must look different, and two brands with
different colours and tone must never share layout and palette. The chosen idea's concept
angle (its ``treatment`` in ``writer.angles``) reaches the renderers here:

- each idea of the set gets a distinct palette **emphasis** (light ground, deep ground, accent
  blocks), assigned greedily in the ideas' order from each angle's preference below, so the
  three ideas never share one even when two angles prefer the same;
- the emphasis's position picks the video treatment among the brand's tone family (three
  treatments, see ``assets.video.treatments``);
- the banner **layout family** (panel background, which side the copy sits on) comes from
  the brand's tone family and the emphasis.

A project from before ideas carried angles (or a direct generator call) gets the emphasis of
its idea's position, or ``light`` without ideas: the look it always had.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from adloom.render.palette import EMPHASES, Emphasis
from adloom.render.tone import ToneFamily, tone_family

# the angle's treatment (writer.angles) -> the emphases it suits, best first
ANGLE_EMPHASIS: dict[str, tuple[Emphasis, ...]] = {
    "split-tone": ("deep", "light", "accent"),
    "macro close-up": ("light", "deep", "accent"),
    "quote card": ("light", "accent", "deep"),
    "split screen": ("accent", "light", "deep"),
    "bold offer card": ("accent", "deep", "light"),
    "documentary": ("deep", "light", "accent"),
    "numbered cards": ("accent", "light", "deep"),
    "stamp and cross-out": ("accent", "deep", "light"),
    "match cut": ("deep", "accent", "light"),
    "day-in-the-life": ("light", "deep", "accent"),
}

PanelBackground = Literal["gradient", "color_field", "shapes", "split"]

# tone family -> (panel background, copy side) for each emphasis, light/deep/accent; the light
# and accent ideas (same kind of ground) always put the copy on opposite sides
_BANNER_FAMILIES: dict[ToneFamily | None, tuple[tuple[PanelBackground, str], ...]] = {
    "bold": (("shapes", "text_left"), ("split", "text_right"), ("gradient", "text_right")),
    "elegant": (("color_field", "text_right"), ("gradient", "text_left"), ("color_field", "text_left")),
    "calm": (("gradient", "text_left"), ("color_field", "text_right"), ("shapes", "text_right")),
    "confident": (("split", "text_left"), ("gradient", "text_right"), ("color_field", "text_right")),
    "playful": (("shapes", "text_right"), ("shapes", "text_left"), ("gradient", "text_left")),
    None: (("split", "text_left"), ("gradient", "text_right"), ("shapes", "text_right")),
}


@dataclass(frozen=True)
class IdeaLook:
    """What the chosen idea changes in every visual asset."""

    emphasis: Emphasis = "light"
    tone: ToneFamily | None = None
    angle_treatment: str = ""

    @property
    def slot(self) -> int:
        """0, 1 or 2: the emphasis's position, used to pick among three of anything."""
        return EMPHASES.index(self.emphasis)

    @property
    def banner_background(self) -> PanelBackground:
        return _BANNER_FAMILIES[self.tone][self.slot][0]

    @property
    def banner_arrangement(self) -> str:
        return _BANNER_FAMILIES[self.tone][self.slot][1]


def assign_emphases(treatments: Sequence[str | None]) -> list[Emphasis]:
    """A distinct emphasis per idea (up to three), each taking its angle's best free one."""
    free = list(EMPHASES)
    chosen: list[Emphasis] = []
    for index, name in enumerate(treatments):
        prefs = ANGLE_EMPHASIS.get((name or "").strip().lower(), ())
        pick = next((e for e in prefs if e in free), None)
        if pick is None:
            pick = free[0] if free else EMPHASES[index % len(EMPHASES)]
        if pick in free:
            free.remove(pick)
        chosen.append(pick)
    return chosen


def idea_look(ideas: Mapping[str, Any] | None, tone: str) -> IdeaLook:
    """The look of the chosen idea of an ``IdeaSet`` (as JSON); the plain look without one."""
    family = tone_family(tone)
    items = list((ideas or {}).get("ideas") or [])
    if not items:
        return IdeaLook(tone=family)
    chosen = int((ideas or {}).get("chosen") or 0)
    chosen = min(max(chosen, 0), len(items) - 1)
    names = [str(i.get("treatment") or "") if isinstance(i, Mapping) else "" for i in items]
    return IdeaLook(assign_emphases(names)[chosen], family, names[chosen])
