"""Brand fonts resolved to font files that ship inside the package (no run-time download).

Shipped families (all SIL OFL 1.1, licences beside the files in ``render/fonts/``): Manrope,
Lato, Fjalla One and Source Sans Pro, plus the Noto fallbacks (Noto Sans, Noto Sans Arabic, Noto
Sans Devanagari) that draw what a brand font has no glyph for. Japanese, Chinese and Korean come
from a system font when one is installed (Debian's ``fonts-droid-fallback``, which ``make``
installs where apt is available); without it those characters stay boxes and ``adloom doctor``
warns.

Every face is loaded as a static TrueType (glyf) font: skia's PDF backend embeds only those as
TrueType and falls back to Type 3 for CFF-flavoured OpenType (Source Sans Pro) and variable
fonts, which print preflight rejects. Such files are converted once per process on load. A brief may name any Google font; a family we do not ship
is mapped to the closest shipped one and the :class:`FontChoice` says so (``fallback=True`` and
a ``note``), so the dashboard can show the substitution instead of hiding it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import skia
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fontTools.varLib import instancer

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


@dataclass(frozen=True)
class FallbackFont:
    """A font that draws the characters a brand font lacks (one script or a broad set)."""

    name: str
    covers: str  # what it is for, for ``adloom doctor``
    candidates: tuple[tuple[int, str], ...]  # (weight, path); the first existing path per weight

    def path(self, weight: int) -> Path | None:
        """The installed file nearest to ``weight``; None when the font is absent."""
        present = [(w, Path(p)) for w, p in self.candidates if Path(p).is_file()]
        if not present:
            return None
        return min(present, key=lambda item: (abs(item[0] - weight), -item[0]))[1]


_NOTO = FONT_DIR / "noto"
# Order matters: the first font that has a character's glyph draws it; the script fonts come
# before Noto Sans, which also covers Devanagari but with a shorter feature set.
FALLBACK_FONTS: tuple[FallbackFont, ...] = (
    FallbackFont(
        "Noto Sans Arabic",
        "Arabic",
        (
            (400, str(_NOTO / "NotoSansArabic-Regular.ttf")),
            (700, str(_NOTO / "NotoSansArabic-Bold.ttf")),
        ),
    ),
    FallbackFont(
        "Noto Sans Devanagari",
        "Devanagari",
        (
            (400, str(_NOTO / "NotoSansDevanagari-Regular.ttf")),
            (700, str(_NOTO / "NotoSansDevanagari-Bold.ttf")),
        ),
    ),
    FallbackFont(
        "Noto Sans",
        "Latin, Greek, Cyrillic and symbols",
        ((400, str(_NOTO / "NotoSans-Regular.ttf")), (700, str(_NOTO / "NotoSans-Bold.ttf"))),
    ),
    FallbackFont(
        "Droid Sans Fallback",
        "Japanese, Chinese and Korean (Debian package fonts-droid-fallback)",
        ((400, "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),),
    ),
)


def fallback_status() -> list[tuple[FallbackFont, Path | None]]:
    """Each fallback font with its installed file (None when absent), for ``adloom doctor``."""
    return [(font, font.path(400)) for font in FALLBACK_FONTS]


def _cff_to_glyf(font: TTFont) -> None:
    """Redraw CFF outlines as quadratic TrueType outlines (same glyph order, so same ids)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours",
                  "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
                  "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def static_truetype(data: bytes) -> bytes:
    """``data`` as a static glyf-outline font: variable fonts at their default instance, CFF
    outlines converted. Unchanged when it already is one (the common, free case)."""
    font = TTFont(io.BytesIO(data), lazy=False)
    if "fvar" not in font and "CFF " not in font and "CFF2" not in font:
        return data
    if "fvar" in font:
        font = instancer.instantiateVariableFont(font, {})
    if "CFF " in font:
        _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# Font bytes by skia typeface id: the shaper (HarfBuzz) reads the very bytes skia draws.
_FACE_DATA: dict[int, bytes] = {}


def face_data(face: skia.Typeface) -> bytes | None:
    """The font file bytes behind ``face`` when Adloom loaded it (None for foreign faces)."""
    return _FACE_DATA.get(face.uniqueID())


@lru_cache(maxsize=64)
def _typeface_from(path: str) -> skia.Typeface:
    try:
        data = static_truetype(Path(path).read_bytes())
        face = skia.Typeface.MakeFromData(skia.Data.MakeWithCopy(data))
    except Exception:  # noqa: BLE001 - any unreadable font file is the same failure to the user
        face = None
    if face is None:
        from adloom.errors import RenderError

        raise RenderError(f"Font file {path} could not be loaded.", hint="Reinstall Adloom.")
    _FACE_DATA[face.uniqueID()] = data
    return face


def load_typeface(path: Path) -> skia.Typeface:
    """The skia typeface for a font file, static TrueType, cached per file."""
    return _typeface_from(str(path))


def typeface(choice: FontChoice) -> skia.Typeface:
    """The skia typeface for a resolved font (cached per file)."""
    return _typeface_from(str(choice.path))


@lru_cache(maxsize=16)
def fallback_typefaces(weight: int) -> tuple[skia.Typeface, ...]:
    """The installed fallback faces nearest to ``weight``, in fallback order."""
    paths = [font.path(weight) for font in FALLBACK_FONTS]
    return tuple(_typeface_from(str(p)) for p in paths if p is not None)
