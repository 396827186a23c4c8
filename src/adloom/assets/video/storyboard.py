"""The scenes gate's storyboard: one low-resolution still per scene, painted free before any
credits are spent.

Each still is painted by the render's own ``ScenePainter`` (``clips.render_still``) at a quarter
of full size (270×480 for 9:16), at the frame the render uses for its poster (after the
entrance animation, so the text is on screen). Files are named by the clip's content hash: an
edited scene gets a new still, an unchanged one is never painted twice. The product photo is
shown uncut (the generate stage's cutout and framing do not exist yet at this gate). A
campaign's video clips are shown behind the scenes from their first half second on.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PIL import Image

from adloom.assets.base import JobContext

from .clips import ClipJob, render_still
from .footage import quick_footage
from .look import Look, LookSpec, load_look
from .models import VideoScenes, VideoScript
from .plan import build_plan

STORYBOARD_SCALE = 0.25


def _look_spec(ctx: JobContext) -> LookSpec:
    # a still made from a clip is not shown: the scenes show the clip itself
    photos = () if ctx.product.photos_from_clips else ctx.product.photos
    photo = Path(photos[0]) if photos else None
    return LookSpec(colors=tuple(sorted(ctx.brand.colors.items())), heading_font=ctx.brand.heading_font,
                    body_font=ctx.brand.body_font, brand_name=ctx.brand.name, cta=ctx.script_as(VideoScript).cta,
                    photo=photo, logo=Path(ctx.brand.logo) if ctx.brand.logo else None)


def storyboard_jobs(ctx: JobContext, folder: Path) -> list[ClipJob]:
    """One clip job per scene, in the project's first format at storyboard scale."""
    formats = list(ctx.options.get("formats") or ["9:16"])[:1]
    options = {**ctx.options, "formats": formats, "scale": STORYBOARD_SCALE}
    plan = build_plan(ctx.script_as(VideoScript), ctx.scenes_as(VideoScenes), options)
    look = _look_spec(ctx)
    footage = quick_footage(ctx.product.clips, plan)
    return [ClipJob(scene, plan.formats[0], look, (), folder, footage=footage.get(scene.index))
            for scene in plan.scenes]


def still_path(job: ClipJob) -> Path:
    return job.folder / f"story{job.scene.index:02d}-{job.content_hash()}.jpg"


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(folder: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(folder, threading.Lock())


def paint_storyboard(ctx: JobContext, folder: Path) -> list[Path]:
    """Every scene's still (painted only when missing); one decoded look shared by all. The
    browser asks for every still at once: the first request paints them all while the others
    wait for it and then read the cache, instead of each painting every scene again."""
    with _lock_for(folder):
        return _paint_missing(ctx, folder)


def _paint_missing(ctx: JobContext, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    looks: dict[LookSpec, Look] = {}
    paths = []
    for job in storyboard_jobs(ctx, folder):
        path = still_path(job)
        if not path.exists():
            if job.look not in looks:
                looks[job.look] = load_look(job.look)
            look = looks[job.look]
            _save(render_still(job, job.still_frame, look=look), path)
        paths.append(path)
    return paths


def _save(rgb: object, path: Path) -> None:
    """Write through a temporary name, so a request never reads a half-written still."""
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    Image.fromarray(rgb).save(scratch, format="JPEG", quality=82)  # type: ignore[arg-type]
    scratch.replace(path)
