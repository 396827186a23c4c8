"""Brand colours for a brief that gives none, and the palette emphasis each idea gets.

A brief without colours used to get one default navy/orange palette, so most of the corpus
looked alike. :func:`derive_colors` builds five brand colours from what the brief does say:

- the industry sets a base hue (food leans terracotta, SaaS blue, wellness teal...);
- the brand's name turns that hue by up to ±48°, picks the accent scheme (complementary,
  split, triadic, analogous) and the ground (a tint of the primary, of the accent, or a warm
  paper), so two brands of one industry do not collapse to one palette;
- the product photo's dominant chromatic colour (k-means in CIE Lab) supplies the accent when
  it is vivid (the primary then takes the scheme's partner hue, so the two stay apart), and
  otherwise pulls the primary hue towards the picture;
- tone words that name a colour world ("muddy", "coastal", "sunlit", "clinical") pull the
  hue half-way towards it (``HUE_WORDS``);
- the tone family (:mod:`adloom.render.tone`) sets saturation and depth: bold is deep and
  saturated, elegant nearly neutral with a muted metallic accent, calm soft, playful bright.

Colours given in the brief always win; derived ones only fill the gaps. Text colours are
checked for WCAG AA by :func:`adloom.render.design.palette_from_colors` as for any brand.
"""

from __future__ import annotations

import colorsys
import hashlib
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from adloom.render.design import contrast_ratio, ensure_contrast, to_hex
from adloom.render.tone import ToneFamily, tone_family, tone_words

ROLES = ("primary", "secondary", "accent", "background", "text")
# What a brief without colours is filled with (campaigns.brief.BriefColors): all five at
# these values count as no colours given (a test keeps the two in step). One role changed
# means the user chose the set, and it is kept as is.
UNSET_DEFAULTS = {"primary": "#1F3A5F", "secondary": "#F2E8DC", "accent": "#E07A2E",
                  "background": "#FFFFFF", "text": "#1B1B1B"}

# industry -> base hue in degrees
INDUSTRY_HUES: dict[str, float] = {
    "food_beverage": 18, "tech_saas": 228, "fashion_apparel": 330, "beauty_cosmetics": 345,
    "health_wellness": 168, "fitness": 8, "finance": 212, "education": 255, "real_estate": 150,
    "travel_hospitality": 192, "home_garden": 88, "automotive": 200, "entertainment": 280,
    "professional_services": 220, "retail": 300,
}


@dataclass(frozen=True)
class _Depth:
    primary_l: float
    primary_s: float
    accent_l: float
    accent_s: float
    tint_s: float  # saturation of the light secondary and background tints


_DEPTHS: dict[ToneFamily | None, _Depth] = {
    "bold": _Depth(0.30, 0.80, 0.55, 0.95, 0.55),
    "elegant": _Depth(0.17, 0.28, 0.58, 0.42, 0.18),
    "calm": _Depth(0.33, 0.38, 0.62, 0.55, 0.35),
    "confident": _Depth(0.26, 0.62, 0.52, 0.80, 0.30),
    "playful": _Depth(0.38, 0.70, 0.58, 0.90, 0.70),
    None: _Depth(0.28, 0.55, 0.55, 0.80, 0.35),
}
# tone words that name a colour world pull the hue towards it (half-way): "muddy" socks are
# not magenta, a "coastal" restaurant leans to the sea
HUE_WORDS: dict[float, tuple[str, ...]] = {
    95.0: ("mud", "earth", "outdoor", "rustic", "forest", "moss", "grounded", "natural", "herbal"),
    130.0: ("green", "eco", "plant", "fresh", "garden", "sustainab", "organic"),
    200.0: ("coastal", "sea", "ocean", "marine", "harbour", "nautical", "water", "airy"),
    215.0: ("clinical", "science", "scientific", "technical", "precise", "data", "secure"),
    32.0: ("sunlit", "sunny", "sunset", "cosy", "cozy", "hearth", "golden", "autumn"),
    345.0: ("romantic", "festive", "passion", "love", "tender"),
}
_SCHEMES = (180.0, 150.0, 210.0, 120.0, 40.0)  # accent hue offsets: complementary, split, triad, analogous
# the elegant family's metallic accents, (hue, saturation factor): gold, copper, rose gold,
# antique bronze, pewter; by the name, so two elegant brands do not share one gold
_METALS = ((44.0, 1.0), (22.0, 1.05), (350.0, 0.8), (58.0, 0.75), (210.0, 0.45))
# the ground, (lightness, tint saturation factor): bright paper, soft tint, deeper tint; by
# the name, so two brands of one family do not sit on one near-white
_GROUNDS = ((0.97, 0.7), (0.94, 1.1), (0.91, 1.45))


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _hls(hue_deg: float, light: float, sat: float) -> str:
    r, g, b = colorsys.hls_to_rgb((hue_deg % 360) / 360, light, sat)
    return to_hex((r * 255, g * 255, b * 255))


