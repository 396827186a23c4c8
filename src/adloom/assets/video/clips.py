"""Scene clips: one H.264 clip per scene per format, cached by a content hash.

A :class:`ClipJob` holds everything that changes a clip's pixels (the scene, its neighbours'
transition kinds, its voiceover word timings, the brand look with file contents hashed, the
format and the encoder settings). Its hash names the clip file, so re-rendering after one scene
changed only re-encodes that scene; unchanged clips are left exactly as they were.

Frames are drawn into one reused buffer and streamed to the encoder: memory does not grow
with the length of the ad. Consecutive scenes that need rendering share one encoder (one x264
instance for the run, split into one MP4 per scene at IDR frames), so a full render costs about
what encoding the whole ad in one go costs; runs of different formats render in parallel
threads.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import cv2
import numpy as np
import skia
from PIL import Image

from adloom.errors import RenderError
from adloom.providers.tts import WordTiming

from .encode import FPS, EncodeSpec, FrameSink
from .footage import FootagePainter, SceneFootage, streaming
from .look import Look, LookSpec, load_look
from .painter import Rect, ScenePainter, headline_settles_at
from .plan import ScenePlan, VideoFormat

RENDERER_VERSION = "video-clip-6"  # footage scenes add their own fingerprint


@dataclass(frozen=True)
class ClipJob:
    scene: ScenePlan
    fmt: VideoFormat
    look: LookSpec
    words: tuple[WordTiming, ...]  # scene-local timings
    folder: Path
    preset: str = "veryfast"
    crf: int = 20
    threads: int = 0
    footage: SceneFootage | None = None  # the user's clip behind the scene (footage.py)

    def content_hash(self) -> str:
        scene = asdict(self.scene)
        scene.pop("first_frame")  # the same scene moved in time renders the same pixels
        scene.pop("start")
        payload = {
            "version": RENDERER_VERSION,
            "scene": scene,
            "format": asdict(self.fmt),
            "look": self.look.fingerprint(),
            "words": [asdict(w) for w in self.words],
            "encode": [self.preset, self.crf],
        }
        if self.footage is not None:
            payload["footage"] = self.footage.fingerprint()
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @property
    def output(self) -> Path:
        return self.folder / f"scene{self.scene.index:02d}-{self.content_hash()}.mp4"

    @property
    def still(self) -> Path:
        """A JPEG of the clip's still frame (posters and thumbnails), made with the clip."""
        return self.output.with_suffix(".jpg")

    @property
    def still_frame(self) -> int:
        """Three quarters into the scene, and never before its headline is all in (the first
        scene's still is the ad's poster, its feed cover)."""
        n = self.scene.frame_count
        settled = math.ceil(headline_settles_at(self.scene.text) * FPS)
        return max(0, min(n - 8, max(int(n * 0.75), settled)))

    def encode_spec(self, output: Path) -> EncodeSpec:
        return EncodeSpec(
            self.fmt.width,
            self.fmt.height,
            output,
            preset=self.preset,
            crf=self.crf,
            threads=self.threads,
        )


