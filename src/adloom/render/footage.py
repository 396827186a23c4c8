"""The user's own video clips: probe, check, analyse (motion, subject) and decode them.

A clip is read only through the ffmpeg binary the project ships (``render.ffmpeg``; no ffprobe
is shipped, so the stream facts are parsed from ``ffmpeg -i``). Everything here is about one
clip as media; which scene shows which part of it is decided in ``assets/video/footage.py``.

- :func:`probe_clip` / :func:`check_clip`: container facts, and the plain-words reason a file
  is not a usable clip (no video stream, an unknown codec, too long, corrupt frames);
- :func:`analyse_clip` and :func:`best_window`: where the clip moves most (decoded once, small),
  so a scene gets an interesting segment, not the first seconds of a slate; and frames to
  find the subject in;
- :func:`sample_frames`, :func:`clip_framing`, :func:`sharp_still`: frames for the subject-aware
  crop (``render.framing``) and for banners and flyers that need a still;
- :func:`build_decode_args` and :class:`FootageReader`: the segment trimmed, cropped around the
  subject, scaled and muted by ffmpeg's own filters, streamed as BGRA frames.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Self, cast

import cv2
import numpy as np

from adloom.errors import BadMedia, FFmpegFailed
from adloom.render.cutout import saliency
from adloom.render.ffmpeg import ffmpeg_exe, run_ffmpeg, stderr_tail
from adloom.render.framing import Framing, frame_photo, subject_crop
from adloom.render.layout import Box

VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "prores", "mpeg4", "mjpeg"})
DEFAULT_MAX_SECONDS = 300.0  # five minutes: a clip for an ad, not a film
MIN_SECONDS = 0.5
MAX_SIDE = 4096  # 4K DCI; larger frames cost more to decode than an ad is worth
SKIP_START = 0.5  # the first half second of a phone clip is usually the tap that started it
PROFILE_FPS = 4  # motion is measured on 4 tiny grey frames a second
PROFILE_WIDTH = 96
PROFILE_SECONDS = 120.0  # only the first two minutes are searched for the liveliest segment
PROBE_TIMEOUT = 60.0


@dataclass(frozen=True)
class ClipInfo:
    """What ffmpeg reports about a clip; width and height as shown (rotation applied)."""

    duration: float
    video_codec: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    audio_codec: str = ""

    @property
    def has_video(self) -> bool:
        return bool(self.video_codec) and self.width > 0 and self.height > 0


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})(.*)")
_FPS = re.compile(r"([\d.]+) (?:fps|tbr)")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")
_ROTATION = re.compile(r"rotat\w* of (-?[\d.]+) degrees|rotate\s*:\s*(-?\d+)")


def parse_clip_probe(text: str) -> ClipInfo:
    """Parse ``ffmpeg -i`` output (pure; tested on captured text)."""
    found = _DURATION.search(text)
    seconds = 0.0
    if found:
        h, m, s = found.groups()
        seconds = int(h) * 3600 + int(m) * 60 + float(s)
    codec, width, height, fps = "", 0, 0, 0.0
    video = _VIDEO.search(text)
    if video and not video.group(4).lstrip(", ").startswith("attached pic") and "attached pic" not in video.group(4):
        codec, width, height = video.group(1), int(video.group(2)), int(video.group(3))
        rate = _FPS.search(video.group(4))
        fps = float(rate.group(1)) if rate else 0.0
        turn = _ROTATION.search(text)
        angle = float(turn.group(1) or turn.group(2)) if turn else 0.0
        if round(abs(angle)) % 180 == 90:  # a phone held upright: ffmpeg turns the frames
            width, height = height, width
    audio = _AUDIO.search(text)
    return ClipInfo(seconds, codec, width, height, fps, audio.group(1) if audio else "")


def probe_clip(path: Path) -> ClipInfo:
    """The clip's container facts; a file ffmpeg cannot open is :class:`BadMedia`."""
    args = [ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    try:
        done = subprocess.run(args, capture_output=True, timeout=PROBE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FFmpegFailed(args, f"timed out after {PROBE_TIMEOUT:.0f} s") from exc
    text = done.stderr.decode("utf-8", "replace")
    if "Duration:" not in text:
        raise BadMedia(f"'{path.name}' is not a video file ffmpeg can read.",
                       hint="Upload an MP4, MOV or WebM clip exported from your phone or editor.")
    return parse_clip_probe(text)


def check_probed(path: Path, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> ClipInfo:
    """The container-level checks of :func:`check_clip` without decoding (a clip that passed
    them on upload is checked again cheaply before a render)."""
    info = probe_clip(path)
    problem = clip_problem(info, max_seconds=max_seconds)
    if problem:
        raise BadMedia(f"'{path.name}' {problem}.", hint=CLIP_HINT)
    return info


def check_clip(path: Path, *, max_seconds: float = DEFAULT_MAX_SECONDS, name: str | None = None) -> ClipInfo:
    """The clip's facts when it is a usable clip, else :class:`BadMedia` in plain words:
    no picture, an unsupported codec, too short or too long, too large a frame, frames that do
    not decode (a truncated or corrupt file)."""
    label = name or path.name
    info = probe_clip(path)
    problem = clip_problem(info, max_seconds=max_seconds)
    if problem:
        raise BadMedia(f"'{label}' {problem}.", hint=CLIP_HINT)
    _decode_samples(path, info, label)
    return info


CLIP_HINT = "Upload an MP4, MOV or WebM clip (H.264, HEVC, VP8/VP9 or AV1) of at most five minutes."


def clip_problem(info: ClipInfo, *, max_seconds: float = DEFAULT_MAX_SECONDS) -> str | None:
    """Why the probed clip cannot be used, or None (pure)."""
    if not info.has_video:
        return "has no video stream (it is audio only, or not a video)"
    if info.video_codec not in VIDEO_CODECS:
        return f"uses the '{info.video_codec}' video codec, which Adloom does not accept"
    if info.duration < MIN_SECONDS:
        return f"lasts {info.duration:.2f} s; a clip must last at least {MIN_SECONDS} s"
    if info.duration > max_seconds:
        return (f"lasts {_minutes(info.duration)}, longer than the {_minutes(max_seconds)} limit; "
                "trim it to the part you want in the ad")
    if max(info.width, info.height) > MAX_SIDE:
        return f"is {info.width}x{info.height}; frames larger than {MAX_SIDE} px are refused"
    return None


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{seconds:.1f} s"


def _decode_samples(path: Path, info: ClipInfo, label: str) -> None:
    """Decode a second at the start, the middle and the end with errors fatal: a truncated or
    corrupt clip fails here, not in the middle of a render."""
    last = max(0.0, info.duration - 1.0)
    for start in sorted({0.0, round(info.duration / 2, 3), round(last, 3)}):
        args = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-xerror", "-err_detect", "explode",
                "-ss", f"{start:.3f}", "-i", str(path), "-t", "1", "-an", "-sn", "-dn",
                "-vf", "scale=64:-2", "-f", "null", "-"]
        try:
            run_ffmpeg(args, timeout=PROBE_TIMEOUT)
        except FFmpegFailed as exc:
            raise BadMedia(f"'{label}' has frames that cannot be decoded near {start:.0f} s "
                           "(the file is truncated or corrupt).", hint=CLIP_HINT) from exc
    frames = sample_frames(path, [min(last, info.duration / 2)], width=64)
    if not frames:
        raise BadMedia(f"'{label}' has no picture that can be decoded.", hint=CLIP_HINT)


# ----------------------------------------------------------------------------- analysis


def best_window(profile: np.ndarray, clip_seconds: float, length: float, *,
                avoid: tuple[tuple[float, float], ...] = ()) -> float:
    """Where a ``length``-second segment starts (pure): past the first half second, where the
    clip moves most, preferring segments that overlap none of ``avoid`` (other scenes' parts)."""
    latest = clip_seconds - length
    if latest <= SKIP_START:
        return max(0.0, min(SKIP_START, latest))
    step = 1.0 / PROFILE_FPS
    starts = np.arange(SKIP_START, latest + 1e-6, step / 2)
    best, best_score = SKIP_START, -1.0
    for start in starts:
        lo, hi = int(start * PROFILE_FPS), max(int(start * PROFILE_FPS) + 1, int((start + length) * PROFILE_FPS))
        energy = float(profile[lo:hi].mean()) if lo < len(profile) else 0.0
        overlap = sum(max(0.0, min(start + length, b) - max(start, a)) for a, b in avoid)
        # showing the same moment twice is worse than showing a quieter one
        score = energy * (0.1 * (1.0 - min(1.0, overlap / length)) if overlap > 0 else 1.0)
        if score > best_score + 1e-6:
            best, best_score = float(start), score
    return round(best, 3)


def sample_frames(path: Path, times: list[float], *, width: int = 320) -> list[np.ndarray]:
    """RGB frames at ``times`` (seconds), ``width`` pixels wide (aspect kept)."""
    frames = []
    for at in times:
        args = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-ss", f"{max(0.0, at):.3f}", "-i", str(path),
                "-frames:v", "1", "-an", "-sn", "-dn", "-vf", f"scale={width}:-2", "-f", "image2pipe",
                "-c:v", "png", "-"]
        data = run_ffmpeg(args, timeout=PROBE_TIMEOUT)
        decoded = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR) if data else None
        if decoded is not None:
            frames.append(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB))
    return frames


