"""Render core: fonts, palette/contrast, text fitting, layout geometry, budgeted encoding."""

from __future__ import annotations

import io

import numpy as np
import pytest
import skia
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from adloom.assets.base import BrandSpec
from adloom.render.design import (
    AA_NORMAL,
    Palette,
    best_text_color,
    contrast_ratio,
    ensure_contrast,
)
from adloom.render.fonts import resolve_font, shipped_families, typeface
from adloom.render.layout import Box, contain, cover, shape_class
from adloom.render.raster import encode, encode_within_budget, new_surface, to_rgba
from adloom.render.text import draw_text, fit_text, measure

NORTHBOUND = {
    "primary": "#1F3A5F",
    "secondary": "#F2E8DC",
    "accent": "#E07A2E",
    "background": "#FBF7F2",
    "text": "#1B1B1B",
}
hex_colors = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")


# ------------------------------------------------------------------ fonts


@pytest.mark.parametrize("family", ["Manrope", "Lato", "Fjalla One", "Source Sans Pro"])
def test_shipped_family_resolves_to_its_own_file(family: str) -> None:
    choice = resolve_font(family, weight=700)
    assert not choice.fallback
    assert choice.path.exists()
    assert typeface(choice).getFamilyName() == family


def test_unknown_family_falls_back_visibly_to_a_similar_one() -> None:
    inter = resolve_font("Inter", weight=800)
    assert inter.fallback and inter.family == "Manrope" and inter.weight == 800
    assert "Inter" in inter.note
    oswald = resolve_font("Oswald")
    assert oswald.family == "Fjalla One" and oswald.fallback
    assert resolve_font("Totally Made Up Sans").family in shipped_families()


def test_nearest_weight_is_chosen_and_reported() -> None:
    choice = resolve_font("Lato", weight=600)
    assert choice.weight == 700 and "600" in choice.note and not choice.fallback


def test_typeface_is_cached() -> None:
    choice = resolve_font("Manrope", weight=800)
    assert typeface(choice) is typeface(choice)


# ------------------------------------------------------------------ design


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#1F3A5F", "#FBF7F2") == contrast_ratio("#FBF7F2", "#1F3A5F")


def test_best_text_color_prefers_first_passing_candidate() -> None:
    assert best_text_color("#FFFFFF", ["#AAAAAA", "#1F3A5F", "#000000"]) == "#1F3A5F"
    assert best_text_color("#808080", ["#7F7F7F"]) in {"#000000", "#FFFFFF"}


def test_northbound_palette_text_passes_aa_on_every_surface() -> None:
    pal = Palette.from_brand(BrandSpec(name="Northbound", colors=NORTHBOUND))
    pairs = [
        (pal.text, pal.background),
        (pal.text_on_surface, pal.surface),
        (pal.text_on_primary, pal.primary),
        (pal.text_on_secondary, pal.secondary),
        (pal.text_on_accent, pal.accent),
        (pal.muted, pal.background),
    ]
    for fg, bg in pairs:
        assert contrast_ratio(fg, bg) >= AA_NORMAL, (fg, bg)
    assert pal.text == "#1B1B1B"  # the brand's own text colour is kept when it passes


@settings(max_examples=200, deadline=None)
@given(bg=hex_colors, primary=hex_colors, accent=hex_colors, text=hex_colors, secondary=hex_colors)
def test_any_brand_palette_gives_aa_text(
    bg: str, primary: str, accent: str, text: str, secondary: str
) -> None:
    pal = Palette.from_brand(
        BrandSpec(
            name="x",
            colors={
                "background": bg,
                "primary": primary,
                "accent": accent,
                "text": text,
                "secondary": secondary,
            },
        )
    )
    assert contrast_ratio(pal.text, pal.background) >= AA_NORMAL
    assert contrast_ratio(pal.text_on_primary, pal.primary) >= AA_NORMAL
    assert contrast_ratio(pal.text_on_accent, pal.accent) >= AA_NORMAL
    assert contrast_ratio(pal.muted, pal.background) >= AA_NORMAL
    assert contrast_ratio(ensure_contrast(primary, bg), bg) >= AA_NORMAL


# ------------------------------------------------------------------ text


@pytest.fixture(scope="module")
def heavy() -> skia.Typeface:
    return typeface(resolve_font("Manrope", weight=800))


