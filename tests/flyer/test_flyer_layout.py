"""The pure layout: every family, every format, any copy length the script allows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adloom.assets.flyer.compose import Fonts, fit_plan
from adloom.assets.flyer.formats import FORMATS
from adloom.assets.flyer.layout import plan_flyer
from adloom.assets.flyer.plan import FAMILIES, FlyerCopy, Visuals
from adloom.render.design import Palette, palette_from_colors
from adloom.render.fonts import resolve_font, typeface

FONTS: Fonts = {
    "heading": typeface(resolve_font("Fjalla One", weight=700)),
    "body": typeface(resolve_font("Lato", weight=400)),
    "body_bold": typeface(resolve_font("Lato", weight=700)),
}
PALETTES = [
    palette_from_colors(
        {
            "primary": "#5B2EFF",
            "secondary": "#0E0B1F",
            "accent": "#00D1B2",
            "background": "#FFFFFF",
            "text": "#0E0B1F",
        }
    ),
    palette_from_colors(
        {
            "primary": "#1F3A5F",
            "secondary": "#F2E8DC",
            "accent": "#E07A2E",
            "background": "#FBF7F2",
            "text": "#1B1B1B",
        }
    ),
]
WORDS = st.sampled_from(
    [
        "plan",
        "seed",
        "round",
        "founders",
        "in",
        "90",
        "days",
        "a",
        "the",
        "investor-ready",
        "roadmap",
        "Supercalifragilisticexpialidocious",
        "WWWWWWWW",
        "café",
        "—",
        "€14",
        "launch",
    ]
)


def _copy_text(max_len: int, min_len: int = 1) -> st.SearchStrategy[str]:
    return (
        st.lists(WORDS, min_size=1, max_size=40)
        .map(" ".join)
        .map(lambda s: s[:max_len].strip() or "x")
        .filter(lambda s: len(s) >= min_len)
    )


copies = st.builds(
    FlyerCopy,
    headline=_copy_text(60),
    subhead=_copy_text(120),
    body=st.lists(_copy_text(90), min_size=3, max_size=5).map(tuple),
    cta=_copy_text(24),
    eyebrow=_copy_text(30),
    details=st.lists(
        st.tuples(st.sampled_from(["Date", "Time", "Where"]), _copy_text(40)), max_size=3
    ).map(tuple),
    offer=_copy_text(60),
    brand_name=_copy_text(30),
    qr_caption=st.sampled_from(["Scan to register", "Scan to claim the offer"]),
    display_url=_copy_text(40),
)


def _overlap(a: object, b: object, tol: float = 0.5) -> bool:
    from adloom.render.layout import Box

    assert isinstance(a, Box) and isinstance(b, Box)
    return a.intersects(b, tolerance=tol)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    copy=copies,
    family=st.sampled_from(FAMILIES),
    fmt=st.sampled_from(list(FORMATS.values())),
    hero=st.sampled_from(["product", "photo", "typographic"]),
    logo=st.booleans(),
    palette=st.sampled_from(PALETTES),
)
def test_no_text_leaves_the_safe_area(
    copy: FlyerCopy, family: str, fmt: object, hero: str, logo: bool, palette: Palette
) -> None:
    plan = plan_flyer(fmt, family, copy, palette, Visuals(hero=hero, logo=logo))  # type: ignore[arg-type]
    safe = plan.fmt.safe_area
    for slot in plan.texts:
        assert safe.contains(slot.box), (slot.name, slot.box, safe)
    for image in plan.images:
        if image.name in ("logo", "qr"):  # the hero may bleed; logo and QR may not
            assert safe.contains(image.box.inset(-image.backing_pad)), (image.name, image.box)
    placed = fit_plan(plan, FONTS)
    names = {p.slot.name for p in placed}
    assert "headline" in names and "cta" in names  # the essentials are never dropped
    for item in placed:
        assert safe.contains(item.bounds, tolerance=0.01), (item.slot.name, item.bounds, safe)
        assert item.fitted.size >= item.slot.floor  # never below the legibility floor
        assert len(item.fitted.lines) <= item.slot.max_lines
    for a, b in itertools.combinations(placed, 2):
        assert not _overlap(a.bounds, b.bounds), (a.slot.name, b.slot.name)


def test_families_are_distinct_layouts() -> None:
    copy = FlyerCopy(
        headline="From idea to seed round in 90 days",
        subhead="A live session.",
        body=("One", "Two", "Three"),
        cta="Save my seat",
        offer="Free",
        details=(("Date", "Thu 21 Jan 2027"),),
        eyebrow="Live",
    )
    heads = {}
    for family in FAMILIES:
        plan = plan_flyer(FORMATS["A4"], family, copy, PALETTES[0])
        headline = next(s for s in plan.texts if s.name == "headline")
        heads[family] = (
            round(headline.box.x),
            round(headline.box.y),
            round(headline.box.w),
            headline.align,
            plan.ground,
        )
    assert len(set(heads.values())) == 4, heads


def test_text_colours_pass_wcag_aa_on_their_ground() -> None:
    from adloom.render.design import contrast_ratio

    copy = FlyerCopy(headline="Headline", subhead="Sub", body=("a", "b", "c"), cta="Go")
    for family, palette in itertools.product(FAMILIES, PALETTES):
        plan = plan_flyer(FORMATS["A4"], family, copy, palette, Visuals(hero="typographic"))
        for slot in plan.texts:
            if slot.name in ("headline", "subhead") or slot.name.startswith("body."):
                assert contrast_ratio(slot.color[:7], plan.ground) >= 4.5, (family, slot.name)


def test_a_photo_too_small_for_its_slot_is_placed_smaller() -> None:
    copy = FlyerCopy(headline="Headline", subhead="Sub", body=("a", "b", "c"), cta="Go")
    a4 = FORMATS["A4"]
    big = plan_flyer(a4, "event", copy, PALETTES[0], Visuals(hero="photo"))
    hero = big.image("hero")
    assert hero is not None and hero.box.w == a4.width + 2 * a4.bleed  # full-bleed band
    # a 640x427 px photo covers at most 307x205 pt at 150 dpi: it becomes a framed inset
    small = Visuals(hero="photo", photo_max_w=640 * 72 / 150, photo_max_h=427 * 72 / 150)
    inset = plan_flyer(a4, "event", copy, PALETTES[0], small).image("hero")
    assert inset is not None and inset.clip == "round"
    assert inset.box.w <= 640 * 72 / 150 + 1e-6 and inset.box.h <= 427 * 72 / 150 + 1e-6
    assert inset.box.w / inset.box.h == pytest.approx(640 / 427)
    shrunk = 0
    for family in ("launch", "offer", "awareness"):
        framed = plan_flyer(a4, family, copy, PALETTES[0], small).image("hero")
        full = plan_flyer(a4, family, copy, PALETTES[0], Visuals(hero="photo")).image("hero")
        assert framed is not None and full is not None
        sharp = (
            framed.box.w <= small.photo_max_w + 1e-6 and framed.box.h <= small.photo_max_h + 1e-6
        )
        assert sharp or framed.box.w == pytest.approx(0.45 * full.box.w)  # never below 45 %
        assert framed.box.cx == pytest.approx(full.box.cx)
        shrunk += framed.box.w < full.box.w
    assert shrunk >= 2


REALISTIC = FlyerCopy(
    headline="No more rushing a bitter drip coffee between calls",
    subhead="Northbound Cold Brew: café-quality cold brew that is ready the moment you open "
    "the fridge.",
    body=(
        "No machine. No bitterness. No waiting.",
        "Steeped for 18 hours from single-origin Ethiopian beans.",
        "Ships in recyclable 1-litre glass bottles that keep for two weeks in the fridge.",
        "You get a calm, reliable first hour.",
        "Made for remote workers aged 25–40.",
    ),
    cta="Start my free trial",
    offer="First bottle free with a 3-month subscription",
    eyebrow="Special offer",
    details=(("Date", "Thu 21 Jan 2027"), ("Time", "17:00 CET"), ("Where", "Online (live)")),
    qr_caption="Scan to claim the offer",
    display_url="northbound.example/cold-brew",
)


@pytest.mark.parametrize("family", FAMILIES)
def test_realistic_copy_is_never_cut_with_a_picture(family: str) -> None:
    """Five long points, three details and a long headline: with a product or photo hero,
    every format shows every word (nothing dropped, nothing ellipsised)."""
    for fmt in FORMATS.values():
        for hero in ("product", "photo"):
            plan = plan_flyer(fmt, family, REALISTIC, PALETTES[1], Visuals(hero=hero))  # type: ignore[arg-type]
            placed = fit_plan(plan, FONTS)
            assert {p.slot.name for p in placed} == {s.name for s in plan.texts}
            for item in placed:
                words = " ".join(item.fitted.lines).replace("- ", "").replace("-", "")
                assert words.replace(" ", "") == item.slot.text.replace(" ", "").replace("-", ""), (
                    fmt.name,
                    hero,
                    item.slot.name,
                    item.fitted.lines,
                )