@dataclass(frozen=True)
class ClipAnalysis:
    """One decode of a clip: its facts, its motion profile and small frames to frame it by."""

    clip: Path
    info: ClipInfo
    motion: np.ndarray
    stills: tuple[tuple[float, np.ndarray], ...]  # (seconds, RGB ANALYSIS_WIDTH wide)

    def to_json(self) -> dict[str, object]:
        return {"clip": str(self.clip), "duration": self.info.duration, "width": self.info.width,
                "height": self.info.height, "motion": [round(float(v), 3) for v in self.motion]}

    def framing(self, start: float, length: float) -> Framing:
        """The subject's place over a segment, from up to three of the kept frames in it."""
        inside = [rgb for t, rgb in self.stills if start <= t <= start + length]
        if not inside and self.stills:
            inside = [min(self.stills, key=lambda item: abs(item[0] - start - length / 2))[1]]
        picks = [inside[round(i)] for i in np.linspace(0, len(inside) - 1, min(3, len(inside)))] if inside else []
        return merge_framings([_frame_subject(rgb) for rgb in picks])


ANALYSIS_WIDTH = 320
STILLS_EVERY = 2  # of the profile's frames, every second one is kept for framing (2 a second)


def analyse_clip(path: Path, *, seconds: float = PROFILE_SECONDS) -> ClipAnalysis:
    """Decode the clip once, small, at :data:`PROFILE_FPS` frames a second: the change between
    consecutive frames (tiny and grey) and two frames a second kept for the subject's place.
    Frames are read as they come (memory holds the kept frames only)."""
    info = probe_clip(path)
    width = ANALYSIS_WIDTH
    height = max(2, round(width * info.height / max(1, info.width) / 2) * 2)
    args = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-nostdin", "-i", str(path), "-t", f"{seconds:.1f}",
            "-an", "-sn", "-dn", "-vf", f"fps={PROFILE_FPS},scale={width}:{height}:flags=area",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    size = width * height * 3
    motion: list[float] = []
    stills: list[tuple[float, np.ndarray]] = []
    previous: np.ndarray | None = None
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        index = 0
        while len(data := process.stdout.read(size)) == size:
            rgb = np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
            grey = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (PROFILE_WIDTH, PROFILE_WIDTH),
                              interpolation=cv2.INTER_AREA).astype(np.int16)
            if previous is not None:
                motion.append(float(np.abs(grey - previous).mean()))
            if index % STILLS_EVERY == 0:
                stills.append((index / PROFILE_FPS, rgb))
            previous, index = grey, index + 1
        error = process.stderr.read()
    if process.returncode != 0 or not stills:
        raise FFmpegFailed(args, stderr_tail(error) or "no frame could be decoded")
    return ClipAnalysis(path, info, np.asarray(motion, dtype=np.float32), tuple(stills))


