"""Text fitted to a box: the largest size whose word-wrapped lines fit, never overflowing.

Every run of text is shaped with HarfBuzz (kerning, ligatures, Arabic joining and right-to-left
order, Devanagari conjuncts), split first into runs by which font has the glyphs: the brand font,
then the Noto fallbacks (``render/fonts.py``). Shaping happens once per (face, text) at a
reference size and is cached; a width at any size is an exact multiple (no hinting), and what is
measured is exactly what is drawn, glyph for glyph.

Words are broken only at dictionary hyphenation points (pyphen), only in long words, and never
in names: a capitalised word mid-sentence or a word with capitals inside (a product or brand).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pyphen
import skia
import uharfbuzz as hb

from adloom.render.fonts import face_data, fallback_typefaces

_REF_SIZE = 100.0
_NBSP = "\u00a0"
_WORD_BREAKS = re.compile(r"[ \t\r\n]+")  # not the no-break space
_SHORT_WORD = re.compile(r"^(\w{1,2}|\d+)$")
_FEATURES = {"kern": True, "liga": True}
MIN_HYPHENATED_WORD = 7  # letters; shorter words are never broken
MIN_HYPHEN_SIDE = 3  # letters kept on each side of a break
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face with their pen positions, at the reference size (100 px)."""

    face: skia.Typeface
    glyphs: tuple[int, ...]
    positions: tuple[tuple[float, float], ...]  # x right, y down, from the text's origin


@dataclass(frozen=True)
class ShapedText:
    """A text shaped into runs of positioned glyphs at the reference size."""

    text: str
    runs: tuple[GlyphRun, ...]
    advance: float

    @property
    def missing_glyphs(self) -> int:
        """How many glyphs are ``.notdef`` (id 0): characters drawn as boxes."""
        return sum(run.glyphs.count(0) for run in self.runs)

    @property
    def glyph_count(self) -> int:
        return sum(len(run.glyphs) for run in self.runs)


_HB_FONTS: dict[int, hb.Font] = {}
_TABLE_READERS: list[Callable[[object, str, object], bytes]] = []


def _hb_font(face: skia.Typeface) -> hb.Font:
    key = face.uniqueID()
    font = _HB_FONTS.get(key)
    if font is None:
        data = face_data(face)
        # a face Adloom did not load (a system font): HarfBuzz reads its tables through skia
        hb_face = hb.Face(data) if data is not None else _hb_face_from_tables(face)
        font = _HB_FONTS[key] = hb.Font(hb_face)
    return font


def _hb_face_from_tables(face: skia.Typeface) -> hb.Face:
    """A HarfBuzz face over skia's copy of each table (kept alive: HarfBuzz does not copy)."""
    tables: dict[str, bytes] = {}

    def table(_: object, tag: str, __: object) -> bytes:
        if tag not in tables:
            data = face.getTableData(int.from_bytes(tag.encode("latin-1"), "big"))
            tables[tag] = bytes(data) if data is not None else b""
        return tables[tag]

    _TABLE_READERS.append(table)
    return hb.Face.create_for_tables(table, None)


def _joins_previous(char: str) -> bool:
    """Spaces, punctuation-free marks and joiners take the previous character's font, so a
    phrase in one script stays one run (and one right-to-left run for Arabic)."""
    category = unicodedata.category(char)
    return char.isspace() or category in ("Mn", "Me", "Cf") or char == _NBSP


def _font_runs(text: str, face: skia.Typeface) -> list[tuple[skia.Typeface, str]]:
    """Split ``text`` into runs by the first face (brand font, then fallbacks) with a glyph."""
    faces = (face, *fallback_typefaces(700 if face.isBold() else 400))
    runs: list[tuple[skia.Typeface, str]] = []
    for char in text:
        if runs and _joins_previous(char):
            chosen = runs[-1][0]
        else:
            code = ord(char)
            chosen = next((f for f in faces if f.unicharToGlyph(code)), face)
        if runs and runs[-1][0] is chosen:
            runs[-1] = (chosen, runs[-1][1] + char)
        else:
            runs.append((chosen, char))
    return runs


