"""Brand fonts resolved to font files that ship inside the package (no run-time download).

Shipped families (all SIL OFL 1.1, licences beside the files in ``render/fonts/``): Manrope,
Lato, Fjalla One and Source Sans Pro. A brief may name any Google font; a family we do not ship
is mapped to the closest shipped one and the :class:`FontChoice` says so (``fallback=True`` and
a ``note``), so the dashboard can show the substitution instead of hiding it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import skia

FONT_DIR = Path(__file__).parent / "fonts"

# family key -> weight -> file (relative to FONT_DIR)
_SHIPPED: dict[str, dict[int, str]] = {
    "manrope": {
        400: "manrope/Manrope-Regular.ttf",
        500: "manrope/Manrope-Medium.ttf",
        600: "manrope/Manrope-SemiBold.ttf",
        700: "manrope/Manrope-Bold.ttf",
        800: "manrope/Manrope-ExtraBold.ttf",
    },
    "lato": {400: "lato/Lato-Regular.ttf", 700: "lato/Lato-Bold.ttf", 900: "lato/Lato-Black.ttf"},
    "fjalla one": {400: "fjalla-one/FjallaOne-Regular.ttf"},
    "source sans pro": {
        400: "source-sans-pro/SourceSansPro-Regular.otf",
        600: "source-sans-pro/SourceSansPro-Semibold.otf",
        700: "source-sans-pro/SourceSansPro-Bold.otf",
    },
}

_DISPLAY_NAMES = {
    "manrope": "Manrope",
    "lato": "Lato",
    "fjalla one": "Fjalla One",
    "source sans pro": "Source Sans Pro",
}

# Requested family -> closest shipped family, chosen by classification (geometric/grotesque
# sans, humanist sans, condensed display). Anything else falls back to DEFAULT_FAMILY.
_SIMILAR: dict[str, str] = {
    "source sans 3": "source sans pro",
    "inter": "manrope",
    "roboto": "manrope",
    "helvetica": "manrope",
    "helvetica neue": "manrope",
    "arial": "manrope",
    "dm sans": "manrope",
    "plus jakarta sans": "manrope",
    "poppins": "manrope",
    "montserrat": "manrope",
    "work sans": "manrope",
    "ibm plex sans": "source sans pro",
    "open sans": "source sans pro",
    "noto sans": "source sans pro",
    "nunito sans": "source sans pro",
    "pt sans": "source sans pro",
    "fira sans": "source sans pro",
    "raleway": "lato",
    "merriweather sans": "lato",
    "oswald": "fjalla one",
    "bebas neue": "fjalla one",
    "anton": "fjalla one",
    "league gothic": "fjalla one",
    "archivo narrow": "fjalla one",
    "barlow condensed": "fjalla one",
    "roboto condensed": "fjalla one",
}

DEFAULT_FAMILY = "manrope"


@dataclass(frozen=True)
class FontChoice:
    """A requested family resolved to a shipped font file."""

    requested: str
    family: str
    path: Path
    fallback: bool
    weight: int = 400
    note: str = ""


def shipped_families() -> list[str]:
    """Display names of the families that ship with Adloom."""
    return [_DISPLAY_NAMES[key] for key in _SHIPPED]


def _key(family: str) -> str:
    return " ".join(family.lower().replace("-", " ").replace("_", " ").split())


def _nearest_weight(weights: dict[int, str], weight: int) -> int:
    # CSS-like: prefer the closest weight, ties go to the heavier face
    return min(weights, key=lambda w: (abs(w - weight), -w))


def resolve_font(family: str, *, weight: int = 400) -> FontChoice:
    """Resolve a brand font family (e.g. "Manrope", "Inter") to a shipped font file."""
    key = _key(family)
    note = ""
    fallback = key not in _SHIPPED
    if fallback:
        target = _SIMILAR.get(key, DEFAULT_FAMILY)
        note = f"'{family}' is not shipped; using {_DISPLAY_NAMES[target]} instead"
        key = target
    weights = _SHIPPED[key]
    chosen = _nearest_weight(weights, weight)
    if chosen != weight and not note:
        note = f"weight {weight} not shipped for {_DISPLAY_NAMES[key]}; using {chosen}"
    return FontChoice(
        requested=family,
        family=_DISPLAY_NAMES[key],
        path=FONT_DIR / weights[chosen],
        fallback=fallback,
        weight=chosen,
        note=note,
    )


@lru_cache(maxsize=64)
def _typeface_from(path: str) -> skia.Typeface:
    face = skia.Typeface.MakeFromFile(path)
    if face is None:
        from adloom.errors import RenderError

        raise RenderError(f"Font file {path} could not be loaded.", hint="Reinstall Adloom.")
    return face


def typeface(choice: FontChoice) -> skia.Typeface:
    """The skia typeface for a resolved font (cached per file)."""
    return _typeface_from(str(choice.path))
