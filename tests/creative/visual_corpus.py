"""The corpus rendered: video frames, banners and flyer pages of one brief at preview scale.

Shared by ``bench/contact_sheets.py`` (the sheets people look at) and
``tests/creative/test_visual_distance.py`` (the distances asserted over them). A job here is
what the pipeline would hand the generator: the local writer's concept with one of its three
ideas chosen, the brand's colours completed as ``pipeline.stages.job_context`` does, and the
ideas in ``previous`` so that the idea's look reaches the renderers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from creative_corpus import BRIEFS, request_for

from adloom.assets.banner.generator import (
    BannerAssets,
    _copies,
    banner_spec,
    fonts_for,
    load_asset_set,
    render_one,
    validated_script,
)
from adloom.assets.banner.sizes import ALL_SIZES
from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.flyer.compose import FlyerImages, fit_plan
from adloom.assets.flyer.generator import (
    MIN_HERO_FILL,
    FlyerGenerator,
    flyer_palette,
    load_fonts,
    plan_job,
    plan_jobs,
)
from adloom.assets.flyer.models import parse_script
from adloom.assets.flyer.output import render_raster
from adloom.assets.flyer.qr import qr_matrix
from adloom.assets.video.clips import ClipJob, render_still
from adloom.assets.video.generator import _look_spec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.plan import build_plan
from adloom.campaigns.brief import parse_brief_file
from adloom.render.palette import complete_colors
from adloom.render.raster import to_rgba
from adloom.writer.local import LocalWriter
from adloom.writer.schemas import IdeaSet

VIDEO_STEP = 2.5


def brief_paths(folder: Path = BRIEFS) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


@functools.cache
def _concept(path: Path, kind: str, idea: int, length: int) -> tuple[IdeaSet, dict, dict]:  # type: ignore[type-arg]
    brief = parse_brief_file(path).brief
    req = request_for(brief, kind, "problem_aware", length)
    writer = LocalWriter()
    ideas = writer.ideas(req, seed=0).value
    ideas = ideas.model_copy(update={"chosen": idea % len(ideas.ideas)})
    script = writer.script(req, ideas.ideas[ideas.chosen], seed=0).value
    scenes = writer.scenes(req, script, seed=0).value
    return ideas, script.model_dump(mode="json"), scenes.model_dump(mode="json")


def brief_job(path: Path, kind: str, workdir: Path, *, idea: int = 0, length: int = 30,
              options: dict[str, object] | None = None) -> JobContext:
    """The job the pipeline would run for ``kind`` of this brief, with idea ``idea`` chosen."""
    parsed = parse_brief_file(path)
    brief = parsed.brief
    ideas, script, scenes = _concept(path, kind, idea, length)
    name = brief.brand.name or brief.product.name
    tone = brief.brand.tone or brief.tone
    colors = complete_colors(brief.brand.colors.model_dump(), name=name,
                             industry=brief.industry.value, tone=tone,
                             photo=parsed.photos[0] if parsed.photos else None)
    brand = BrandSpec(name, colors, brief.brand.fonts.heading, brief.brand.fonts.body, tone,
                      brief.brand.tagline, parsed.logo)
    product = ProductSpec(brief.product.name, brief.product.description, brief.product.url,
                          brief.product.offer, brief.product.price, tuple(parsed.photos))
    campaign = {"awareness_stage": "problem_aware", "industry": brief.industry.value,
                "persuasion_trigger": brief.persuasion_trigger.value,
                "creative_style": brief.creative_style.value}
    strategy = {"audience": brief.strategy.audience, "messaging": brief.strategy.messaging,
                "goals": brief.strategy.goals}
    folder = workdir / f"{path.stem}-{kind}-{idea}"
    folder.mkdir(parents=True, exist_ok=True)
    return JobContext("sheet", path.stem, kind, dict(options or {}), brand, product, strategy,
                      campaign, script, scenes, folder,
                      previous={"ideas": ideas.model_dump(mode="json")})


def video_frames(ctx: JobContext, *, step: float = VIDEO_STEP, scale: float = 0.2) -> list[np.ndarray]:
    """A frame every ``step`` seconds of the 9:16 ad, drawn by the clips' painter (RGB)."""
    options = {**ctx.options, "scale": scale}
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), options)
    look = _look_spec(ctx, None)
    frames = []
    t = 0.0
    while t < plan.length:
        scene = next(s for s in plan.scenes if s.start <= t < s.start + s.duration)
        job = ClipJob(scene, plan.formats[0], look, (), ctx.workdir)
        frames.append(render_still(job, min(scene.frame_count - 1, round((t - scene.start) * 30))))
        t += step
    return frames


_ASSETS: dict[tuple[str, str], BannerAssets] = {}


def _banner_assets(ctx: JobContext) -> BannerAssets:
    """The generate stage's cut-out or photo and logo, made once per brief (the ideas of one
    brief share them, as the pipeline's stages do)."""
    key = (ctx.campaign_id, repr(ctx.product.photos))
    if key not in _ASSETS:
        _ASSETS[key] = load_asset_set(ctx)[0]
    return _ASSETS[key]


def banners(ctx: JobContext, sizes: Sequence[str] = ALL_SIZES) -> list[np.ndarray]:
    """The first copy variant at every size, as the render stage paints it (RGB)."""
    assets = _banner_assets(ctx)
    fonts, copy = fonts_for(ctx), _copies(validated_script(ctx), 1)[0]
    out = []
    for size in sizes:
        _, image = render_one(banner_spec(ctx, assets, fonts, copy, size), assets.images)
        out.append(np.ascontiguousarray(np.asarray(image)[..., :3]))
    return out


def flyer_pages(ctx: JobContext, *, long_side: int = 640) -> list[np.ndarray]:
    """Every format's page rasterised from the same plan the PDF is written from (RGB)."""
    jobs = plan_jobs(ctx)
    script, palette = parse_script(ctx.script), flyer_palette(ctx)
    fonts, _ = load_fonts(ctx)
    src = FlyerGenerator()._images(ctx, jobs)
    pages = []
    for job in jobs:
        plan = plan_job(ctx, job, script, palette, src)
        hero = src.cutout if job.hero == "product" else src.photo if job.hero == "photo" else None
        images = FlyerImages(hero=hero, logo=src.logo, qr=qr_matrix(job.url) if job.url else None,
                             hero_min_fill=MIN_HERO_FILL,
                             hero_framing=src.framing if job.hero == "photo" else None)
        scale = long_side / max(job.fmt.width, job.fmt.height)
        image, _ = render_raster(plan, fit_plan(plan, fonts), images, scale=scale,
                                 px_per_unit=scale)
        pages.append(np.ascontiguousarray(to_rgba(image)[..., :3]))
    return pages