def _shape_run(face: skia.Typeface, text: str, x: float) -> tuple[GlyphRun, float, bool]:
    font = _hb_font(face)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, _FEATURES)
    scale = _REF_SIZE / face.getUnitsPerEm()
    glyphs, positions = [], []
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        glyphs.append(info.codepoint)
        positions.append((x + pos.x_offset * scale, -pos.y_offset * scale))
        x += pos.x_advance * scale
    run = GlyphRun(face, tuple(glyphs), tuple(positions))
    return run, x, buffer.direction == "rtl"


@lru_cache(maxsize=16384)
def _shape_by_id(face_id: int, text: str) -> ShapedText:
    face = _FACES[face_id]
    pieces = _font_runs(text, face)
    shaped: list[tuple[GlyphRun, float, bool]] = []
    for run_face, run_text in pieces:
        run, end, rtl = _shape_run(run_face, run_text, 0.0)
        shaped.append((run, end, rtl))
    # a line whose first run is right-to-left reads right to left: its runs go in reverse
    if shaped and shaped[0][2]:
        shaped.reverse()
    runs: list[GlyphRun] = []
    x = 0.0
    for run, width, _ in shaped:
        runs.append(GlyphRun(run.face, run.glyphs, tuple((px + x, py) for px, py in run.positions)))
        x += width
    return ShapedText(text, tuple(runs), x)


_FACES: dict[int, skia.Typeface] = {}


def shape(text: str, face: skia.Typeface) -> ShapedText:
    """``text`` shaped with ``face`` (and the fallbacks for what it lacks), cached."""
    _FACES.setdefault(face.uniqueID(), face)
    return _shape_by_id(face.uniqueID(), text)


_RECORDERS: list[list[ShapedText]] = []


@contextmanager
def recording_drawn_text() -> Iterator[list[ShapedText]]:
    """Every text drawn (as glyphs or as an outline) while the block runs, in order: what the
    visual critic reads for missing glyphs, whatever asset drew it."""
    drawn: list[ShapedText] = []
    _RECORDERS.append(drawn)
    try:
        yield drawn
    finally:
        _RECORDERS.remove(drawn)


def _drawn(shaped: ShapedText) -> None:
    for recorder in _RECORDERS:
        recorder.append(shaped)


def draw_shaped(
    canvas: skia.Canvas, shaped: ShapedText, x: float, y: float, size: float, paint: skia.Paint
) -> None:
    """Draw shaped text at ``size`` px with its baseline origin at (x, y)."""
    _drawn(shaped)
    blob = shaped_blob(shaped, size)
    if blob is not None:
        canvas.drawTextBlob(blob, x, y, paint)


def shaped_blob(shaped: ShapedText, size: float) -> skia.TextBlob | None:
    """The positioned glyphs of ``shaped`` at ``size`` px as one skia text blob."""
    builder = skia.TextBlobBuilder()
    scale = size / _REF_SIZE
    for run in shaped.runs:
        if not run.glyphs:
            continue
        points = [skia.Point(px * scale, py * scale) for px, py in run.positions]
        builder.allocRunPos(make_font(run.face, size), list(run.glyphs), points)
    return builder.make()


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
    """``text`` shaped, as one outline with its baseline origin at (0, 0); None when a glyph
    has no outline (a colour emoji).

    Filling the outline looks as drawing the glyphs does, at exact sub-pixel positions, and costs
    about half as much for large type that is drawn every frame (no glyph masks to blend)."""
    size = font.getSize()
    shaped = shape(text, font_face(font))
    _drawn(shaped)
    scale = size / _REF_SIZE
    path = skia.Path()
    for run in shaped.runs:
        run_font = make_font(run.face, size)
        for glyph, (px, py) in zip(run.glyphs, run.positions, strict=True):
            outline = run_font.getPath(glyph)
            if outline is None:
                return None
            path.addPath(outline, px * scale, py * scale)
    return path


def font_face(font: skia.Font) -> skia.Typeface:
    """The typeface ``font`` was made with by :func:`make_font` (skia-python's
    ``Font.getTypeface()`` returns a handle that cannot make new fonts)."""
    face = font.getTypeface()
    return _FACES.get(face.uniqueID(), face)


