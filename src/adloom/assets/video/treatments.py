"""Treatments: the look of an ad beyond its colours (tone pattern, type alignment, scale and
weight, backdrop, caption style), chosen per brand and concept so that seven brands are not
one template.

A brand's tone picks a family of three related treatments; the concept picks one of them (a
``treatment`` name on the approved scenes wins, else the idea's slot turned by the brand, else
the hook's line decides), so the three ideas of one project differ while a brand keeps a
recognisable family, and two brands of one family do not share the first idea's treatment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from adloom.render.looks import IdeaLook
from adloom.render.palette import emphasize
from adloom.render.tone import tone_family

Backdrop = Literal["orbs", "block", "diagonal", "frame", "stripes", "plain"]
CaptionStyle = Literal["pill", "bar", "plain"]


@dataclass(frozen=True)
class Treatment:
    name: str
    tones: Literal["alternate", "dark", "light"]  # which scenes sit on the dark background
    align: Literal["left", "center"]
    type_scale: float  # headline size against the default
    heavy: bool  # headline in the extra-bold cut
    backdrop: Backdrop
    captions: CaptionStyle

    def scene_is_dark(self, index: int, end_card: bool) -> bool:
        if end_card or self.tones == "dark":
            return True
        return self.tones == "alternate" and index % 2 == 0


TREATMENTS: dict[str, Treatment] = {t.name: t for t in (
    Treatment("orbit", "alternate", "left", 1.0, False, "orbs", "pill"),
    Treatment("bold-block", "dark", "center", 1.12, True, "block", "bar"),
    Treatment("editorial", "light", "left", 0.92, False, "frame", "plain"),
    Treatment("diagonal", "alternate", "left", 1.05, True, "diagonal", "bar"),
    Treatment("poster", "dark", "center", 1.18, True, "stripes", "pill"),
    Treatment("calm", "light", "center", 0.96, False, "plain", "pill"),
)}

# a brand's tone family (adloom.render.tone) -> the three treatments its concepts choose from
_FAMILIES: dict[str, tuple[str, ...]] = {
    "bold": ("bold-block", "poster", "diagonal"),
    "elegant": ("editorial", "calm", "orbit"),
    "calm": ("calm", "orbit", "editorial"),
    "confident": ("diagonal", "editorial", "bold-block"),
    "playful": ("orbit", "diagonal", "poster"),
}
_ALL = tuple(TREATMENTS)


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:4], "big")


def family_for(tone: str, brand_key: str) -> tuple[str, ...]:
    """Three treatments for a brand: by its tone's nearest family, else by its colours."""
    family = tone_family(tone)
    if family is not None:
        return _FAMILIES[family]
    start = _digest(brand_key) % len(_ALL)
    return tuple(_ALL[(start + i * 2) % len(_ALL)] for i in range(3))


def choose_treatment(*, requested: str | None, tone: str, brand_key: str,
                     concept_key: str, slot: int | None = None, brand_name: str = "") -> str:
    """The named treatment when it exists; else one of the brand's family: the idea's slot
    (``render.looks``: the three ideas of a project take three different ones) or, without
    ideas, by the concept's words."""
    if requested and requested in TREATMENTS:
        return requested
    family = family_for(tone, brand_key)
    if slot is not None:
        # the brand's name turns the family (a colour edit does not move it), so two brands of
        # one tone family do not all open with one treatment; the three slots of a project
        # still take three different ones
        turn = _digest((brand_name or brand_key).strip().lower(), "turn")
        return family[(slot + turn) % len(family)]
    return family[_digest(brand_key, concept_key) % len(family)]


def treatment(name: str) -> Treatment:
    return TREATMENTS.get(name, TREATMENTS["orbit"])


def video_colors(colors: Mapping[str, str], look: IdeaLook) -> dict[str, str]:
    """The brand colours an idea's video uses: an accent-led idea lets the accent carry the
    dark scenes; the light and deep ideas differ by treatment (light or dark tone pattern)."""
    return emphasize(colors, "accent") if look.emphasis == "accent" else dict(colors)
