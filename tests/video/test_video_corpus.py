"""The visual suite over the whole brief corpus (issue 19, "Done when"), at preview scale.

Every brief of tests/creative/briefs gets its 30 s video concept from the local writer, and
every third frame of the ad is drawn with the same painter the clips use (no encoder: full
encodes are covered by test_video_motion.py). Over all of them: no blank or single-colour
frame, a visible change at least every 3 s, captions clear of the product, the headline and
the icons, an end card with the logo (template match) and the brand's name, a poster that is
not the end card, and no missing glyph in any text drawn. Each check is also fed known-bad
input and must catch it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest
from factories import fixture_path
from PIL import Image

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.video.checks import (
    blank_frames,
    caption_clashes,
    drawn_difference,
    frame_distance,
    logo_match,
    logo_on_white,
    missing_glyph_texts,
    still_spans,
)
from adloom.assets.video.clips import ClipJob, FrameCanvas, painter_for, render_still
from adloom.assets.video.encode import FPS
from adloom.assets.video.generator import _look_spec, _poster_job
from adloom.assets.video.look import LookSpec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.painter import ScenePainter
from adloom.assets.video.plan import VideoPlan, build_plan
from adloom.campaigns.brief import parse_brief_file
from adloom.render.layout import Box
from adloom.render.text import recording_drawn_text, shape
from adloom.writer.local import LocalWriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "creative"))
from creative_corpus import BRIEFS, request_for, run_project

SCALE = 0.1  # 108 x 192: cheap, and still shows what a person would see at a glance
STEP = 3  # every third frame (0.1 s)
POSTER_APART = 8.0  # thumbnail distance: the poster and the end card are different pictures


@dataclass
class Ad:
    name: str
    plan: VideoPlan
    look: LookSpec
    frames: list[np.ndarray]
    times: list[float]
    clashes: list[str]
    painters: list[ScenePainter]
    drawn: list[str]  # texts drawn with missing glyphs
    jobs: list[ClipJob]


def _context(path: Path, workdir: Path) -> tuple[JobContext, LookSpec]:
    parsed = parse_brief_file(path)
    brief = parsed.brief
    project = run_project(LocalWriter(), request_for(brief, "video", brief.awareness_stage.value, 30))
    brand = BrandSpec(brief.brand.name or brief.product.name, brief.brand.colors.model_dump(),
                      brief.brand.fonts.heading, brief.brand.fonts.body,
                      brief.brand.tone or brief.tone, brief.brand.tagline, parsed.logo)
    product = ProductSpec(brief.product.name, brief.product.description, brief.product.url,
                          brief.product.offer, brief.product.price, tuple(parsed.photos))
    ctx = JobContext("corpus", path.stem, "video", {"scale": SCALE}, brand, product, {}, {},
                     project.script.model_dump(), project.scenes.model_dump(), workdir)
    look = _look_spec(ctx, None)
    if look.logo is None:  # a brief without a logo: the end card is checked with a fixture logo
        look = replace(look, logo=fixture_path("logo.png"))
    return ctx, look


def _render(path: Path, workdir: Path) -> Ad:
    ctx, look = _context(path, workdir)
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), ctx.options)
    fmt = plan.formats[0]
    frames, times, clashes, painters, jobs = [], [], [], [], []
    with recording_drawn_text() as drawn:
        for scene in plan.scenes:
            job = ClipJob(scene, fmt, look, (), workdir)
            painter = painter_for(job)
            jobs.append(job)
            painters.append(painter)
            canvas = FrameCanvas(fmt.width, fmt.height)
            for k in range(0, scene.frame_count, STEP):
                painter.draw(canvas.canvas, k)
                frames.append(canvas.rgb().copy())
                times.append(scene.start + k / FPS)
            products = [painter.product_rect(k) for k in range(0, scene.frame_count, STEP)]
            found = caption_clashes(painter.captions_area, painter.layout.headline, products,
                                    [painter.icon_box])
            clashes += [f"scene {scene.index}: {c}" for c in found]
    return Ad(path.stem, plan, look, frames, times, clashes, painters,
              missing_glyph_texts(drawn), jobs)


BRIEF_PATHS = sorted(BRIEFS.glob("*.yaml"))


@pytest.fixture(scope="module")
def corpus_ads(tmp_path_factory: pytest.TempPathFactory) -> list[Ad]:
    work = tmp_path_factory.mktemp("corpus-video")
    return [_render(path, work) for path in BRIEF_PATHS]


def test_the_corpus_is_the_whole_brief_set(corpus_ads: list[Ad]) -> None:
    assert len(corpus_ads) == len(BRIEF_PATHS) >= 32


def test_no_frame_of_any_ad_is_blank(corpus_ads: list[Ad]) -> None:
    found = {ad.name: [round(ad.times[i], 2) for i in blank_frames(ad.frames)]
             for ad in corpus_ads}
    assert {k: v for k, v in found.items() if v} == {}


def test_every_ad_changes_visibly_at_least_every_3_seconds(corpus_ads: list[Ad]) -> None:
    found = {ad.name: still_spans(ad.frames, ad.times) for ad in corpus_ads}
    assert {k: v for k, v in found.items() if v} == {}


def test_captions_never_cover_the_product_the_headline_or_an_icon(corpus_ads: list[Ad]) -> None:
    assert {ad.name: ad.clashes for ad in corpus_ads if ad.clashes} == {}


def _logo_grey(path: Path) -> np.ndarray:
    with Image.open(path) as img:
        return logo_on_white(np.asarray(img.convert("RGBA")))


def _end_card(ad: Ad) -> tuple[ScenePainter, np.ndarray]:
    job = ad.jobs[-1]
    return ad.painters[-1], render_still(job, job.scene.frame_count - 1)


def test_every_end_card_shows_the_logo_and_the_brand_name(corpus_ads: list[Ad]) -> None:
    problems = {}
    for ad in corpus_ads:
        painter, frame = _end_card(ad)
        assert ad.look.logo is not None and painter.layout.logo is not None
        score = logo_match(frame, _logo_grey(ad.look.logo), painter.layout.logo.w * 0.8)
        names = {role: fitted.lines[0] for role, fitted, _ in painter.signoff}
        drawn = 0.0
        if "name" in names:
            background = painter.background_bgra[..., [2, 1, 0]]
            drawn = drawn_difference(frame, background, painter.signoff_box("name"))
        if score < 0.7 or names.get("name") != ad.look.brand_name or drawn < 0.02:
            problems[ad.name] = (round(score, 2), names.get("name"), round(drawn, 3))
    assert problems == {}


def test_the_poster_is_never_the_end_card(corpus_ads: list[Ad]) -> None:
    close = {}
    for ad in corpus_ads:
        poster = _poster_job(ad.jobs)
        end = ad.jobs[-1]
        distance = frame_distance(render_still(poster, poster.still_frame),
                                  render_still(end, end.still_frame))
        if poster is end or distance < POSTER_APART:
            close[ad.name] = round(distance, 1)
    assert close == {}


def test_no_text_drawn_in_any_ad_has_a_missing_glyph(corpus_ads: list[Ad]) -> None:
    assert {ad.name: ad.drawn for ad in corpus_ads if ad.drawn} == {}


def test_the_new_shots_are_used_across_the_corpus(corpus_ads: list[Ad]) -> None:
    """Counters, icons and split screens each appear in several ads of the corpus."""
    used: dict[str, set[str]] = {"counter": set(), "icon": set(), "split": set()}
    for ad in corpus_ads:
        for painter in ad.painters:
            if painter.shot in used:
                used[painter.shot].add(ad.name)
    assert {shot: len(names) >= 3 for shot, names in used.items()} == {
        "counter": True, "icon": True, "split": True}, used


# ----------------------------------------------------------------------------- known-bad input


def test_a_blank_frame_and_a_single_colour_frame_are_caught() -> None:
    ramp = np.tile(np.linspace(0, 255, 108, dtype=np.uint8)[None, :, None], (192, 1, 3))
    navy = np.zeros((192, 108, 3), np.uint8)
    navy[:] = (16, 32, 72)
    assert blank_frames([ramp, navy, np.full((192, 108, 3), 255, np.uint8)]) == [1, 2]


def test_an_ad_that_holds_still_for_4_seconds_is_caught() -> None:
    ramp = np.tile(np.linspace(0, 255, 108, dtype=np.uint8)[None, :, None], (192, 1, 3))
    frames = [ramp] * 41 + [255 - ramp]
    times = [i / 10 for i in range(42)]
    assert still_spans(frames, times) == [(0.0, pytest.approx(4.1))]
    assert still_spans(frames[:25] + [255 - ramp] + frames[:16], times) == []


def test_a_caption_box_over_the_product_or_the_headline_is_caught() -> None:
    captions = Box(10, 150, 90, 30)
    assert caption_clashes(captions, Box(10, 20, 90, 40), [Box(20, 60, 60, 80)]) == []
    assert caption_clashes(captions, Box(10, 20, 90, 40), [Box(20, 60, 60, 100)]) == ["product"]
    assert caption_clashes(captions, Box(10, 140, 90, 20), [None]) == ["headline"]
    assert caption_clashes(captions, None, [], [Box(40, 170, 10, 10)]) == ["graphic"]


def test_an_end_card_without_logo_or_name_is_caught(tmp_path: Path) -> None:
    path = BRIEFS / "whiskerbox.yaml"
    ctx, look = _context(path, tmp_path)
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), ctx.options)
    job = ClipJob(plan.scenes[-1], plan.formats[0], look, (), tmp_path)
    painter = painter_for(job)
    assert painter.layout.logo is not None and look.logo is not None
    logo = _logo_grey(look.logo)
    side = painter.layout.logo.w * 0.8
    with_logo = render_still(job, job.scene.frame_count - 1)
    bare = ClipJob(plan.scenes[-1], plan.formats[0], replace(look, logo=None), (), tmp_path)
    without = render_still(bare, bare.scene.frame_count - 1)
    assert logo_match(with_logo, logo, side) > 0.7 > logo_match(without, logo, side)
    # the name's box drawn over the background, and the same card with its name left out
    box = painter.signoff_box("name")
    background = painter.background_bgra[..., [2, 1, 0]]
    assert drawn_difference(with_logo, background, box) > 0.02
    painter.signoff = [s for s in painter.signoff if s[0] != "name"]
    canvas = FrameCanvas(job.fmt.width, job.fmt.height)
    painter.draw(canvas.canvas, job.scene.frame_count - 1)
    assert drawn_difference(canvas.rgb(), background, box) < 0.005


def test_a_poster_taken_from_the_end_card_is_caught(tmp_path: Path) -> None:
    ctx, look = _context(BRIEFS / "sprout-meals.yaml", tmp_path)
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), ctx.options)
    end = ClipJob(plan.scenes[-1], plan.formats[0], look, (), tmp_path)
    hook = ClipJob(plan.scenes[0], plan.formats[0], look, (), tmp_path)
    end_frame = render_still(end, end.still_frame)
    assert frame_distance(end_frame, end_frame) < POSTER_APART
    assert frame_distance(render_still(hook, hook.still_frame), end_frame) > POSTER_APART


def test_text_with_a_missing_glyph_is_caught() -> None:
    from adloom.render.fonts import resolve_font, typeface

    face = typeface(resolve_font("Manrope"))
    good, bad = shape("Crème brûlée", face), shape("Box \ue000 here", face)  # private use
    assert missing_glyph_texts([good]) == []
    assert missing_glyph_texts([good, bad]) == ["Box \ue000 here"]


def test_the_render_step_warns_of_text_no_font_can_draw(tmp_path: Path) -> None:
    from adloom.assets.video.checks import unshapeable_texts
    from adloom.assets.video.generator import _glyph_warnings

    ctx, look = _context(BRIEFS / "cafe-lumiere.yaml", tmp_path)  # accents: drawn, no warning
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), ctx.options)
    jobs = [ClipJob(s, plan.formats[0], look, (), tmp_path) for s in plan.scenes]
    assert unshapeable_texts(plan, look) == [] and _glyph_warnings(plan, jobs) == ()
    broken = replace(plan, scenes=(replace(plan.scenes[0], text="Open \ue000 daily"),
                                   *plan.scenes[1:]))
    assert unshapeable_texts(broken, replace(look, offer="\ue000 off")) == [
        "scene 1's line", "the offer"]
    (warning,) = _glyph_warnings(broken, jobs)
    assert "scene 1's line" in warning and "boxes" in warning
