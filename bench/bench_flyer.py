"""Flyer benchmark: one A4 print PDF + PNG preview (target <= 3 s on 2 cores), then every format.

Run: python bench/bench_flyer.py [--out DIR]
Uses the Northbound and LaunchPad briefs' brand and product data with the shared CC0 fixtures
when present (/work/shared), else a synthetic product shot.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.flyer import FlyerGenerator

FIXTURES = Path("/work/shared/fixtures/images")

SCRIPT = {
    "kind": "flyer",
    "headline": "Cold brew that is ready when you are",
    "subhead": "Steeped 18 hours from single-origin Ethiopian beans. Smooth, low-acid, naturally sweet.",
    "body": [
        "No machine, no bitterness, no waiting",
        "Recyclable 1-litre glass bottles",
        "Keeps two weeks in the fridge",
        "Pause or cancel any time",
    ],
    "offer": "First bottle free with a 3-month subscription",
    "cta": "Claim my free bottle",
}


def _photo(workdir: Path) -> Path:
    shipped = FIXTURES / "coffee.png"
    if shipped.exists():
        return shipped
    rgba = np.zeros((600, 600, 4), np.uint8)
    rgba[150:560, 200:400] = (224, 122, 46, 255)
    path = workdir / "product.png"
    Image.fromarray(rgba, "RGBA").save(path)
    return path


def make_ctx(workdir: Path, formats: list[str]) -> JobContext:
    logo = FIXTURES / "logo.png"
    return JobContext(
        project_id="4f9c2d0e8b7a4c1e9d3f5a6b7c8d9e0f",
        campaign_id="a1b2c3d4e5f60718293a4b5c6d7e8f90",
        kind="flyer",
        options={"formats": formats},
        brand=BrandSpec(
            name="Northbound Coffee Co.",
            colors={
                "primary": "#1F3A5F",
                "secondary": "#F2E8DC",
                "accent": "#E07A2E",
                "background": "#FBF7F2",
                "text": "#1B1B1B",
            },
            heading_font="Manrope",
            body_font="Lato",
            tagline="Slow coffee for fast mornings",
            logo=logo if logo.exists() else None,
        ),
        product=ProductSpec(
            name="Northbound Cold Brew",
            description="Small-batch cold brew.",
            url="https://northbound.example/cold-brew",
            offer="First bottle free with a 3-month subscription",
            price="$14 per litre",
            photos=(_photo(workdir),),
        ),
        strategy={"goals": "Cold traffic to the subscription landing page; success is a trial."},
        campaign={
            "awareness_stage": "problem_aware",
            "persuasion_trigger": "reciprocity",
            "creative_style": "ugc",
        },
        script=SCRIPT,
        scenes={},
        workdir=workdir,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None, help="keep the files in this folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = args.out or Path(tempfile.mkdtemp(prefix="bench-flyer-"))
    root.mkdir(parents=True, exist_ok=True)
    generator = FlyerGenerator()

    a4 = make_ctx(root / "a4", ["A4"])
    t0 = time.perf_counter()
    generator.generate(a4)  # cutout (segmentation) and QR, once per project
    t_generate = time.perf_counter() - t0
    times, cpu = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = generator.render(a4)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    pdf = next(f for f in result.files if f.role == "final")
    png = next(f for f in result.files if f.role == "preview")
    print(f"A4 generate (cutout, plate, QR):{t_generate:6.2f} s")
    print(
        f"A4 PDF + PNG preview (render):  {statistics.median(times):6.2f} s median of {args.runs}"
        f"  (min {min(times):.2f} s; target <= 3 s)"
    )
    print(
        f"   CPU time {statistics.median(cpu):.2f} s (wall time includes other load on the machine)"
    )
    print(
        f"   PDF {pdf.path.stat().st_size / 1024:7.0f} KB   preview {png.width}x{png.height}"
        f" {png.path.stat().st_size / 1024:7.0f} KB"
    )

    every = make_ctx(root / "all", [])
    every = JobContext(**{**every.__dict__, "options": {}})
    t0 = time.perf_counter()
    generator.generate(every)
    rendered = generator.render(every)
    sheet = generator.stitch(every)
    total = time.perf_counter() - t0
    print(f"All 8 formats + contact sheet:  {total:6.2f} s")
    for f in rendered.files:
        if f.role in ("final", "preview"):
            print(
                f"   {f.role:8s} {f.label:10s} {f.media_type:16s} {f.width}x{f.height}"
                f"  {f.path.stat().st_size / 1024:7.0f} KB"
            )
    for w in rendered.warnings:
        print(f"   warning: {w}")
    print(f"   contact sheet: {sheet.files[0].path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
