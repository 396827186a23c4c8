"""Typography: HarfBuzz shaping (kerning, ligatures, complex scripts), per-run font fallback,
dictionary hyphenation, and the jingle picture's labels. Real fonts, real skia, real HarfBuzz."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import uharfbuzz as hb
from PIL import Image

from adloom.assets.jingle.picture import Marker, PictureSpec, draw_picture
from adloom.render.fonts import FALLBACK_FONTS, face_data, resolve_font, typeface
from adloom.render.text import fit_text, hyphenation_points, measure, shape

FAMILIES = [("Manrope", 400), ("Manrope", 800), ("Lato", 400), ("Fjalla One", 400),
            ("Source Sans Pro", 400), ("Source Sans Pro", 700)]
CORPUS = [
    "Crème brûlée", "«guillemets»", "Mañana", "Smørrebrød", "Straße",
    "€ 5 – 10 — it’s™ 30° ½ off",
    "قهوة باردة جاهزة",  # Arabic
    "ठंडी कॉफ़ी तैयार है",  # Devanagari
    "コールドブリュー、いつでも準備完了",  # Japanese
]


def _harfbuzz(text: str, family: str) -> tuple[float, int]:
    """(advance in px at 100 px, glyph count) straight from HarfBuzz on the font's bytes."""
    face = typeface(resolve_font(family))
    data = face_data(face)
    assert data is not None
    font = hb.Font(hb.Face(data))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {"kern": True, "liga": True})
    advance = sum(p.x_advance for p in buffer.glyph_positions) * 100 / face.getUnitsPerEm()
    return advance, len(buffer.glyph_infos)


@pytest.mark.parametrize("family", ["Manrope", "Lato", "Source Sans Pro"])
def test_kerned_width_matches_harfbuzz(family: str) -> None:
    expected, _ = _harfbuzz("AVAVAV", family)
    measured = measure("AVAVAV", typeface(resolve_font(family)), 100)
    assert abs(measured - expected) <= 0.01 * expected


def test_ligatures_give_harfbuzz_glyph_count() -> None:
    _, expected = _harfbuzz("office affluent", "Manrope")
    shaped = shape("office affluent", typeface(resolve_font("Manrope")))
    assert expected == 12  # Manrope has the ffi/ffl ligatures
    assert shaped.glyph_count == expected


@pytest.mark.parametrize(("family", "weight"), FAMILIES)
def test_no_notdef_glyph_in_any_script(family: str, weight: int) -> None:
    face = typeface(resolve_font(family, weight=weight))
    missing = {text: shape(text, face).missing_glyphs for text in CORPUS}
    assert all(count == 0 for count in missing.values()), missing


def test_arabic_is_shaped_joined_and_right_to_left() -> None:
    shaped = shape("قهوة", typeface(resolve_font("Manrope")))
    (run,) = shaped.runs
    assert run.face.getFamilyName() == "Noto Sans Arabic"
    # joined forms differ from the isolated letters, and the first letter is drawn rightmost
    isolated = [set(shape(c, run.face).runs[0].glyphs) for c in "قهوة"]
    leftmost = run.glyphs[[x for x, _ in run.positions].index(0.0)]
    assert leftmost in isolated[-1]  # the last letter, teh marbuta, is drawn leftmost
    assert not isolated[0] <= set(run.glyphs)  # qaf joins: its initial form, not the isolated


def test_every_fallback_font_is_installed() -> None:
    missing = [font.name for font in FALLBACK_FONTS if font.path(400) is None]
    assert missing == []


def _fit(text: str, width: float) -> tuple[str, ...] | None:
    fitted = fit_text(text, width=width, height=1000, typeface=typeface(resolve_font("Manrope")),
                      max_lines=4, min_size=40, max_size=40)
    return None if fitted is None else fitted.lines


@pytest.mark.parametrize("width", [90, 110, 130, 150, 170, 190])
def test_short_words_and_names_are_never_hyphenated(width: int) -> None:
    for text in ("New patient", "Meet the Northbounder today", "Try AdLoomMaker now"):
        lines = _fit(text, width)
        assert lines is None or " ".join(lines) == text, lines


@pytest.mark.parametrize("width", [120, 160, 200])
def test_long_word_breaks_only_at_dictionary_points(width: int) -> None:
    lines = _fit("Unbelievably", width)
    assert lines is not None and len(lines) > 1
    assert "".join(line.removesuffix("-") for line in lines) == "Unbelievably"
    points = hyphenation_points("unbelievably")
    cuts = np.cumsum([len(line) - 1 for line in lines[:-1]])
    assert set(cuts.tolist()) <= set(points) and all(3 <= c <= 9 for c in cuts)


def _title_pixels(title: str, tmp_path: Path) -> np.ndarray:
    tone = np.sin(np.linspace(0, 2000, 8000)).astype(np.float32)
    path = draw_picture(tone, 8000, tmp_path / f"{len(list(tmp_path.iterdir()))}.png",
                        markers=[Marker("Intro", 0.0, 0.5)], spec=PictureSpec(title=title))
    return np.asarray(Image.open(path).convert("RGB"))[:26, :300].astype(int)


@pytest.mark.parametrize(("one", "other"), [("Crème àààà", "Crème èèèè"),
                                            ("ठंडी कॉफ़ी", "कॉफ़ी ठंडी"),
                                            ("こんにちは", "さようなら"),
                                            ("قهوة باردة", "باردة قهوة")])
def test_jingle_picture_labels_draw_the_letters_not_boxes(
    one: str, other: str, tmp_path: Path
) -> None:
    # two titles that differ only in non-ASCII letters: boxes would draw the same pixels
    difference = np.abs(_title_pixels(one, tmp_path) - _title_pixels(other, tmp_path))
    assert difference.sum() > 2000
