"""Brand palettes for briefs without colours, tone families and the looks of three ideas."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from adloom.campaigns.brief import BriefColors
from adloom.render.design import AA_LARGE, AA_NORMAL, contrast_ratio, palette_from_colors
from adloom.render.looks import IdeaLook, assign_emphases, idea_look
from adloom.render.palette import (
    EMPHASES,
    UNSET_DEFAULTS,
    complete_colors,
    derive_colors,
    dominant_color,
    emphasize,
)
from adloom.render.tone import tone_family


def test_unset_defaults_are_the_brief_defaults() -> None:
    assert BriefColors().model_dump() == UNSET_DEFAULTS


@pytest.mark.parametrize(
    ("tone", "family"),
    [
        ("thrilling", "bold"),
        ("cosy, nostalgic, gentle", "calm"),
        ("clinical", "confident"),
        ("luxurious", "elegant"),
        ("affectionate, witty, cat-first", "calm"),
        ("cheerful, light, family-friendly", "playful"),
        ("no-nonsense, encouraging, gritty", "bold"),
        ("", None),
        ("zzz qqq", None),
    ],
)
def test_tone_words_map_to_the_nearest_family(tone: str, family: str | None) -> None:
    assert tone_family(tone) == family


def test_a_brief_without_colours_gets_a_palette_of_its_own() -> None:
    """The defaults a brief is filled with count as unset: two brands get two palettes,
    neither of them the old navy/orange."""
    defaults = BriefColors().model_dump()
    a = complete_colors(defaults, name="Hearthside Candles", industry="home_garden", tone="cosy")
    b = complete_colors(defaults, name="Ironworks Gym", industry="fitness", tone="gritty, loud")
    assert a["primary"] != defaults["primary"] and b["primary"] != defaults["primary"]
    assert a != b


def test_same_industry_and_tone_still_differ_by_name() -> None:
    names = ["Atlas Cyber", "Northgate Payroll", "Ledgerly", "Brightline Legal", "Quill & Co"]
    palettes = [derive_colors(name=n, industry="professional_services", tone="calm, expert")
                for n in names]
    assert len({p["primary"] for p in palettes}) == len(names)


def test_brands_of_one_family_spread_over_grounds_and_metals() -> None:
    """Two elegant brands of one industry must not both sit on one near-white with one gold:
    the name picks the ground's depth and the metal of the accent (WCAG still holds)."""
    import colorsys

    names = ["Maison Vert", "Fernweh Home", "Atelier Nord", "Lune & Lin", "Casa Oro",
             "Velours", "Hollis", "Sable Row", "Odette", "Marlow", "Ivy Lane", "Aurel"]
    lightness, metals = set(), set()
    for name in names:
        colors = derive_colors(name=name, industry="fashion_apparel", tone="refined, quiet")
        bg = tuple(int(colors["background"][i:i + 2], 16) / 255 for i in (1, 3, 5))
        lightness.add(round(colorsys.rgb_to_hls(*bg)[1], 2))
        acc = tuple(int(colors["accent"][i:i + 2], 16) / 255 for i in (1, 3, 5))
        hue = colorsys.rgb_to_hls(*acc)[0] * 360
        metals.add("gold" if 30 <= hue < 70 else "copper" if 10 <= hue < 30 else
                   "rose" if hue >= 300 or hue < 10 else "pewter")
        for emphasis in EMPHASES:
            pal = palette_from_colors(emphasize(colors, emphasis))
            assert contrast_ratio(pal.text, pal.background) >= AA_NORMAL
            assert contrast_ratio(pal.muted, pal.background) >= AA_NORMAL
    assert len(lightness) >= 3
    assert len(metals) >= 3


def test_given_colours_win_and_a_given_primary_sets_the_hue() -> None:
    given = {**BriefColors().model_dump(), "background": "#FBF7F2"}  # one role changed: kept
    assert complete_colors(given, name="Northbound", industry="food_beverage") == given
    colors = complete_colors({"primary": "#0B6E4F"}, name="Verde", industry="finance", tone="calm")
    assert colors["primary"] == "#0B6E4F"
    assert colors["background"] != derive_colors(name="Verde", industry="finance",
                                                 tone="calm")["background"]
    full = {"primary": "#112233", "secondary": "#445566", "accent": "#778899",
            "background": "#FAFAFA", "text": "#010101"}
    assert complete_colors(full, name="X", industry="finance") == full


