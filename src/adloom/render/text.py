"""Text fitted to a box: the largest size whose word-wrapped lines fit, never overflowing.

Widths are measured with skia at a reference size with linear metrics, so that a word's width
at any size is an exact multiple (no hinting) and the size search costs one measurement per word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import skia

_REF_SIZE = 100.0
_NBSP = "\u00a0"
_WORD_BREAKS = re.compile(r"[ \t\r\n]+")  # not the no-break space
_SHORT_WORD = re.compile(r"^(\w{1,2}|\d+)$")
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class FittedText:
    """Lines of text at a size that fits a ``box_width`` x ``box_height`` box."""

    lines: tuple[str, ...]
    size: float
    line_height: float  # multiple of size
    typeface: skia.Typeface
    box_width: float
    box_height: float
    width: float  # widest line, in px
    height: float  # from the top of the first line's ascent to the last line's descent
    ascent: float  # px above the first baseline (positive)

    @property
    def line_advance(self) -> float:
        return self.size * self.line_height

    def baseline(self, index: int) -> float:
        """Baseline of line ``index`` relative to the top of the text block."""
        return self.ascent + index * self.line_advance


def text_path(text: str, font: skia.Font) -> skia.Path | None:
    """``text`` as one outline with its baseline origin at (0, 0), glyphs placed as
    ``drawString`` places them; None when a glyph has no outline (a colour emoji).

    Filling the outline looks as ``drawString`` does, at exact sub-pixel positions, and costs
    about half as much for large type that is drawn every frame (no glyph masks to blend)."""
    glyphs = font.textToGlyphs(text)
    path = skia.Path()
    for glyph, x in zip(glyphs, font.getXPos(glyphs), strict=True):
        outline = font.getPath(glyph)
        if outline is None:
            return None
        path.addPath(outline, x, 0)
    return path


def make_font(face: skia.Typeface, size: float) -> skia.Font:
    font = skia.Font(face, size)
    font.setSubpixel(True)
    font.setLinearMetrics(True)
    font.setHinting(skia.FontHinting.kNone)
    font.setEdging(skia.Font.Edging.kAntiAlias)
    return font


# skia typefaces are not hashable: caches are keyed by the typeface's unique id
_REF_FONTS: dict[int, skia.Font] = {}


def _ref_font(face: skia.Typeface) -> skia.Font:
    key = face.uniqueID()
    font = _REF_FONTS.get(key)
    if font is None:
        font = _REF_FONTS[key] = make_font(face, _REF_SIZE)
    return font


@lru_cache(maxsize=8192)
def _ref_width_by_id(face_id: int, text: str) -> float:
    return float(_REF_FONTS[face_id].measureText(text))


def _ref_width(face: skia.Typeface, text: str) -> float:
    _ref_font(face)
    return _ref_width_by_id(face.uniqueID(), text)


def _ref_metrics(face: skia.Typeface) -> tuple[float, float]:
    metrics = _ref_font(face).getMetrics()
    return -metrics.fAscent / _REF_SIZE, metrics.fDescent / _REF_SIZE


def measure(text: str, face: skia.Typeface, size: float) -> float:
    """Advance width of ``text`` at ``size`` px."""
    return _ref_width(face, text) * size / _REF_SIZE


def _split_word(word: str, face: skia.Typeface, size: float, width: float) -> list[str]:
    """Break an over-long word into hyphenated chunks that each fit ``width``."""
    chunks: list[str] = []
    rest = word
    while rest and measure(rest, face, size) > width:
        cut = len(rest) - 1
        while cut > 1 and measure(rest[:cut] + "-", face, size) > width:
            cut -= 1
        if cut <= 1:
            return []
        chunks.append(rest[:cut] + "-")
        rest = rest[cut:]
    return [*chunks, rest] if rest else chunks


def wrap(
    text: str, face: skia.Typeface, size: float, width: float, *, break_words: bool = False
) -> list[str] | None:
    """Greedy word wrap; None when a word is wider than the line (and may not be broken)."""
    lines: list[str] = []
    current = ""
    for word in _WORD_BREAKS.split(text.strip()):
        if measure(word, face, size) > width:
            if not break_words:
                return None
            pieces = _split_word(word, face, size, width)
            if not pieces:
                return None
        else:
            pieces = [word]
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if current and measure(candidate, face, size) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines


def _block_height(n_lines: int, size: float, line_height: float, face: skia.Typeface) -> float:
    ascent, descent = _ref_metrics(face)
    return (n_lines - 1) * size * line_height + (ascent + descent) * size


def _try_size(
    text: str, face: skia.Typeface, size: float, box: tuple[float, float, int, float], brk: bool
) -> list[str] | None:
    width, height, max_lines, line_height = box
    lines = wrap(text, face, size, width, break_words=brk)
    if lines is None or not lines or len(lines) > max_lines:
        return None
    if _block_height(len(lines), size, line_height, face) > height:
        return None
    return lines


def _largest_fit(
    text: str, face: skia.Typeface, box: tuple[float, float, int, float], sizes: range, brk: bool
) -> tuple[int, list[str]] | None:
    # Binary search for speed, then a short linear walk upward because greedy wrapping is
    # not perfectly monotonic in size.
    lo, hi = sizes.start, sizes.stop - 1
    best: tuple[int, list[str]] | None = None
    while lo <= hi:
        mid = (lo + hi) // 2
        lines = _try_size(text, face, float(mid), box, brk)
        if lines is not None:
            best, lo = (mid, lines), mid + 1
        else:
            hi = mid - 1
    if best is None:
        return None
    for size in range(best[0] + 1, min(best[0] + 4, sizes.stop)):
        lines = _try_size(text, face, float(size), box, brk)
        if lines is not None:
            best = (size, lines)
    return best


def glue_short_words(text: str) -> str:
    """Bind one- and two-letter words and numbers to the next word ("to seed", "8 a.m."),
    so a headline line never ends on them."""
    words = text.split()
    out = []
    for index, word in enumerate(words):
        tail = index == len(words) - 1
        out.append(word + ("" if tail else (_NBSP if _SHORT_WORD.match(word) else " ")))
    return "".join(out)


def _avoid_widow(
    text: str,
    face: skia.Typeface,
    box: tuple[float, float, int, float],
    sizes: range,
    size: int,
    lines: list[str],
) -> tuple[int, list[str]]:
    """A last line under a third of the widest is a widow: take one line fewer when that
    costs at most 15 % of the size."""
    widths = [measure(line, face, size) for line in lines]
    if widths[-1] >= max(widths) / 3:
        return size, lines
    width, height, _, line_height = box
    floor = max(sizes.start, int(size * 0.85 + 0.999))
    fewer = _largest_fit(
        text, face, (width, height, len(lines) - 1, line_height), range(floor, size + 1), False
    )
    return fewer if fewer is not None else (size, lines)


def balance_lines(
    text: str, face: skia.Typeface, size: float, width: float, lines: list[str]
) -> list[str]:
    """Re-wrap into the same number of lines at the narrowest width that still allows it, so
    lines come out even (no one-word widow under a long line)."""
    lo, hi, best = width * 0.4, width, lines
    for _ in range(10):
        mid = (lo + hi) / 2
        candidate = wrap(text, face, size, mid, break_words=False)
        if candidate is not None and len(candidate) <= len(lines):
            best, hi = candidate, mid
        else:
            lo = mid
    return best


def fit_text(
    text: str,
    *,
    width: float,
    height: float,
    typeface: skia.Typeface,
    max_lines: int,
    min_size: float,
    max_size: float,
    line_height: float = 1.15,
    balance: bool = False,
) -> FittedText | None:
    """Largest whole-pixel size (``min_size``..``max_size``) at which ``text`` wraps into at most
    ``max_lines`` lines inside ``width`` x ``height``. Words are broken (with a hyphen) only when
    no size fits without breaking. None when nothing fits at ``min_size``: the caller should
    use a shorter copy variant. ``balance`` evens out the line lengths (for headlines)."""
    text = " ".join(text.split())
    if not text or width <= 0 or height <= 0 or max_lines < 1:
        return None
    sizes = range(max(1, int(min_size + 0.999)), int(max_size) + 1)
    if not sizes:
        return None
    box = (width, height, max_lines, line_height)
    found = _largest_fit(text, typeface, box, sizes, False)
    if balance and found is not None:
        # short words stay with the next word unless that costs more than 10 % of the size
        glued = _largest_fit(glue_short_words(text), typeface, box, sizes, False)
        if glued is not None and glued[0] >= found[0] * 0.9:
            text, found = glue_short_words(text), glued
    if found is None:
        found = _largest_fit(text, typeface, box, sizes, True)
    if found is None:
        return None
    size, lines = found
    if balance and len(lines) > 1 and not any(line.endswith("-") for line in lines):
        size, lines = _avoid_widow(text, typeface, box, sizes, size, lines)
        lines = balance_lines(text, typeface, float(size), width, lines)
    lines = [line.replace(_NBSP, " ") for line in lines]
    ascent, _ = _ref_metrics(typeface)
    return FittedText(
        lines=tuple(lines),
        size=float(size),
        line_height=line_height,
        typeface=typeface,
        box_width=width,
        box_height=height,
        width=max(measure(line, typeface, size) for line in lines),
        height=_block_height(len(lines), size, line_height, typeface),
        ascent=ascent * size,
    )


def _color(color: str) -> int:
    value = color.lstrip("#")
    return int(
        skia.ColorSetARGB(255, int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))
    )


def draw_text(
    canvas: skia.Canvas,
    fitted: FittedText,
    x: float,
    y: float,
    color: str,
    align: Align = "left",
) -> None:
    """Draw fitted text with its block's top-left at (x, y), aligned inside ``box_width``."""
    font = make_font(fitted.typeface, fitted.size)
    paint = skia.Paint(AntiAlias=True, Color=_color(color))
    for index, line in enumerate(fitted.lines):
        line_width = measure(line, fitted.typeface, fitted.size)
        offset = {"left": 0.0, "center": (fitted.box_width - line_width) / 2}.get(
            align, fitted.box_width - line_width
        )
        canvas.drawString(line, x + offset, y + fitted.baseline(index), font, paint)