def test_fit_text_picks_the_largest_size_that_fits(heavy: skia.Typeface) -> None:
    kw = {
        "width": 280,
        "height": 100,
        "typeface": heavy,
        "max_lines": 3,
        "min_size": 10,
        "max_size": 80,
    }
    fitted = fit_text("Café cold brew, ready when you are", **kw)  # type: ignore[arg-type]
    assert fitted is not None
    assert all(measure(line, heavy, fitted.size) <= 280 for line in fitted.lines)
    assert fitted.height <= 100 and len(fitted.lines) <= 3
    assert " ".join(fitted.lines) == "Café cold brew, ready when you are"
    bigger = fit_text("Café cold brew, ready when you are", **{**kw, "min_size": fitted.size + 1})  # type: ignore[arg-type]
    assert bigger is None


def test_fit_text_returns_none_below_the_legibility_floor(heavy: skia.Typeface) -> None:
    assert (
        fit_text(
            "A headline that is far too long for a tiny box",
            width=60,
            height=14,
            typeface=heavy,
            max_lines=1,
            min_size=12,
            max_size=40,
        )
        is None
    )


def test_overlong_word_is_broken_with_a_hyphen(heavy: skia.Typeface) -> None:
    fitted = fit_text(
        "Supercalifragilisticexpialidocious",
        width=100,
        height=120,
        typeface=heavy,
        max_lines=4,
        min_size=12,
        max_size=60,
    )
    assert fitted is not None and len(fitted.lines) > 1
    assert fitted.lines[0].endswith("-")
    assert (
        "".join(line.rstrip("-") for line in fitted.lines) == "Supercalifragilisticexpialidocious"
    )


@settings(max_examples=80, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14),
        min_size=1,
        max_size=12,
    ),
    width=st.integers(40, 400),
    height=st.integers(12, 200),
    max_lines=st.integers(1, 4),
)
def test_fitted_text_never_overflows(
    words: list[str], width: int, height: int, max_lines: int
) -> None:
    face = typeface(resolve_font("Lato"))
    fitted = fit_text(
        " ".join(words),
        width=width,
        height=height,
        typeface=face,
        max_lines=max_lines,
        min_size=9,
        max_size=72,
    )
    if fitted is not None:
        assert (
            len(fitted.lines) <= max_lines and fitted.height <= height + 1e-6 and fitted.size >= 9
        )
        assert all(measure(line, face, fitted.size) <= width + 1e-6 for line in fitted.lines)


def test_draw_text_ink_stays_inside_its_block(heavy: skia.Typeface) -> None:
    fitted = fit_text(
        "Ready when you are",
        width=150,
        height=60,
        typeface=heavy,
        max_lines=2,
        min_size=8,
        max_size=40,
    )
    assert fitted is not None
    surface = new_surface(200, 100)
    surface.getCanvas().clear(skia.ColorWHITE)
    draw_text(surface.getCanvas(), fitted, 20, 10, "#000000", "center")
    ink = np.argwhere(to_rgba(surface)[:, :, 0] < 128)
    (y0, x0), (y1, x1) = ink.min(axis=0), ink.max(axis=0)
    assert x0 >= 20 and x1 <= 20 + 150 and y0 >= 10 and y1 <= 10 + fitted.height + 1


# ------------------------------------------------------------------ layout


def test_box_geometry() -> None:
    box = Box(10, 20, 100, 50)
    assert box.place(20, 10, "bottom_right") == Box(90, 60, 20, 10)
    left, right = box.split_x(0.5, gap=10)
    assert (
        left == Box(10, 20, 45, 50) and right == Box(65, 20, 45, 50) and not left.intersects(right)
    )
    assert box.contains(box.inset(5)) and not box.inset(5).contains(box)


def test_contain_never_enlarges_past_max_scale() -> None:
    placed = contain(100, 50, Box(0, 0, 1000, 1000), max_scale=1.25)
    assert (placed.w, placed.h) == (125, 62.5)
    assert placed.cx == 500 and placed.cy == 500