@pytest.mark.parametrize("industry", ["food_beverage", "tech_saas", "beauty_cosmetics", "other"])
@pytest.mark.parametrize("tone", ["bold", "luxurious", "cosy", "clinical", "playful", ""])
def test_derived_palettes_keep_wcag_contrast_in_every_emphasis(industry: str, tone: str) -> None:
    colors = derive_colors(name=f"Brand {industry} {tone}", industry=industry, tone=tone)
    for emphasis in EMPHASES:
        pal = palette_from_colors(emphasize(colors, emphasis))
        assert contrast_ratio(pal.text, pal.background) >= AA_NORMAL
        assert contrast_ratio(pal.text_on_primary, pal.primary) >= AA_LARGE
        assert contrast_ratio(pal.muted, pal.background) >= AA_NORMAL


def test_emphases_move_roles_not_colours() -> None:
    colors = derive_colors(name="Kestrel", industry="automotive", tone="confident")
    for emphasis in EMPHASES:
        assert set(emphasize(colors, emphasis).values()) <= set(colors.values())
    assert len({tuple(sorted(emphasize(colors, e).items())) for e in EMPHASES}) == 3


def test_the_photo_pulls_the_palette_towards_its_colour(tmp_path: Path) -> None:
    red = np.zeros((64, 64, 3), np.uint8)
    red[..., 0] = 200
    red[16:48, 16:48] = (240, 240, 240)
    Image.fromarray(red).save(tmp_path / "red.png")
    Image.fromarray(np.full((64, 64, 3), 128, np.uint8)).save(tmp_path / "grey.png")
    hue, chroma = dominant_color(tmp_path / "red.png") or (0.0, 0.0)
    assert (hue < 20 or hue > 340) and chroma > 40
    assert dominant_color(tmp_path / "grey.png") is None
    with_photo = derive_colors(name="Tidy", industry="tech_saas", photo=tmp_path / "red.png")
    without = derive_colors(name="Tidy", industry="tech_saas")
    assert with_photo["primary"] != without["primary"]


def test_three_ideas_get_three_emphases_whatever_their_angles() -> None:
    for names in itertools.product(["Split-tone", "Quote card", "Bold offer card", "", "new"],
                                   repeat=3):
        assert sorted(assign_emphases(list(names))) == sorted(EMPHASES)


def test_the_chosen_idea_decides_the_look() -> None:
    ideas = {"ideas": [{"treatment": "Bold offer card"}, {"treatment": "Documentary"},
                       {"treatment": "Quote card"}], "chosen": 0}
    looks = [idea_look({**ideas, "chosen": i}, "thrilling") for i in range(3)]
    assert [look.emphasis for look in looks] == ["accent", "deep", "light"]
    assert len({(look.banner_background, look.banner_arrangement) for look in looks}) >= 2
    assert idea_look(None, "thrilling").emphasis == "light"


def test_light_and_accent_ideas_put_the_copy_on_opposite_sides() -> None:
    """Both have a light ground: with a photo filling the panel only the side tells them apart."""
    for tone in ("bold", "luxurious", "cosy", "clinical", "witty", ""):
        light = IdeaLook("light", tone_family(tone))
        accent = IdeaLook("accent", tone_family(tone))
        assert light.banner_arrangement != accent.banner_arrangement


def test_tone_words_that_name_a_colour_world_pull_the_hue() -> None:
    from adloom.render.palette import hue_world

    assert hue_world("outdoorsy, honest, a bit muddy") == 95.0
    assert hue_world("quiet, precise, coastal") == 215.0  # the first world word decides
    assert hue_world("bold, loud") is None
    muddy = derive_colors(name="Ridgeway", industry="fashion_apparel", tone="muddy")
    plain = derive_colors(name="Ridgeway", industry="fashion_apparel", tone="")
    assert muddy["primary"] != plain["primary"]
