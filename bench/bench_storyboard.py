"""Storyboard benchmark: the scenes gate's stills of a 30 s 9:16 ad (6 scenes, Northbound
look), painted by the render's own painter at 270x480.

Run: ``python bench/bench_storyboard.py``. Prints the wall time of painting every still from
nothing (fonts and photo decoded, after imports), of the same again from the cache, and of
repainting one edited scene. Target on 2 cores: the whole storyboard in < 1 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "support")]


def main() -> None:
    from videogens import make_video_ctx

    from adloom.assets.video.models import VideoScenes
    from adloom.assets.video.storyboard import paint_storyboard

    work = Path(tempfile.mkdtemp(prefix="storyboard-"))
    ctx = make_video_ctx(work, length=30, options={"scale": 1.0})
    started = time.perf_counter()
    stills = paint_storyboard(ctx, work / "sb")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    paint_storyboard(ctx, work / "sb")
    cached = time.perf_counter() - started
    scenes = ctx.scenes_as(VideoScenes).model_dump(mode="json")
    scenes["scenes"][0]["on_screen_text"] = "Slow coffee, fast mornings"
    started = time.perf_counter()
    paint_storyboard(replace(ctx, scenes=scenes), work / "sb")
    edited = time.perf_counter() - started
    print(f"storyboard of a 30 s ad: {len(stills)} stills; cold {cold:.2f} s, cached {cached:.3f} s, "
          f"one scene edited {edited:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