def test_cover_keeps_the_focal_point_in_view() -> None:
    crop = cover(1000, 500, Box(0, 0, 100, 100), focal=(0.9, 0.5))
    assert crop.w == crop.h == 500
    assert crop.x == 500  # clamped at the right edge, focal x=900 inside
    assert crop.x <= 900 <= crop.right


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((728, 90), "leaderboard"),
        ((970, 90), "leaderboard"),
        ((468, 60), "mobile_strip"),
        ((320, 50), "mobile_strip"),
        ((320, 100), "mobile_strip"),
        ((160, 600), "skyscraper"),
        ((300, 1050), "skyscraper"),
        ((300, 600), "portrait"),
        ((1080, 1350), "portrait"),
        ((300, 250), "rectangle"),
        ((336, 280), "rectangle"),
        ((250, 250), "square"),
        ((1080, 1080), "square"),
        ((1200, 628), "landscape"),
    ],
)
def test_shape_classes(size: tuple[int, int], expected: str) -> None:
    assert shape_class(*size) == expected


# ------------------------------------------------------------------ raster


def _gradient_image(width: int, height: int) -> np.ndarray:
    rng = np.random.default_rng(1)
    xs = np.linspace(0, 255, width)[None, :, None]
    noise = rng.integers(0, 10, (height, width, 3))
    rgb = np.clip(xs + noise, 0, 255).astype(np.uint8)
    rgb[: height // 3] = [251, 247, 242]  # a flat brand field
    return np.dstack([rgb, np.full((height, width), 255, np.uint8)])


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_encode_within_budget_meets_budget_exact_size_and_is_deterministic(fmt: str) -> None:
    image = _gradient_image(600, 500)
    data = encode_within_budget(image, fmt, max_bytes=60_000)  # type: ignore[arg-type]
    assert len(data) <= 60_000
    assert data == encode_within_budget(image, fmt, max_bytes=60_000)  # type: ignore[arg-type]
    with Image.open(io.BytesIO(data)) as decoded:
        assert decoded.size == (600, 500)
        assert decoded.format == {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[fmt]


def test_quantised_png_keeps_flat_brand_colours_exact() -> None:
    image = _gradient_image(600, 500)
    assert len(encode(image, "png")) > 60_000  # so the palette path is exercised
    data = encode_within_budget(image, "png", max_bytes=60_000)
    with Image.open(io.BytesIO(data)) as decoded:
        assert decoded.mode == "P"
        assert decoded.convert("RGB").getpixel((10, 10)) == (251, 247, 242)


def test_balanced_headlines_keep_short_words_with_the_next_word(heavy: skia.Typeface) -> None:
    cases = {
        ("From idea to seed round in 90 days", 300): ("From idea", "to seed round", "in 90 days"),
        ("Skip the bitter 8 a.m. drip", 320): ("Skip the bitter", "8 a.m. drip"),
    }
    for (text, width), expected in cases.items():
        kw = {
            "width": width,
            "height": 200,
            "typeface": heavy,
            "max_lines": 3,
            "min_size": 10,
            "max_size": 40,
        }
        plain = fit_text(text, **kw)  # type: ignore[arg-type]
        fitted = fit_text(text, balance=True, **kw)  # type: ignore[arg-type]
        assert plain is not None and fitted is not None
        assert any(
            len(line.split()[-1]) <= 2 for line in plain.lines[:-1]
        )  # greedy ends on "to" / "8"
        assert fitted.lines == expected
        assert fitted.size >= plain.size * 0.9  # the rule never costs more than 10 % of the size
        widest = max(measure(line, heavy, fitted.size) for line in fitted.lines)
        assert widest <= width and fitted.width == widest


def test_balanced_headline_avoids_a_widow_when_one_line_fewer_costs_little(
    heavy: skia.Typeface,
) -> None:
    text = "Cold brew that waits for you"
    kw = {
        "width": 400,
        "height": 500,
        "typeface": heavy,
        "max_lines": 4,
        "min_size": 12,
        "max_size": 60,
    }
    plain = fit_text(text, **kw)  # type: ignore[arg-type]
    fitted = fit_text(text, balance=True, **kw)  # type: ignore[arg-type]
    assert plain is not None and plain.lines == ("Cold brew", "that waits for", "you")  # widow
    assert fitted is not None and fitted.lines == ("Cold brew that", "waits for you")
    assert plain.size * 0.85 <= fitted.size < plain.size
