"""Treatments: the look of an ad beyond its colours (tone pattern, type alignment, scale and
weight, backdrop, caption style), chosen per brand and concept so that seven brands are not
one template.

A brand's tone picks a family of three related treatments; the concept picks one of them (a
``treatment`` name on the approved scenes wins, else the hook's line decides), so the three
ideas of one project differ while a brand keeps a recognisable family.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

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

# a brand's tone -> the family its concepts choose from
_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("bold", "energetic", "loud", "punchy", "playful", "fun", "urgent"),
     ("bold-block", "poster", "diagonal")),
    (("elegant", "premium", "refined", "luxur", "minimal", "sophisticated"),
     ("editorial", "calm", "orbit")),
    (("calm", "warm", "gentle", "caring", "friendly", "unhurried", "reassuring"),
     ("calm", "orbit", "editorial")),
    (("confident", "professional", "expert", "trust", "clear", "technical"),
     ("diagonal", "editorial", "bold-block")),
)
_ALL = tuple(TREATMENTS)


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:4], "big")


def family_for(tone: str, brand_key: str) -> tuple[str, ...]:
    """Three treatments for a brand: by its tone's first matching word, else by its colours."""
    words = tone.lower()
    for keys, family in _FAMILIES:
        if any(key in words for key in keys):
            return family
    start = _digest(brand_key) % len(_ALL)
    return tuple(_ALL[(start + i * 2) % len(_ALL)] for i in range(3))


def choose_treatment(*, requested: str | None, tone: str, brand_key: str,
                     concept_key: str) -> str:
    """The named treatment when it exists; else one of the brand's family, by the concept."""
    if requested and requested in TREATMENTS:
        return requested
    family = family_for(tone, brand_key)
    return family[_digest(brand_key, concept_key) % len(family)]


def treatment(name: str) -> Treatment:
    return TREATMENTS.get(name, TREATMENTS["orbit"])
