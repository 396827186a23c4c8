"""Banner storyboard benchmark: the scenes gate's stills of a full banner set (all 16 sizes,
three copy variants, one layout per shape class), painted by the render's own layout and painter.

Run: ``python bench/bench_banner_storyboard.py [OUT_DIR]``. Prints the wall and CPU time of
painting every still from nothing (after imports), from the cache, and after one layout is
edited; with OUT_DIR the stills are copied there to look at. Target on 2 cores: < 1 s cold.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "banner")]
CLASSES = ("rectangle", "leaderboard", "skyscraper", "square", "mobile_strip", "landscape", "portrait")


def _timed(work: object) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = work()  # type: ignore[operator]
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    from test_banner_generator import FIXTURES, make_ctx

    from adloom.assets.banner.storyboard import paint_storyboard

    work = Path(tempfile.mkdtemp(prefix="banner-storyboard-"))
    layouts = [{"size_class": c, "arrangement": "text_left", "background": "shapes"} for c in CLASSES]
    ctx = make_ctx(work / "w")
    ctx = replace(ctx, scenes={"kind": "banner", "layouts": layouts},
                  product=replace(ctx.product, photos=(FIXTURES / "coffee.png",)))
    stills, cold, cold_cpu = _timed(lambda: paint_storyboard(ctx, work / "sb"))
    _, cached, _ = _timed(lambda: paint_storyboard(ctx, work / "sb"))
    edited_layouts = [dict(layouts[0], arrangement="text_right"), *layouts[1:]]
    edited_ctx = replace(ctx, scenes={"kind": "banner", "layouts": edited_layouts})
    _, edited, edited_cpu = _timed(lambda: paint_storyboard(edited_ctx, work / "sb"))
    print(f"banner storyboard, 16 sizes x 3 variants: {len(stills)} stills; cold {cold:.2f} s "  # type: ignore[arg-type]
          f"(CPU {cold_cpu:.2f} s), cached {cached:.3f} s, one layout edited {edited:.2f} s (CPU {edited_cpu:.2f} s)")
    if len(sys.argv) > 1:
        out = Path(sys.argv[1])
        out.mkdir(parents=True, exist_ok=True)
        for path in stills:  # type: ignore[attr-defined]
            shutil.copy(path, out / path.name)


if __name__ == "__main__":
    main()
