"""Contact sheets of the video ads for a folder of briefs: one frame every 2.5 s, in a row.

    python bench/contact_sheets.py --briefs tests/creative/briefs --out /tmp/sheets

For each brief the local writer writes the video concept (ideas, script, scenes) and every
2.5 s of the ad is drawn at preview scale with the same painter the clips use (no voice, so
no captions; the product photo as a card, no cut-out), then the frames are tiled into one
JPEG per brief: a person can compare brands and treatments at a glance.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "creative"))

from creative_corpus import request_for, run_project

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.video.clips import ClipJob, render_still
from adloom.assets.video.generator import _look_spec
from adloom.assets.video.models import read_scenes, read_script
from adloom.assets.video.plan import build_plan
from adloom.campaigns.brief import parse_brief_file
from adloom.writer.local import LocalWriter

STEP = 2.5


def brief_context(path: Path, workdir: Path, *, length: int, scale: float) -> JobContext:
    """A video job for one brief file, with the local writer's concept approved as is."""
    parsed = parse_brief_file(path)
    brief = parsed.brief
    project = run_project(LocalWriter(), request_for(brief, "video", "problem_aware", length))
    brand = BrandSpec(brief.brand.name or brief.product.name, brief.brand.colors.model_dump(),
                      brief.brand.fonts.heading, brief.brand.fonts.body,
                      brief.brand.tone or brief.tone, brief.brand.tagline, parsed.logo)
    product = ProductSpec(brief.product.name, brief.product.description, brief.product.url,
                          brief.product.offer, brief.product.price, tuple(parsed.photos))
    return JobContext("sheet", path.stem, "video", {"scale": scale}, brand, product, {}, {},
                      project.script.model_dump(), project.scenes.model_dump(), workdir)


def sheet(ctx: JobContext, *, step: float = STEP) -> np.ndarray:
    """Frames every ``step`` seconds of the ad, side by side (RGB)."""
    plan = build_plan(read_script(ctx.script), read_scenes(ctx.scenes), ctx.options)
    look = _look_spec(ctx, None)
    frames = []
    t = 0.0
    while t < plan.length:
        scene = next(s for s in plan.scenes if s.start <= t < s.start + s.duration)
        job = ClipJob(scene, plan.formats[0], look, (), ctx.workdir)
        frames.append(render_still(job, min(scene.frame_count - 1, round((t - scene.start) * 30))))
        t += step
    return np.concatenate(frames, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--briefs", type=Path, default=ROOT / "tests" / "creative" / "briefs")
    parser.add_argument("--out", type=Path, default=Path("contact-sheets"))
    parser.add_argument("--length", type=int, default=30, choices=(15, 30, 60))
    parser.add_argument("--scale", type=float, default=0.2)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.briefs.glob("*.yaml")):
        ctx = brief_context(path, args.out, length=args.length, scale=args.scale)
        target = args.out / f"{path.stem}.jpg"
        Image.fromarray(sheet(ctx)).save(target, quality=85)
        print(f"{target}  ({_look_spec(ctx, None).treatment})")


if __name__ == "__main__":
    main()
