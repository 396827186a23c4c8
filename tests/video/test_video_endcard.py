"""The end card signs the ad off with the brand: logo, name, offer, URL and one CTA."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from factories import fixture_path
from videogens import make_video_ctx

from adloom.assets.video.clips import ClipJob, painter_for, render_still
from adloom.assets.video.endcard import display_url, end_card_copy
from adloom.assets.video.look import LookSpec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.plan import build_plan
from adloom.assets.video.sample import CTA, NORTHBOUND_COLORS, sample_scenes, sample_script


def _look(**extra: object) -> LookSpec:
    base = {"product_name": "Northbound Cold Brew", "offer": "First bottle free",
                "url": "https://www.northbound.coffee/"}
    base.update(extra)
    return LookSpec(tuple(sorted(NORTHBOUND_COLORS.items())), "Manrope", "Lato",
                    "Northbound Coffee Co.", CTA, fixture_path("coffee.png"), None,
                    fixture_path("logo.png"), **base)  # type: ignore[arg-type]


def _end_card(label: str, scale: float, look: LookSpec, text: str | None = None) -> ClipJob:
    scenes = sample_scenes(30)
    if text is not None:
        scenes["scenes"][-1]["on_screen_text"] = text
    plan = build_plan(read_script(sample_script(30)), read_scenes(scenes),
                      {"scale": scale, "formats": [label]})
    return ClipJob(plan.scenes[-1], plan.formats[0], look, (), Path("/unused"))


def _best_match(frame: np.ndarray, logo: np.ndarray, side: float) -> float:
    """Best normalised correlation of the logo, tried at sizes around ``side``."""
    gray = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
    best = -1.0
    for factor in np.linspace(0.6, 1.0, 9):
        size = max(8, round(side * factor))
        template = cv2.resize(logo, (size, size), interpolation=cv2.INTER_AREA)
        result = cv2.matchTemplate(gray, template, cv2.TM_CCOEFF_NORMED)
        best = max(best, float(result.max()))
    return best


@pytest.mark.parametrize("label", ["9:16", "1:1", "4:5", "16:9"])
def test_end_card_shows_the_logo_name_offer_url_and_one_cta(label: str) -> None:
    job = _end_card(label, 0.5, _look())
    painter = painter_for(job)
    frame = render_still(job, job.scene.frame_count - 1)
    rgba = cv2.imread(str(fixture_path("logo.png")), cv2.IMREAD_UNCHANGED)
    # the logo is drawn on a white badge: compare against it composited on white
    alpha = rgba[..., 3:4].astype(float) / 255 if rgba.shape[2] == 4 else 1.0
    on_white = (rgba[..., :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    logo = cv2.cvtColor(on_white, cv2.COLOR_BGR2GRAY)
    assert painter.layout.logo is not None
    assert _best_match(frame, logo, painter.layout.logo.w * 0.8) > 0.8
    lines = {role: fitted.lines[0] for role, fitted, _ in painter.signoff}
    assert lines == {"name": "Northbound Coffee Co.", "offer": "First bottle free",
                     "url": "northbound.coffee"}
    background = cv2.cvtColor(painter.background_bgra, cv2.COLOR_BGRA2RGB).astype(int)
    for role in ("name", "offer", "url"):
        box = painter.signoff_box(role)
        rows, cols = slice(int(box.y), int(box.bottom)), slice(int(box.x), int(box.right))
        drawn = (np.abs(frame[rows, cols].astype(int) - background[rows, cols]).sum(axis=2)
                 > 150).mean()
        assert drawn > 0.02, (role, drawn)  # the line's letters are there
    texts = [painter.headline_text, *lines.values()]
    assert not any(CTA.lower() in t.lower() for t in texts)  # the CTA is on the button only


def test_a_headline_that_repeats_the_cta_gives_way_to_the_product_name() -> None:
    painter = painter_for(_end_card("9:16", 0.1, _look(), text="Claim your free bottle!"))
    assert painter.headline_text == "Northbound Cold Brew"
    copy = end_card_copy(scene_text="Shop now", cta="Shop now", brand_name="Acme",
                         product_name="Acme", offer="Shop now", url=None, has_logo=False)
    assert (copy.headline, copy.offer, copy.url) == ("", None, None)


def test_lines_the_brief_lacks_leave_no_gap_or_box() -> None:
    painter = painter_for(_end_card("9:16", 0.1, _look(offer=None, url=None)))
    assert [role for role, _, _ in painter.signoff] == ["name"]
    assert painter.layout.offer is None and painter.layout.url is None
    assert display_url(" http://shop.example.com/cold-brew/ ") == "shop.example.com/cold-brew"


def test_the_generator_gives_the_end_card_the_products_offer_and_url(tmp_path: Path) -> None:
    from dataclasses import replace

    from adloom.assets.video.generator import _look_spec

    ctx = make_video_ctx(tmp_path)
    ctx = replace(ctx, product=replace(ctx.product, offer="20% off", url="https://nb.example"))
    spec = _look_spec(ctx, None)
    assert (spec.product_name, spec.offer, spec.url) == (
        "Northbound Cold Brew", "20% off", "https://nb.example")


def _overlap(a: object, b: object) -> bool:
    return bool(a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom)  # type: ignore[attr-defined]


@pytest.mark.parametrize("label", ["9:16", "1:1", "4:5", "16:9"])
def test_captions_cover_neither_the_product_nor_the_headline(label: str) -> None:
    """Every scene, every frame: the caption pill's area (its pop included) stays off the
    product as it moves and off the headline's box."""
    plan = build_plan(read_script(sample_script(30)), read_scenes(sample_scenes(30)),
                      {"scale": 0.5, "formats": [label]})
    look = _look()
    for scene in plan.scenes:
        painter = painter_for(ClipJob(scene, plan.formats[0], look, (), Path("/unused")))
        captions = painter.captions_area
        assert not _overlap(captions, painter.layout.headline), (scene.index, "headline")
        for k in range(0, scene.frame_count, 3):
            product = painter.product_rect(k)
            if product is not None:
                assert not _overlap(captions, product), (scene.index, k, captions, product)


def test_a_card_with_no_logo_or_product_name_signs_off_with_the_tagline() -> None:
    copy = end_card_copy(scene_text="Book now", cta="Book now", brand_name="Nonna Pina",
                         product_name="Nonna Pina", offer=None, url=None, has_logo=False,
                         tagline="Sunday lunch, every day")
    assert copy.headline == "Sunday lunch, every day"
