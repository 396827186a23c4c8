"""Benchmark and showcase for display banners (issue 5).

    python bench/bench_banner.py                 # time the 16-size set (PNG + JPEG, one variant)
    python bench/bench_banner.py --sheet OUT.png # also render the full pipeline and save its contact sheet
    python bench/bench_banner.py --brief launchpad-webinar

Builds BrandSpec/ProductSpec straight from the brief YAML in shared/briefs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from adloom.assets.banner import BannerGenerator
from adloom.assets.banner.generator import (
    _copies,
    banner_spec,
    fonts_for,
    load_assets,
    validated_script,
)
from adloom.assets.banner.layout import compute_layout
from adloom.assets.banner.paint import paint_plan
from adloom.assets.banner.sizes import ALL_SIZES
from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.render.raster import encode_within_budget

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = [ROOT.parent / "shared" / "briefs", Path("/work/shared/briefs")]

SCRIPTS: dict[str, dict[str, Any]] = {
    "northbound-coldbrew": {
        "kind": "banner",
        "variants": [
            {
                "headline": "Café cold brew, ready when you are",
                "subhead": "Steeped 18 hours. Smooth, low-acid, no machine and no waiting.",
                "cta": "Claim free bottle",
                "short_headline": "Cold brew, ready",
            },
            {
                "headline": "Skip the bitter 8 a.m. drip",
                "subhead": "Single-origin Ethiopian cold brew that keeps for two weeks in your fridge.",
                "cta": "Try it free",
                "short_headline": "Skip bitter drip",
            },
        ],
    },
    "launchpad-webinar": {
        "kind": "banner",
        "variants": [
            {
                "headline": "From idea to seed round in 90 days",
                "subhead": "A free 60-minute live session with the plan founders used to raise.",
                "cta": "Save my seat",
                "short_headline": "Idea to seed in 90d",
            },
            {
                "headline": "Raise your seed round with a real plan",
                "subhead": "Join the free webinar on 21 January, 17:00 CET. Online and live.",
                "cta": "Register free",
                "short_headline": "Plan your seed round",
            },
        ],
    },
}


def find_brief(name: str) -> Path:
    for folder in BRIEFS:
        path = folder / f"{name}.yaml"
        if path.exists():
            return path
    raise SystemExit(f"brief {name} not found in {BRIEFS}")


def context_from_brief(name: str, workdir: Path, **options: Any) -> JobContext:
    path = find_brief(name)
    brief = yaml.safe_load(path.read_text())
    base = path.parent
    product, brand = brief["product"], brief["brand"]
    return JobContext(
        project_id=f"bench-{name}",
        campaign_id=name,
        kind="banner",
        options=options,
        brand=BrandSpec(
            name=brand["name"],
            colors=brand["colors"],
            heading_font=brand["fonts"]["heading"],
            body_font=brand["fonts"]["body"],
            tone=brand.get("tone", ""),
            tagline=brand.get("tagline", ""),
            logo=(base / brand["logo"]).resolve() if brand.get("logo") else None,
        ),
        product=ProductSpec(
            name=product["name"],
            description=product["description"],
            url=product.get("url"),
            offer=product.get("offer"),
            price=product.get("price"),
            photos=tuple((base / p).resolve() for p in product.get("photos", [])),
        ),
        strategy=brief.get("strategy", {}),
        campaign={},
        script=SCRIPTS[name],
        scenes={},
        workdir=workdir,
    )


def bench(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = context_from_brief(name, Path(tmp))
        t0 = time.perf_counter()
        gen = BannerGenerator().generate(ctx)
        t_generate = time.perf_counter() - t0
        ctx = JobContext(**{**ctx.__dict__, "previous": {"generate": gen.output}})
        t1, c1 = time.perf_counter(), time.process_time()
        assets, fonts = load_assets(ctx), fonts_for(ctx)
        copy = _copies(validated_script(ctx), 1)[0]
        per_size: list[tuple[str, float, float, int]] = []
        for size in ALL_SIZES:
            s0, p0 = time.perf_counter(), time.process_time()
            image = paint_plan(
                compute_layout(banner_spec(ctx, assets, fonts, copy, size)), assets.images
            )
            nbytes = sum(len(encode_within_budget(image, fmt)) for fmt in ("png", "jpeg"))
            per_size.append((size, time.perf_counter() - s0, time.process_time() - p0, nbytes))
        total, cpu = time.perf_counter() - t1, time.process_time() - c1
    print(f"{name}: generate (cutout + logo) {t_generate * 1000:.0f} ms")
    for size, seconds, cpu_s, nbytes in per_size:
        print(
            f"  {size:>9}  {seconds * 1000:6.1f} ms wall  {cpu_s * 1000:6.1f} ms cpu  png+jpeg {nbytes / 1000:6.1f} KB"
        )
    median = statistics.median(s for _, s, _, _ in per_size)
    median_cpu = statistics.median(c for _, _, c, _ in per_size)
    load = os.getloadavg()[0]
    print(
        f"{name}: 16 sizes PNG+JPEG in {total:.2f} s wall ({cpu:.2f} s cpu), median {median * 1000:.0f} ms "
        f"wall / {median_cpu * 1000:.0f} ms cpu per size (targets 2 s, 150 ms); load average {load:.1f}"
    )


def full_set(name: str, sheet: Path | None, keep: Path | None) -> None:
    tmp = Path(tempfile.mkdtemp())
    ctx = context_from_brief(name, tmp)
    gen = BannerGenerator()
    t0 = time.perf_counter()
    g = gen.generate(ctx)
    ctx = JobContext(**{**ctx.__dict__, "previous": {"generate": g.output}})
    r = gen.render(ctx)
    ctx = JobContext(**{**ctx.__dict__, "previous": {"generate": g.output, "render": r.output}})
    s = gen.stitch(ctx)
    print(
        f"{name}: full pipeline (16 sizes x 3 formats x 2 variants, zips, sheet) {time.perf_counter() - t0:.2f} s; "
        f"{len(r.files)} images, largest {max(f.meta['bytes'] for f in r.files)} bytes"
    )
    sheet_file = next(f.path for f in s.files if f.role == "contact_sheet")
    if sheet:
        shutil.copy(sheet_file, sheet)
        print(f"contact sheet -> {sheet}")
    if keep:
        shutil.copytree(tmp / "banner", keep, dirs_exist_ok=True)
    shutil.rmtree(tmp)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--brief", default="northbound-coldbrew", choices=sorted(SCRIPTS))
    parser.add_argument("--sheet", type=Path)
    parser.add_argument("--keep", type=Path, help="copy the whole banner folder here")
    args = parser.parse_args(argv)
    bench(args.brief)
    if args.sheet or args.keep:
        full_set(args.brief, args.sheet, args.keep)


if __name__ == "__main__":
    main(sys.argv[1:])
