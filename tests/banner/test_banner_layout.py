"""Banner layout as pure geometry: inside the banner, no overlaps, AA contrast, floors."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adloom.assets.banner.layout import (
    MAX_UPSCALE,
    BannerPlan,
    BannerSpec,
    CopyText,
    Fonts,
    LayoutHints,
    Media,
    compute_layout,
)
from adloom.assets.banner.sizes import ALL_SIZES, parse_size
from adloom.render.design import AA_NORMAL, contrast_ratio, palette_from_colors
from adloom.render.fonts import resolve_font, typeface
from adloom.render.layout import Box
from adloom.render.text import measure

NORTHBOUND = {
    "primary": "#1F3A5F",
    "secondary": "#F2E8DC",
    "accent": "#E07A2E",
    "background": "#FBF7F2",
    "text": "#1B1B1B",
}
LAUNCHPAD = {
    "primary": "#5B2EFF",
    "secondary": "#0E0B1F",
    "accent": "#00D1B2",
    "background": "#FFFFFF",
    "text": "#0E0B1F",
}
MEDIA = [Media("cutout", 407, 374), Media("photo", 640, 427, (0.5, 0.55)), Media("none")]
WORDS = [
    "cold",
    "brew",
    "ready",
    "when",
    "you",
    "are",
    "café",
    "seed",
    "round",
    "90",
    "days",
    "plan",
    "launch",
    "extraordinarily",
    "smooth",
    "no",
    "waiting",
]


def make_fonts(heading: str = "Manrope", body: str = "Lato") -> Fonts:
    return Fonts(
        typeface(resolve_font(heading, weight=800)),
        typeface(resolve_font(body)),
        typeface(resolve_font(body, weight=700)),
    )


FONTS = make_fonts()


def make_spec(
    size: str, headline: str = "Café cold brew, ready when you are", **kw: object
) -> BannerSpec:
    w, h = parse_size(size)
    base = BannerSpec(
        width=w,
        height=h,
        copy=CopyText(
            headline,
            "Steeped 18 hours. Smooth, low-acid, no machine and no waiting.",
            "Claim free bottle",
            "Cold brew, ready",
        ),
        palette=palette_from_colors(NORTHBOUND),
        fonts=FONTS,
        media=MEDIA[0],
        logo=(482, 482),
        brand_name="Northbound",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def assert_sound(plan: BannerPlan) -> None:
    canvas = Box(0, 0, plan.width, plan.height)
    boxes = plan.content_boxes()
    for role, box in boxes:
        assert canvas.contains(box, tolerance=0.5), (
            f"{role} {box} leaves the {plan.width}x{plan.height} banner"
        )
    for (ra, a), (rb, b) in itertools.combinations(boxes, 2):
        assert not a.intersects(b, tolerance=0.5), f"{ra} {a} overlaps {rb} {b}"
    for text in plan.texts:
        assert contrast_ratio(text.color, text.on) >= AA_NORMAL, (text.role, text.color, text.on)
        assert text.fitted.size >= 8
        assert text.fitted.height <= text.box.h + 1e-6
        for line in text.fitted.lines:
            assert measure(line, text.fitted.typeface, text.fitted.size) <= text.box.w + 1e-6
        if text.role == "cta":
            assert plan.button is not None and plan.button.box.contains(text.box, tolerance=0.5)
            assert text.on == plan.button.color
        else:  # flat background under the text: no decoration of another colour beneath it
            assert text.on == plan.background
            for shape in plan.shapes:
                assert shape.color == text.on or not shape.box.intersects(
                    text.box, tolerance=0.5
                ), (text.role, shape)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headline=st.lists(st.sampled_from(WORDS), min_size=1, max_size=14)
    .map(" ".join)
    .map(lambda s: s[:80].strip() or "a"),
    size=st.sampled_from(ALL_SIZES),
    media=st.sampled_from(MEDIA),
    logo=st.sampled_from([(482, 482), (400, 120), None]),
    colors=st.sampled_from([NORTHBOUND, LAUNCHPAD]),
    hints=st.builds(
        LayoutHints,
        arrangement=st.sampled_from(["text_left", "text_right", "text_top", "text_only"]),
        background=st.sampled_from(["gradient", "color_field", "shapes", "split"]),
        product=st.booleans(),
        logo=st.booleans(),
    ),
    extra=st.sampled_from(["", "First bottle free with a 3-month subscription", "Slow coffee"]),
)
def test_no_element_leaves_the_banner_or_overlaps(
    headline: str,
    size: str,
    media: Media,
    logo: tuple[int, int] | None,
    colors: dict[str, str],
    hints: LayoutHints,
    extra: str,
) -> None:
    spec = make_spec(
        size,
        headline,
        media=media,
        logo=logo,
        palette=palette_from_colors(colors),
        hints=hints,
        extra_line=extra,
    )
    plan = compute_layout(spec)
    assert_sound(plan)
    assert any(t.role == "headline" for t in plan.texts)


@settings(max_examples=120, deadline=None)
@given(
    headline=st.text(alphabet="abcdefghij klmnopqrstuvwxyzÉé-'", min_size=1, max_size=80),
    size=st.sampled_from(ALL_SIZES),
)
def test_arbitrary_headline_text_up_to_80_chars_is_sound(headline: str, size: str) -> None:
    if not headline.strip():
        headline = "x"
    assert_sound(compute_layout(make_spec(size, headline)))


@pytest.mark.parametrize("size", ALL_SIZES)
def test_every_size_has_headline_and_cta_and_product(size: str) -> None:
    plan = compute_layout(make_spec(size))
    roles = {role for role, _ in plan.content_boxes()}
    assert {"headline", "cta"} <= roles, roles
    assert "product" in roles, f"{size} lost the product"


def test_short_headline_is_used_when_the_headline_cannot_fit() -> None:
    long = "An unusually long headline about cold brew coffee"
    small = compute_layout(make_spec("320x50", long))
    assert small.used_short_headline
    assert (
        " ".join(next(t for t in small.texts if t.role == "headline").fitted.lines)
        == "Cold brew, ready"
    )
    big = compute_layout(make_spec("1080x1080", long))
    assert not big.used_short_headline


def test_layouts_differ_by_shape_class() -> None:
    def box(plan: BannerPlan, role: str) -> Box:
        return dict(plan.content_boxes())[role]

    row = compute_layout(make_spec("728x90"))
    assert box(row, "cta").x > box(row, "headline").right  # leaderboard: one row
    tower = compute_layout(make_spec("160x600"))
    assert (
        box(tower, "cta").y > box(tower, "product").bottom > box(tower, "headline").bottom
    )  # stacked
    wide = compute_layout(make_spec("1200x628"))
    assert box(wide, "product").x > box(wide, "headline").right  # copy beside media
    assert box(wide, "cta").y > box(wide, "headline").bottom


def test_product_is_never_enlarged_past_the_sharpness_limit() -> None:
    for size in ALL_SIZES:
        plan = compute_layout(make_spec(size, media=Media("cutout", 120, 100)))
        for image in plan.images:
            if image.role == "product":
                assert image.box.w <= 120 * MAX_UPSCALE + 1 and image.box.h <= 100 * MAX_UPSCALE + 1


def test_photo_is_cropped_not_enlarged_past_the_limit() -> None:
    for size in ALL_SIZES:
        plan = compute_layout(make_spec(size, media=Media("photo", 640, 427)))
        for image in plan.images:
            if image.role == "photo":
                assert image.crop is not None
                assert image.box.w / image.crop.w <= MAX_UPSCALE + 0.01
                assert image.box.w / image.box.h == pytest.approx(
                    image.crop.w / image.crop.h, rel=0.02
                )


def test_wordmark_replaces_a_missing_logo() -> None:
    plan = compute_layout(make_spec("300x250", logo=None, brand_name="LaunchPad"))
    brand = [t for t in plan.texts if t.role == "brand"]
    assert brand and brand[0].fitted.lines == ("LAUNCHPAD",)
    assert not any(i.role == "logo" for i in plan.images)


def test_scene_hints_mirror_drop_the_product_and_style_the_panel() -> None:
    plain = compute_layout(make_spec("1200x628"))
    mirrored = compute_layout(
        make_spec("1200x628", hints=LayoutHints(arrangement="text_right", background="gradient"))
    )
    product = dict(mirrored.content_boxes())["product"]
    assert product.right < dict(mirrored.content_boxes())["headline"].x  # media on the left now
    assert dict(plain.content_boxes())["product"].x > dict(plain.content_boxes())["headline"].right
    assert any(s.kind == "gradient" for s in mirrored.shapes)
    text_only = compute_layout(
        make_spec("320x50", hints=LayoutHints(arrangement="text_only", product=False))
    )
    assert not text_only.images
    no_logo = compute_layout(make_spec("300x250", hints=LayoutHints(logo=False)))
    assert not any(i.role == "logo" for i in no_logo.images) and not any(
        t.role == "brand" for t in no_logo.texts
    )


def test_tall_layouts_use_spare_height_for_the_offer() -> None:
    offer = "First bottle free with a 3-month subscription"
    tall = compute_layout(make_spec("300x1050", extra_line=offer))
    line = next(t for t in tall.texts if t.role == "offer")
    assert " ".join(line.fitted.lines) == offer
    assert line.box.y > dict(tall.content_boxes())["product"].bottom
    assert line.box.bottom < dict(tall.content_boxes())["cta"].y
    for size in ("300x250", "728x90", "1080x1080", "1080x1350"):  # no spare height there
        assert not any(
            t.role == "offer" for t in compute_layout(make_spec(size, extra_line=offer)).texts
        )