def merge_framings(framings: list[Framing]) -> Framing:
    """One framing for several frames: the mean focal point, the middle face to keep."""
    if not framings:
        return Framing()
    fx = float(np.mean([f.focal[0] for f in framings]))
    fy = float(np.mean([f.focal[1] for f in framings]))
    with_face = [f for f in framings if f.keep is not None]
    keep = with_face[len(with_face) // 2].keep if with_face else None
    return Framing((fx, fy), keep, max(f.faces for f in framings))


def clip_framing(path: Path, start: float, length: float) -> Framing:
    """Where the subject is over a segment: faces (kept whole) or the saliency centre, on three
    frames across it; the focal point is their mean, so a subject that moves stays in."""
    times = [start + length * f for f in (0.2, 0.5, 0.8)]
    framings = [_frame_subject(rgb) for rgb in sample_frames(path, times)]
    if not framings:
        return Framing()
    fx = float(np.mean([f.focal[0] for f in framings]))
    fy = float(np.mean([f.focal[1] for f in framings]))
    with_face = [f for f in framings if f.keep is not None]
    keep = with_face[len(with_face) // 2].keep if with_face else None
    return Framing((fx, fy), keep, max(f.faces for f in framings))


def _frame_subject(rgb: np.ndarray) -> Framing:
    """Faces when there are any; else the centre of the most salient region. A frame of
    footage is busier than a product photo, so the saliency is sharpened (fourth power) before
    its centre is taken: the mean of a flat map drifts to the middle of the frame."""
    found = frame_photo(rgb)
    if found.keep is not None:
        return found
    weights = saliency(rgb) ** 4
    total = float(weights.sum())
    if total <= 0:
        return found
    ys, xs = np.mgrid[0 : weights.shape[0], 0 : weights.shape[1]]
    return Framing((float((xs * weights).sum() / total / weights.shape[1]),
                    float((ys * weights).sum() / total / weights.shape[0])))


def crop_for(info: ClipInfo, width: int, height: int, framing: Framing) -> Box:
    """The part of the clip's frame, with the output's shape, that holds the subject (a face
    too large for the crop is cropped around its centre rather than shown letterboxed)."""
    crop = subject_crop(info.width, info.height, width, height, framing)
    if crop is None:
        crop = subject_crop(info.width, info.height, width, height, Framing(framing.focal))
    assert crop is not None  # without a face to keep, a crop always exists
    return _even(crop, info.width, info.height)


def _even(box: Box, src_w: int, src_h: int) -> Box:
    w, h = max(2, int(box.w) // 2 * 2), max(2, int(box.h) // 2 * 2)
    x = min(max(0, round(box.x) // 2 * 2), src_w - w)
    y = min(max(0, round(box.y) // 2 * 2), src_h - h)
    return Box(x, y, w, h)


def sharpness(rgb: np.ndarray) -> float:
    """Variance of the Laplacian: higher is sharper (motion blur and focus hunting score low)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def sharp_still(path: Path, target: Path, *, candidates: int = 6) -> Path:
    """The sharpest of a few frames spread over the clip (past its first half second), saved
    as a full-size PNG at ``target``: a photo for banners and flyers made from a clip."""
    info = probe_clip(path)
    span = max(0.0, info.duration - SKIP_START - 0.2)
    times = [SKIP_START + span * (i + 0.5) / candidates for i in range(candidates)]
    small = sample_frames(path, times, width=480)
    if not small:
        raise BadMedia(f"No frame of '{path.name}' can be decoded.", hint=CLIP_HINT)
    best = times[int(np.argmax([sharpness(rgb) for rgb in small]))]
    full = sample_frames(path, [best], width=max(2, info.width // 2 * 2))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial.png")
    cv2.imwrite(str(partial), cv2.cvtColor(full[0], cv2.COLOR_RGB2BGR))
    partial.replace(target)
    return target


def thumbnail_jpeg(path: Path, *, width: int = 360) -> bytes:
    """A JPEG of one frame a second into the clip (the Campaign Hub's preview)."""
    info = probe_clip(path)
    at = min(1.0, info.duration / 2)
    args = [ffmpeg_exe(), "-hide_banner", "-v", "error", "-ss", f"{at:.3f}", "-i", str(path),
            "-frames:v", "1", "-an", "-vf", f"scale={width}:-2", "-f", "image2pipe", "-c:v", "mjpeg",
            "-q:v", "4", "-"]
    return run_ffmpeg(args, timeout=PROBE_TIMEOUT)


# ----------------------------------------------------------------------------- decoding


@dataclass(frozen=True)
class DecodeSpec:
    """One segment of a clip as the frames of one scene: trimmed, cropped, scaled, muted."""

    clip: Path
    start: float
    frames: int
    crop: tuple[int, int, int, int]  # x, y, w, h in the clip's (rotated) pixels
    width: int
    height: int
    fps: int = 30
    loop: bool = False  # the clip is shorter than the scene: play it again

    @property
    def frame_bytes(self) -> int:
        return self.width * self.height * 4


def build_decode_args(spec: DecodeSpec) -> list[str]:
    """ffmpeg arguments that write the segment as raw BGRA frames to stdout (pure). The audio,
    subtitles and data streams are dropped (``-an -sn -dn``): the ad's sound is its own."""
    x, y, w, h = spec.crop
    filters = (f"fps={spec.fps},crop={w}:{h}:{x}:{y},scale={spec.width}:{spec.height}:flags=bicubic,"
               "setsar=1,format=bgra")
    return [
        ffmpeg_exe(), "-hide_banner", "-v", "error", "-nostdin",
        *(["-stream_loop", "-1"] if spec.loop else []),
        "-ss", f"{spec.start:.3f}", "-i", str(spec.clip),
        "-an", "-sn", "-dn", "-vf", filters, "-frames:v", str(spec.frames),
        "-f", "rawvideo", "-pix_fmt", "bgra", "-",
    ]


class FootageReader:
    """Stream a :class:`DecodeSpec`'s frames from ffmpeg, one reused BGRA buffer at a time.

    ffmpeg decodes ahead in its own process while the caller draws; a clip that ends early
    repeats its last frame (the scene's length is the plan's, never the clip's)."""

    def __init__(self, spec: DecodeSpec) -> None:
        self.spec = spec
        self.frame = np.zeros((spec.height, spec.width, 4), dtype=np.uint8)
        self._view = memoryview(self.frame.reshape(-1).data)
        self._process: subprocess.Popen[bytes] | None = None
        self._stdout: BinaryIO | None = None
        self.read_count = 0

    def __enter__(self) -> Self:
        self.args = build_decode_args(self.spec)
        try:
            self._process = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, bufsize=0)
            self._stdout = cast(BinaryIO, self._process.stdout)
        except OSError as exc:
            raise FFmpegFailed(self.args, f"could not start ffmpeg: {exc}") from exc
        return self

    def next_frame(self) -> np.ndarray:
        """The next frame (the same array, refilled); the last one again once the clip ends."""
        process, stdout = self._process, self._stdout
        if process is None or stdout is None:
            raise FFmpegFailed(getattr(self, "args", []), "the reader is not open")
        got = 0
        while got < self.spec.frame_bytes:
            n = stdout.readinto(self._view[got:])  # type: ignore[attr-defined]
            if not n:
                break
            got += n
        if got == self.spec.frame_bytes:
            self.read_count += 1
        elif self.read_count == 0:
            raise FFmpegFailed(self.args, stderr_tail(process.stderr.read() if process.stderr else b""))
        return self.frame

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        process = self._process
        if process is None:
            return
        if process.stdout is not None:
            process.stdout.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