def make_font(face: skia.Typeface, size: float) -> skia.Font:
    _FACES.setdefault(face.uniqueID(), face)
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


def _ref_width(face: skia.Typeface, text: str) -> float:
    return shape(text, face).advance


def _ref_metrics(face: skia.Typeface) -> tuple[float, float]:
    metrics = _ref_font(face).getMetrics()
    return -metrics.fAscent / _REF_SIZE, metrics.fDescent / _REF_SIZE


def measure(text: str, face: skia.Typeface, size: float) -> float:
    """Advance width of ``text`` at ``size`` px."""
    return _ref_width(face, text) * size / _REF_SIZE


_HYPHENATORS: dict[str, pyphen.Pyphen] = {}


def _hyphenator(lang: str) -> pyphen.Pyphen | None:
    found = pyphen.language_fallback(lang.replace("-", "_")) or pyphen.language_fallback("en_US")
    if found is None:
        return None
    if found not in _HYPHENATORS:
        _HYPHENATORS[found] = pyphen.Pyphen(lang=found, left=MIN_HYPHEN_SIDE, right=MIN_HYPHEN_SIDE)
    return _HYPHENATORS[found]


def may_hyphenate(word: str, *, sentence_start: bool) -> bool:
    """Only long, lower-case words (or a capitalised word opening a sentence) are broken:
    names (capitalised mid-sentence, or with capitals inside, like "iPhone") never are."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < MIN_HYPHENATED_WORD or not word.isalpha():
        return False
    if any(c.isupper() for c in word[1:]):
        return False
    return sentence_start or not word[0].isupper()


def hyphenation_points(word: str, lang: str = "en") -> list[int]:
    """Dictionary break points of ``word`` (indexes), at least 3 letters from each end."""
    hyphenator = _hyphenator(lang)
    if hyphenator is None:
        return []
    return [i for i in hyphenator.positions(word)
            if MIN_HYPHEN_SIDE <= i <= len(word) - MIN_HYPHEN_SIDE]


def _split_word(
    word: str, face: skia.Typeface, size: float, width: float, *, sentence_start: bool
) -> list[str]:
    """Break an over-long word at dictionary points into hyphenated pieces that each fit
    ``width``; [] when it may not or cannot be broken that way."""
    if not may_hyphenate(word, sentence_start=sentence_start):
        return []
    points = hyphenation_points(word)
    chunks: list[str] = []
    start = 0
    while measure(word[start:], face, size) > width:
        fitting = [p for p in points if p > start and measure(word[start:p] + "-", face, size) <= width]
        if not fitting:
            return []
        cut = fitting[-1]
        chunks.append(word[start:cut] + "-")
        start = cut
    return [*chunks, word[start:]]


def _opens_sentence(previous: str) -> bool:
    return not previous or previous.rstrip("\"'»”)").endswith((".", "!", "?", ":"))


def wrap(
    text: str, face: skia.Typeface, size: float, width: float, *, break_words: bool = False
) -> list[str] | None:
    """Greedy word wrap; None when a word is wider than the line (and may not be broken)."""
    lines: list[str] = []
    current = ""
    previous = ""
    for word in _WORD_BREAKS.split(text.strip()):
        if measure(word, face, size) > width:
            if not break_words:
                return None
            pieces = _split_word(
                word, face, size, width, sentence_start=_opens_sentence(previous)
            )
            if not pieces:
                return None
        else:
            pieces = [word]
        previous = word
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
    text = " ".join(_WORD_BREAKS.split(text.strip()))  # no-break spaces stay
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
    paint = skia.Paint(AntiAlias=True, Color=_color(color))
    for index, line in enumerate(fitted.lines):
        shaped = shape(line, fitted.typeface)
        line_width = shaped.advance * fitted.size / _REF_SIZE
        offset = {"left": 0.0, "center": (fitted.box_width - line_width) / 2}.get(
            align, fitted.box_width - line_width
        )
        draw_shaped(canvas, shaped, x + offset, y + fitted.baseline(index), fitted.size, paint)