def dominant_color(photo: Path | str) -> tuple[float, float] | None:
    """(hue in degrees, chroma 0..~130) of the photo's main chromatic colour, by k-means in
    CIE Lab; None when the photo is greyscale or cannot be read."""
    image = cv2.imread(str(photo), cv2.IMREAD_COLOR)
    if image is None:
        return None
    scale = 96 / max(image.shape[:2])
    small = cv2.resize(image, None, fx=min(1.0, scale), fy=min(1.0, scale), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    k = 5
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(7)
    _, labels, centres = cv2.kmeans(lab, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k) / len(labels)
    a, b = centres[:, 1] - 128.0, centres[:, 2] - 128.0
    chroma = np.hypot(a, b)
    light = centres[:, 0] * 100 / 255
    # a colour counts when it is chromatic and neither near-black nor near-white
    weight = counts * np.clip(chroma - 8, 0, None) * ((light > 12) & (light < 92))
    best = int(np.argmax(weight))
    if weight[best] <= 0:
        return None
    hue = float(np.degrees(np.arctan2(b[best], a[best])) % 360)
    return _lab_hue_to_hls(hue), float(chroma[best])


def _lab_hue_to_hls(lab_hue: float) -> float:
    """Lab's hue angle (red ~40°, yellow ~90°, green ~140°, blue ~290°) -> HLS degrees,
    by piecewise-linear interpolation between anchor colours."""
    anchors = ((0.0, 340.0), (40.0, 0.0), (70.0, 30.0), (95.0, 55.0), (135.0, 110.0),
               (195.0, 180.0), (250.0, 210.0), (300.0, 240.0), (330.0, 290.0), (360.0, 340.0))
    for (h0, t0), (h1, t1) in itertools.pairwise(anchors):
        if h0 <= lab_hue <= h1:
            if t1 < t0:
                t1 += 360
            return (t0 + (t1 - t0) * (lab_hue - h0) / (h1 - h0)) % 360
    return lab_hue  # pragma: no cover - the anchors cover 0..360


def _hue_blend(h1: float, h2: float, t: float) -> float:
    delta = ((h2 - h1 + 180) % 360) - 180
    return (h1 + delta * t) % 360


def hue_world(tone: str) -> float | None:
    """The hue the tone's first colour-world word names (see HUE_WORDS); None without one."""
    for word in tone_words(tone):
        for hue, stems in HUE_WORDS.items():
            if any(word.startswith(stem) for stem in stems):
                return hue
    return None


def derive_colors(*, name: str, industry: str = "", tone: str = "",
                  photo: Path | str | None = None) -> dict[str, str]:
    """Five brand colours (primary, secondary, accent, background, text) for a brand."""
    key = _digest(f"{name.strip().lower()}|{industry}")
    look_key = _digest(f"{name.strip().lower()}|look")  # independent of the bits of ``key``
    family = tone_family(tone)
    depth = _DEPTHS[family]
    base = INDUSTRY_HUES.get(industry, float(key % 360))
    hue = (base + ((key >> 8) % 97) - 48) % 360
    if (world := hue_world(tone)) is not None:
        hue = _hue_blend(hue, world, 0.5)
    seen = dominant_color(photo) if photo else None
    scheme = _SCHEMES[(key >> 16) % len(_SCHEMES)]
    accent_hue = (hue + scheme) % 360
    if seen is not None:
        photo_hue, chroma = seen
        if chroma > 25:  # a vivid photo gives the accent; the primary is its scheme partner
            accent_hue = photo_hue
            hue = _hue_blend(hue, (photo_hue - scheme) % 360, 0.7)
        else:
            hue = _hue_blend(hue, photo_hue, 0.55)
    primary = _hls(hue, depth.primary_l, depth.primary_s)
    accent_s = depth.accent_s
    if family == "elegant":  # metallic whatever the primary: gold, copper, rose, bronze, pewter
        metal_hue, metal_s = _METALS[look_key % len(_METALS)]
        accent_hue = metal_hue + (key >> 20) % 12 - 6
        accent_s *= metal_s
    accent = _hls(accent_hue, depth.accent_l, accent_s)
    # the ground: a tint of the primary, of the accent, or a warm paper leaning to the primary,
    # bright or deeper
    ground_hue = (hue, accent_hue, _hue_blend(42.0, hue, 0.35))[(key >> 24) % 3]
    ground_l, ground_s = _GROUNDS[(look_key >> 8) % len(_GROUNDS)]
    secondary = _hls(ground_hue + 12, ground_l - 0.07, depth.tint_s)
    background = _hls(ground_hue, ground_l, min(0.9, depth.tint_s * ground_s))
    text = _hls(hue, 0.10, 0.25)
    if contrast_ratio(accent, background) < 1.6:  # an accent that vanishes on the ground
        accent = ensure_contrast(accent, background, min_ratio=2.2)
    return {"primary": primary, "secondary": secondary, "accent": accent,
            "background": background, "text": text}


def complete_colors(given: Mapping[str, str | None], *, name: str, industry: str = "",
                    tone: str = "", photo: Path | str | None = None) -> dict[str, str]:
    """The brief's colours, with every missing role derived; unchanged when all five are set.

    When the brief names a primary, the derived roles follow its hue (a brand colour wins
    over the industry's)."""
    own = {k: str(v) for k, v in given.items() if v and k in ROLES}
    if {k: v.upper() for k, v in own.items()} == UNSET_DEFAULTS:
        own = {}  # the brief gave no colours: it was filled with the defaults
    if len(own) == len(ROLES):
        return own
    derived = derive_colors(name=name, industry=industry, tone=tone, photo=photo)
    if "primary" in own:
        derived = _follow_primary(derived, own["primary"], tone)
    return {**derived, **own}


def _follow_primary(derived: dict[str, str], primary: str, tone: str) -> dict[str, str]:
    r, g, b = (int(primary.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, _, _ = colorsys.rgb_to_hls(r, g, b)
    depth = _DEPTHS[tone_family(tone)]
    hue = h * 360
    return {**derived, "secondary": _hls(hue + 12, 0.90, depth.tint_s),
            "background": _hls(hue, 0.975, depth.tint_s * 0.6), "text": _hls(hue, 0.10, 0.25)}


Emphasis = Literal["deep", "light", "accent"]
EMPHASES: tuple[Emphasis, ...] = ("light", "deep", "accent")


def emphasize(colors: Mapping[str, str], emphasis: Emphasis) -> dict[str, str]:
    """The same five colours, with another one leading: ``light`` keeps them (a light ground,
    the primary on blocks), ``deep`` puts the primary under everything (a dark ground, light
    type and blocks in the light tint), ``accent`` swaps primary and accent (the accent carries the blocks). Roles move,
    colours do not, so the brand stays itself; contrast is re-checked by the palette."""
    c = dict(colors)
    if emphasis == "deep" and {"primary", "background", "accent"} <= c.keys():
        c.update(background=colors["primary"], primary=colors.get("secondary", colors["background"]),
                 secondary=colors.get("text", colors["primary"]), text=colors["background"])
    elif emphasis == "accent" and {"primary", "accent"} <= c.keys():
        c["primary"], c["accent"] = colors["accent"], colors["primary"]
    return c
