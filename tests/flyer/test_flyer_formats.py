from __future__ import annotations

import pytest

from adloom.assets.flyer.formats import (
    FORMATS,
    INCH,
    MARK_SLUG,
    MM,
    crop_mark_lines,
    get_format,
    page_geometry,
    resolve_formats,
)
from adloom.errors import InvalidOption


def test_eight_formats_at_true_size() -> None:
    sizes = {name: (round(f.width, 2), round(f.height, 2)) for name, f in FORMATS.items()}
    assert sizes == {
        "A5": (419.53, 595.28),
        "A4": (595.28, 841.89),
        "A3": (841.89, 1190.55),
        "letter": (612.0, 792.0),
        "11x17": (792.0, 1224.0),
        "18x24": (1296.0, 1728.0),
        "1080x1350": (1080.0, 1350.0),
        "1080x1920": (1080.0, 1920.0),
    }


def test_bleed_and_safe_margins_by_family_of_size() -> None:
    for name in ("A5", "A4", "A3"):
        assert FORMATS[name].bleed == pytest.approx(3 * MM)
        assert FORMATS[name].safe >= 5 * MM - 1e-9
    for name in ("letter", "11x17", "18x24"):
        assert FORMATS[name].bleed == INCH / 8
        assert FORMATS[name].safe >= INCH / 4
    assert FORMATS["1080x1350"].bleed == 0 and FORMATS["1080x1350"].social


def test_page_geometry_is_trim_plus_two_bleeds() -> None:
    a4 = FORMATS["A4"]
    geometry = page_geometry(a4)
    assert geometry.media == pytest.approx((0, 0, a4.width + 6 * MM, a4.height + 6 * MM))
    assert geometry.bleed == geometry.media
    assert geometry.trim == pytest.approx((3 * MM, 3 * MM, a4.width + 3 * MM, a4.height + 3 * MM))


def test_crop_marks_add_a_slug_outside_the_bleed() -> None:
    letter = FORMATS["letter"]
    geometry = page_geometry(letter, crop_marks=True)
    slug = MARK_SLUG
    assert geometry.media == pytest.approx((0, 0, 612 + 18 + 2 * slug, 792 + 18 + 2 * slug))
    assert geometry.bleed == pytest.approx((slug, slug, 612 + 18 + slug, 792 + 18 + slug))
    assert geometry.trim == pytest.approx((slug + 9, slug + 9, 612 + 9 + slug, 792 + 9 + slug))
    lines = crop_mark_lines(letter, geometry)
    assert len(lines) == 8
    ox, oy = geometry.trim_origin
    trim = (ox, oy, ox + 612, oy + 792)
    bleed_y_down = (slug, slug, geometry.media[2] - slug, geometry.media[3] - slug)
    for x0, y0, x1, y1 in lines:
        # every mark lies outside the bleed box and lines up with a trim edge
        outside = (
            max(x0, x1) <= bleed_y_down[0]
            or min(x0, x1) >= bleed_y_down[2]
            or max(y0, y1) <= bleed_y_down[1]
            or min(y0, y1) >= bleed_y_down[3]
        )
        assert outside
        assert x0 in (trim[0], trim[2]) or y0 in (trim[1], trim[3])


def test_format_names_and_aliases() -> None:
    assert get_format("a4").name == "A4"
    assert get_format("Tabloid").name == "11x17"
    assert get_format("US Letter").name == "letter"
    assert get_format("story").name == "1080x1920"
    assert [f.name for f in resolve_formats(["A4", "a4", "story"])] == ["A4", "1080x1920"]
    assert len(resolve_formats(None)) == 8
    with pytest.raises(InvalidOption, match="Unknown flyer format 'B2'"):
        get_format("B2")
