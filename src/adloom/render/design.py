"""The design language shared by banners, flyers and video: palette and type scale.

Colours are "#RRGGBB" strings. Every text colour a :class:`Palette` offers is chosen so that it
passes WCAG AA on the surface it is meant for (4.5:1 for body text, 3:1 for large text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from adloom.render.brand import BrandSpec

AA_NORMAL = 4.5
AA_LARGE = 3.0
WHITE = "#FFFFFF"
BLACK = "#000000"

_DEFAULTS = {
    "primary": "#1F3A5F",
    "secondary": "#F2E8DC",
    "accent": "#E07A2E",
    "background": "#FFFFFF",
    "text": "#111111",
}


def parse_hex(color: str) -> tuple[int, int, int]:
    """ "#RGB" / "#RRGGBB" -> (r, g, b) 0..255."""
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"not a hex colour: {color!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def to_hex(rgb: Iterable[float]) -> str:
    r, g, b = (max(0, min(255, round(c))) for c in rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG relative luminance of a colour."""
    r, g, b = parse_hex(color)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(c1: str, c2: str) -> float:
    """WCAG contrast ratio between two colours (1..21)."""
    l1, l2 = sorted((luminance(c1), luminance(c2)), reverse=True)
    return (l1 + 0.05) / (l2 + 0.05)


def mix(c1: str, c2: str, t: float) -> str:
    """Linear blend in sRGB: t=0 gives c1, t=1 gives c2."""
    a, b = parse_hex(c1), parse_hex(c2)
    return to_hex(x + (y - x) * t for x, y in zip(a, b, strict=True))


def best_text_color(
    background: str, candidates: Iterable[str], *, min_ratio: float = AA_NORMAL
) -> str:
    """The first candidate (in preference order) that reaches ``min_ratio`` on ``background``;
    otherwise the candidate, black or white with the highest contrast."""
    options = list(candidates)
    for color in options:
        if contrast_ratio(color, background) >= min_ratio:
            return color
    return max([*options, BLACK, WHITE], key=lambda c: contrast_ratio(c, background))


def ensure_contrast(color: str, background: str, *, min_ratio: float = AA_NORMAL) -> str:
    """Keep a brand hue but darken or lighten it until it reaches ``min_ratio``."""
    if contrast_ratio(color, background) >= min_ratio:
        return color
    target = BLACK if luminance(background) > 0.18 else WHITE
    for step in range(1, 21):
        shade = mix(color, target, step / 20)
        if contrast_ratio(shade, background) >= min_ratio:
            return shade
    return target


@dataclass(frozen=True)
class Palette:
    """Brand colours plus a text colour for each surface, all AA-checked."""

    background: str
    surface: str
    primary: str
    secondary: str
    accent: str
    text: str  # on background
    text_on_surface: str
    text_on_primary: str
    text_on_secondary: str
    text_on_accent: str
    muted: str  # secondary text on background (still AA 4.5)

    @classmethod
    def from_brand(cls, brand: BrandSpec) -> Palette:
        return palette_from_colors(brand.colors)

    def text_for(self, surface: str) -> str:
        """AA text colour for any surface colour, preferring the brand's text colours."""
        return best_text_color(surface, [self.text, self.primary, WHITE, self.secondary])


def palette_from_colors(colors: Mapping[str, str]) -> Palette:
    c = {**_DEFAULTS, **{k: v for k, v in colors.items() if v}}
    bg, primary, secondary, accent = c["background"], c["primary"], c["secondary"], c["accent"]
    surface = mix(bg, secondary, 0.6) if bg.upper() != secondary.upper() else mix(bg, primary, 0.08)
    prefs = [c["text"], primary, WHITE, BLACK]
    text = best_text_color(bg, prefs)
    return Palette(
        background=bg,
        surface=surface,
        primary=primary,
        secondary=secondary,
        accent=accent,
        text=text,
        text_on_surface=best_text_color(surface, prefs),
        text_on_primary=best_text_color(primary, [WHITE, secondary, bg, c["text"], BLACK]),
        text_on_secondary=best_text_color(secondary, prefs),
        text_on_accent=best_text_color(accent, [WHITE, c["text"], secondary, BLACK]),
        muted=ensure_contrast(mix(text, bg, 0.3), bg),
    )


@dataclass(frozen=True)
class TypeScale:
    """A modular type scale: ``size(0)`` is the body size, ``size(n)`` = base * ratio**n."""

    base: float = 16.0
    ratio: float = 1.25

    def size(self, step: int) -> float:
        return self.base * self.ratio**step

    def with_base(self, base: float) -> TypeScale:
        return TypeScale(base=base, ratio=self.ratio)