class FrameCanvas:
    """One reusable BGRA frame buffer with a skia canvas drawing straight into it, and its
    yuv420p conversion. With ``lend`` there are two yuv buffers used in turn, so the one
    handed to :meth:`FrameSink.write_lent` is not changed while the encoder may still read it.
    """

    def __init__(self, width: int, height: int, *, lend: bool = False) -> None:
        self.pixels = np.zeros((height, width, 4), dtype=np.uint8)
        info = skia.ImageInfo.Make(width, height, skia.kBGRA_8888_ColorType, skia.kPremul_AlphaType)
        surface = skia.Surface.MakeRasterDirect(info, self.pixels)
        if surface is None:  # pragma: no cover - only on allocation failure
            raise MemoryError(f"cannot make a {width}x{height} canvas")
        self.surface = surface
        self.canvas = surface.getCanvas()
        self.width, self.height = width, height
        self._buffers = [_Yuv420(width, height) for _ in range(2 if lend else 1)]
        self._current = 0
        # where the other buffer lags behind the current one (None: everywhere)
        self._lagging: Rect | None = None

    def yuv420(self, changed: Rect | None = None) -> memoryview:
        """The frame as planar yuv420p (BT.601 limited range). ``changed`` (left, top, right,
        bottom; even bounds) limits the conversion to the rectangle that changed since the
        previous call; the rest of the planes keep their previous values."""
        whole = (0, 0, self.width, self.height)
        rect = whole if changed is None else changed
        if rect[2] <= rect[0] or rect[3] <= rect[1]:  # nothing changed: the same buffer again
            return self._buffers[self._current].data
        if len(self._buffers) == 1:
            self._buffers[0].convert(self.pixels, rect)
            return self._buffers[0].data
        source, target = self._buffers[self._current], self._buffers[1 - self._current]
        target.copy(source, self._lagging or whole)  # catch up with the previous frame
        target.convert(self.pixels, rect)
        self._lagging, self._current = rect, 1 - self._current
        return target.data

    def rgb(self) -> np.ndarray:
        return cv2.cvtColor(self.pixels, cv2.COLOR_BGRA2RGB)


