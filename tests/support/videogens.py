"""Factories for the video tests: a Northbound job context at preview scale (importable as
``videogens``: tests/support is on pytest's pythonpath)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from factories import fixture_path

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.video.sample import NORTHBOUND_COLORS, sample_scenes, sample_script


def make_video_ctx(workdir: Path, *, length: int = 15, options: dict[str, Any] | None = None,
                   scenes: dict[str, Any] | None = None, script: dict[str, Any] | None = None,
                   photo: Path | None = None, heading_font: str = "Manrope") -> JobContext:
    brand = BrandSpec("Northbound Coffee Co.", NORTHBOUND_COLORS, heading_font, "Lato",
                      "warm, unhurried, quietly confident", "Slow coffee for fast mornings",
                      fixture_path("logo.png"))
    product = ProductSpec("Northbound Cold Brew", "Small-batch cold brew coffee.",
                          photos=(photo or fixture_path("coffee.png"),))
    return JobContext(
        project_id="p-video", campaign_id="c-northbound", kind="video",
        options={"scale": 0.1, **(options or {})}, brand=brand, product=product,
        strategy={}, campaign={}, script=script or sample_script(length),
        scenes=scenes or sample_scenes(length), workdir=workdir, seed=3,
    )


def with_previous(ctx: JobContext, **stages: Any) -> JobContext:
    return replace(ctx, previous={**ctx.previous, **stages})
