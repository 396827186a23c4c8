"""No missing glyph (a ``.notdef`` box) in any text that the static assets draw for any brief of
the corpus: every banner size of every variant, every flyer format, the jingle's picture.

The copy is the local writer's for each brief, drawn with the brand's fonts through the real
layout and paint code (the product picture left out: it draws no text); every text drawn is
recorded by ``render.text.recording_drawn_text`` and read by the visual critic's check. The
video's texts are checked in tests/video/test_video_corpus.py; the check itself is fed a
missing glyph there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from creative_corpus import BRIEFS, request_for, run_project

from adloom.assets.banner.generator import BannerAssets, banner_spec, fonts_for, render_one
from adloom.assets.banner.layout import CopyText, Media
from adloom.assets.banner.models import BannerScript
from adloom.assets.banner.paint import BannerImages
from adloom.assets.banner.sizes import ALL_SIZES
from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.flyer.compose import FlyerImages, fit_plan
from adloom.assets.flyer.generator import SourceImages, load_fonts, plan_job, plan_jobs
from adloom.assets.flyer.models import parse_script
from adloom.assets.flyer.output import render_raster
from adloom.assets.jingle.models import JingleScript
from adloom.assets.jingle.picture import Marker, PictureSpec, draw_picture
from adloom.assets.video.checks import missing_glyph_texts
from adloom.campaigns.brief import parse_brief_file
from adloom.render.design import Palette
from adloom.render.text import ShapedText, recording_drawn_text
from adloom.writer.local import LocalWriter

BRIEF_PATHS = sorted(BRIEFS.glob("*.yaml"))


def _context(path: Path, kind: str, workdir: Path) -> JobContext:
    parsed = parse_brief_file(path)
    brief = parsed.brief
    project = run_project(LocalWriter(), request_for(brief, kind, brief.awareness_stage.value))
    brand = BrandSpec(brief.brand.name or brief.product.name, brief.brand.colors.model_dump(),
                      brief.brand.fonts.heading, brief.brand.fonts.body,
                      brief.brand.tone or brief.tone, brief.brand.tagline, None)
    product = ProductSpec(brief.product.name, brief.product.description, brief.product.url,
                          brief.product.offer, brief.product.price, ())
    return JobContext("glyphs", path.stem, kind, {}, brand, product, {}, {},
                      project.script.model_dump(), project.scenes.model_dump(), workdir)


def _banners(path: Path, workdir: Path) -> None:
    ctx = _context(path, "banner", workdir)
    assets = BannerAssets(Media("none"), BannerImages(), None)
    fonts = fonts_for(ctx)
    for variant in ctx.script_as(BannerScript).variants:
        copy = CopyText(variant.headline, variant.subhead, variant.cta, variant.short_headline)
        for size in ALL_SIZES:
            render_one(banner_spec(ctx, assets, fonts, copy, size), assets.images)


def _flyers(path: Path, workdir: Path) -> None:
    ctx = _context(path, "flyer", workdir)
    script = parse_script(ctx.script)
    palette = Palette.from_brand(ctx.brand)
    fonts, _ = load_fonts(ctx)
    images = SourceImages(photo=None, cutout=None, logo=None)
    for job in plan_jobs(ctx):
        plan = plan_job(ctx, job, script, palette, images)
        texts = fit_plan(plan, fonts)
        render_raster(plan, texts, FlyerImages(hero=None, logo=None, qr=None), scale=0.1,
                      px_per_unit=1.0)


def _jingle_picture(path: Path, workdir: Path) -> None:
    ctx = _context(path, "jingle", workdir)
    tagline = ctx.script_as(JingleScript).tagline or ctx.brand.name
    title = f"“{tagline}” · C major · 100 bpm"
    markers = [Marker("intro", 0.0, 2.0), Marker("chorus", 2.0, 6.0), Marker("vocal", 2.5, 4.0,
                                                                             vocal=True)]
    draw_picture(np.zeros(48000 * 6), 48000, workdir / f"{path.stem}-waveform.png",
                 markers=markers, spec=PictureSpec(title=title))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[ShapedText]]]:
    work = tmp_path_factory.mktemp("glyphs")
    out: dict[str, dict[str, list[ShapedText]]] = {}
    for path in BRIEF_PATHS:
        out[path.stem] = {}
        for kind, draw in (("banner", _banners), ("flyer", _flyers), ("jingle", _jingle_picture)):
            with recording_drawn_text() as texts:
                draw(path, work)
            out[path.stem][kind] = list(texts)
    return out


def test_every_static_asset_of_every_brief_draws_its_copy(
        drawn: dict[str, dict[str, list[ShapedText]]]) -> None:
    assert len(drawn) == len(BRIEF_PATHS) >= 32
    empty = [(name, kind) for name, kinds in drawn.items() for kind, texts in kinds.items()
             if not texts]
    assert empty == []  # the recorder saw text from every asset (the check is not vacuous)


def test_no_text_in_any_banner_flyer_or_jingle_picture_has_a_missing_glyph(
        drawn: dict[str, dict[str, list[ShapedText]]]) -> None:
    missing = {(name, kind): missing_glyph_texts(texts)
               for name, kinds in drawn.items() for kind, texts in kinds.items()}
    assert {k: v for k, v in missing.items() if v} == {}