class _Yuv420:
    """Planar yuv420p frame memory, converted into and copied by rectangles (even bounds)."""

    def __init__(self, width: int, height: int) -> None:
        self.array = np.zeros(width * height * 3 // 2, dtype=np.uint8)
        size = width * height
        self.y = self.array[:size].reshape(height, width)
        self.u = self.array[size: size + size // 4].reshape(height // 2, width // 2)
        self.v = self.array[size + size // 4:].reshape(height // 2, width // 2)

    @property
    def data(self) -> memoryview:
        return self.array.data

    def convert(self, pixels: np.ndarray, rect: Rect) -> None:
        left, top, right, bottom = rect
        part = cv2.cvtColor(pixels[top:bottom, left:right], cv2.COLOR_BGRA2YUV_I420)
        h, w = bottom - top, right - left
        self.y[top:bottom, left:right] = part[:h]
        chroma = part[h:].reshape(-1)
        quarter = (h // 2) * (w // 2)
        rows, cols = slice(top // 2, bottom // 2), slice(left // 2, right // 2)
        self.u[rows, cols] = chroma[:quarter].reshape(h // 2, w // 2)
        self.v[rows, cols] = chroma[quarter:].reshape(h // 2, w // 2)

    def copy(self, other: _Yuv420, rect: Rect) -> None:
        left, top, right, bottom = rect
        self.y[top:bottom, left:right] = other.y[top:bottom, left:right]
        rows, cols = slice(top // 2, bottom // 2), slice(left // 2, right // 2)
        self.u[rows, cols] = other.u[rows, cols]
        self.v[rows, cols] = other.v[rows, cols]


def painter_for(job: ClipJob, look: Look | None = None) -> ScenePainter:
    if job.footage is not None:
        return FootagePainter(job.scene, job.fmt, look or load_look(job.look), job.words, job.footage)
    return ScenePainter(job.scene, job.fmt, look or load_look(job.look), job.words)


def is_cached(job: ClipJob) -> bool:
    return job.output.exists() and job.output.stat().st_size > 0 and job.still.exists()


def render_run(run: Sequence[ClipJob]) -> None:
    """Render consecutive scenes of one format through one encoder, one clip file per scene.

    The encoder writes into a private folder; clips are moved to their hashed names only
    after it finished cleanly, so a failure leaves no clip that looks finished."""
    first = run[0]
    first.folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".run-", dir=first.folder))
    cuts, total = [], 0
    for job in run[:-1]:
        total += job.scene.frame_count
        cuts.append(total)
    spec = replace(first.encode_spec(scratch / "part%03d.mp4"), segment_frames=tuple(cuts))
    try:
        with FrameSink(spec) as sink:
            frame = FrameCanvas(first.fmt.width, first.fmt.height, lend=sink.lends)
            looks: dict[LookSpec, Look] = {}  # fonts and images decoded once per run
            for job in run:
                if job.look not in looks:
                    looks[job.look] = load_look(job.look)
                painter = painter_for(job, looks[job.look])  # its first frame is drawn in full
                with streaming(painter):  # a scene over footage decodes its segment as it goes
                    for k in range(job.scene.frame_count):
                        changed = painter.draw_changes(frame.canvas, k, frame.pixels)
                        sink.write_lent(frame.yuv420(changed))
                        if k == job.still_frame:
                            Image.fromarray(frame.rgb()).save(job.still, quality=86, optimize=True)
        parts = sorted(scratch.glob("part*.mp4"))
        if len(parts) != len(run):
            raise RenderError(
                f"The encoder wrote {len(parts)} clips for {len(run)} scenes.",
                hint="Run the rendering stage again; if it repeats, report it with the log.",
            )
        for job, part in zip(run, parts, strict=True):
            part.replace(job.output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def render_still(job: ClipJob, k: int, *, look: Look | None = None) -> np.ndarray:
    """Frame ``k`` of a scene as an RGB array (posters, thumbnails, the storyboard; no encoder).
    ``look`` is the scene's decoded look when the caller already has it."""
    frame = FrameCanvas(job.fmt.width, job.fmt.height)
    painter_for(job, look).draw(frame.canvas, k)
    return frame.rgb()


def render_clips(jobs: Sequence[ClipJob], *, workers: int | None = None) -> list[Path]:
    """Render every job; paths in the jobs' order.

    Consecutive uncached scenes of a format form a run with one encoder (:func:`render_run`);
    runs go largest first, in parallel threads. Cached clips are returned as they are. Clips
    of the same scene and format with another hash (stale versions) are removed once the new
    one is written.
    """
    runs = clip_runs(jobs)
    if runs:
        # one OpenCV thread: colour conversion runs on each drawing thread while x264 keeps
        # every core busy; OpenCV's own pool only adds hand-off cost (about 20 % of its CPU)
        cv2.setNumThreads(1)
    workers = workers or min(2, os.cpu_count() or 1)
    if len(runs) > 1 and workers > 1:
        runs.sort(key=lambda r: -sum(j.scene.frame_count * j.fmt.width * j.fmt.height for j in r))
        # threads, not processes: forking after the TTS engine and OpenCV started their thread
        # pools can deadlock, and the heavy work (encoding, colour conversion, pipe writes)
        # runs outside the GIL anyway
        with ThreadPoolExecutor(max_workers=min(workers, len(runs))) as pool:
            list(pool.map(render_run, runs))
    else:
        for run in runs:
            render_run(run)
    for job in jobs:
        _remove_stale(job)
    return [job.output for job in jobs]


def clip_runs(jobs: Sequence[ClipJob]) -> list[list[ClipJob]]:
    """Uncached jobs grouped into runs of consecutive scenes of one format and folder."""
    runs: list[list[ClipJob]] = []
    previous: ClipJob | None = None
    for job in jobs:
        if is_cached(job):
            previous = None
            continue
        if (previous is not None and job.fmt == previous.fmt and job.folder == previous.folder
                and job.scene.index == previous.scene.index + 1
                and (job.preset, job.crf, job.threads)
                == (previous.preset, previous.crf, previous.threads)):
            runs[-1].append(job)
        else:
            runs.append([job])
        previous = job
    return runs


def _remove_stale(job: ClipJob) -> None:
    keep = {job.output.name, job.still.name}
    for old in job.folder.glob(f"scene{job.scene.index:02d}-*"):
        if old.name not in keep and old.suffix in (".mp4", ".jpg"):
            old.unlink(missing_ok=True)


def with_threads(jobs: Sequence[ClipJob], threads: int) -> list[ClipJob]:
    return [replace(job, threads=threads) for job in jobs]
