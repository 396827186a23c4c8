"""ffmpeg for video ads: pure argument builders and the one runner that owns subprocesses.

Builders (``build_encode_args``, ``build_mux_args``, ``build_probe_args``) return argument lists
and are unit-tested without ffmpeg. :class:`FrameSink` streams raw frames into an encoder's stdin
(nothing is held in memory beyond the frame being written); whole commands run through the one
runner, :func:`adloom.render.ffmpeg.run_ffmpeg`. Both map every failure to
:class:`adloom.errors.FFmpegFailed`.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

from adloom.errors import FFmpegFailed
from adloom.render.ffmpeg import DEFAULT_TIMEOUT, ffmpeg_exe, stderr_tail

FPS = 30
AUDIO_RATE = 48000


@dataclass(frozen=True)
class EncodeSpec:
    """How raw frames become an H.264 clip. Frames arrive as planar yuv420p bytes."""

    width: int
    height: int
    output: Path
    fps: int = FPS
    # veryfast: about half the bytes of superfast at the same CRF for ~20 % more encoder time
    preset: str = "veryfast"
    crf: int = 20
    gop: int = 60
    threads: int = 0  # 0: x264 decides
    input_pix_fmt: str = "yuv420p"
    # split the stream into one MP4 per part at these frame numbers (each part starts on an
    # IDR frame): ``output`` is then a pattern such as ``part%03d.mp4``
    segment_frames: tuple[int, ...] = ()

    def with_output(self, output: Path) -> EncodeSpec:
        return replace(self, output=output)

    @property
    def frame_bytes(self) -> int:
        if self.input_pix_fmt == "yuv420p":
            return self.width * self.height * 3 // 2
        return self.width * self.height * 4


def encoder_settings(spec: EncodeSpec) -> list[str]:
    """The x264 output options, shared by clips and the benchmark's encode-only floor."""
    return [
        "-c:v",
        "libx264",
        "-preset",
        spec.preset,
        "-profile:v",
        "high",
        "-crf",
        str(spec.crf),
        "-g",
        str(spec.gop),
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(spec.fps),
        "-threads",
        str(spec.threads),
        "-an",
    ]


def build_encode_args(spec: EncodeSpec, source: str = "-") -> list[str]:
    """ffmpeg arguments that read raw frames from ``source`` (stdin by default) into an MP4."""
    return [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        spec.input_pix_fmt,
        "-s",
        f"{spec.width}x{spec.height}",
        "-r",
        str(spec.fps),
        "-i",
        source,
        *encoder_settings(spec),
        *_container(spec),
        str(spec.output),
    ]


def _container(spec: EncodeSpec) -> list[str]:
    if not spec.segment_frames:
        return ["-movflags", "+faststart"]
    frames = ",".join(str(n) for n in spec.segment_frames)
    keys = "+".join(f"eq(n,{n})" for n in spec.segment_frames)
    return [
        "-force_key_frames", f"expr:{keys}", "-forced-idr", "1",
        "-f", "segment", "-segment_frames", frames, "-reset_timestamps", "1",
        "-segment_format", "mp4",
    ]


@dataclass(frozen=True)
class MuxSpec:
    """Joining encoded clips (stream copy) with one mixed soundtrack into the final MP4."""

    concat_list: Path
    audio: Path
    output: Path
    audio_bitrate: str = "192k"


def build_aac_args(source: Path, output: Path, bitrate: str = MuxSpec.audio_bitrate) -> list[str]:
    """Encode a mastered WAV to AAC-LC 48 kHz stereo in an MP4 audio file (``.m4a``)."""
    return [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
        "-c:a", "aac", "-aac_coder", "fast", "-b:a", bitrate, "-ar", str(AUDIO_RATE),
        "-ac", "2", "-f", "mp4", str(output),
    ]


def build_mux_args(spec: MuxSpec) -> list[str]:
    """Concatenate clips without re-encoding, add AAC 48 kHz stereo audio, ``+faststart``.

    Audio already encoded as AAC (an ``.m4a`` from :func:`build_aac_args`) is copied; a WAV
    is encoded here."""
    if spec.audio.suffix == ".m4a":
        audio = ["-c:a", "copy"]
    else:
        audio = ["-c:a", "aac", "-b:a", spec.audio_bitrate, "-ar", str(AUDIO_RATE), "-ac", "2"]
    return [
        ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(spec.concat_list),
        "-i",
        str(spec.audio),
        "-map",
        "0:v:0",
        "-map",
        "1:a:0",
        "-c:v",
        "copy",
        *audio,
        "-shortest",
        "-movflags",
        "+faststart",
        str(spec.output),
    ]


def concat_list_text(clips: list[Path]) -> str:
    """The concat demuxer's list file for ``clips`` (paths quoted for the demuxer)."""
    lines = []
    for clip in clips:
        quoted = str(clip.resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    return "\n".join(lines) + "\n"


def build_probe_args(path: Path) -> list[str]:
    return [ffmpeg_exe(), "-hide_banner", "-i", str(path)]


# ----------------------------------------------------------------------------- runners


PIPE_BYTES = 1 << 20


def widen_pipe(fd: int, size: int = PIPE_BYTES) -> int:
    """Grow a pipe's buffer (Linux: 64 KiB by default, up to ``/proc/sys/fs/pipe-max-size``,
    1 MiB unless raised). A 3 MB frame then crosses in a few writes instead of ~50, which
    halves the CPU both processes spend on the pipe. Returns the size in effect."""
    try:
        import fcntl

        return int(fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size))
    except (ImportError, AttributeError, OSError):  # not Linux, or above the system's limit
        return 0


class _IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


@lru_cache(maxsize=1)
def _vmsplice() -> Callable[..., int] | None:
    """libc's vmsplice(2) (Linux), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        call = ctypes.CDLL(None, use_errno=True).vmsplice
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.POINTER(_IoVec), ctypes.c_size_t, ctypes.c_uint]
    call.restype = ctypes.c_ssize_t
    return call


class FrameSink:
    """An encoder process fed frame by frame through its stdin (a context manager).

    On a clean exit the encoder is closed and checked; on an exception it is killed and the
    partial output removed, so a failed render never leaves a broken file behind.

    :meth:`write_lent` lends a frame's memory to the pipe instead of copying it (vmsplice on
    Linux, when a frame is larger than the pipe): about half the CPU both processes spend
    moving frames.
    """

    def __init__(self, spec: EncodeSpec, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.spec = spec
        self.args = build_encode_args(spec)
        self.timeout = timeout
        self.frames = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._lend: Callable[..., int] | None = None

    def __enter__(self) -> Self:
        try:
            self._proc = subprocess.Popen(
                self.args,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except OSError as exc:
            raise FFmpegFailed(self.args, f"could not start ffmpeg: {exc}") from exc
        assert self._proc.stdin is not None
        pipe_bytes = widen_pipe(self._proc.stdin.fileno())
        lendable = pipe_bytes and self.spec.frame_bytes > pipe_bytes
        self._lend = _vmsplice() if lendable else None
        return self

    @property
    def lends(self) -> bool:
        """Whether :meth:`write_lent` hands pages over without copying them."""
        return self._lend is not None

    def write_lent(self, frame: memoryview) -> None:
        """Write ``frame`` by lending its pages to the encoder's pipe (see :attr:`lends`;
        otherwise a plain :meth:`write`). The encoder reads them later, so the caller must
        leave that memory unchanged until the *next* frame has been written: a frame larger
        than the pipe pushes every page of the one before through it. Closing the sink waits
        for the encoder, so the memory must also outlive the ``with`` block."""
        lend = self._lend
        if lend is None:
            self.write(frame)
            return
        assert self._proc is not None and self._proc.stdin is not None
        self._check_size(frame)
        if frame.readonly:
            raise ValueError("write_lent needs the frame's own (writable) memory: it is lent")
        fd = self._proc.stdin.fileno()
        address = ctypes.addressof(ctypes.c_char.from_buffer(frame))
        left = len(frame)
        while left:
            sent = lend(fd, ctypes.byref(_IoVec(address, left)), 1, 0)
            if sent < 0:
                code = ctypes.get_errno()
                if code == errno.EINTR:
                    continue
                error = OSError(code, os.strerror(code))
                if code == errno.EPIPE:
                    self._closed_early(error)
                raise error
            address += sent
            left -= sent
        self.frames += 1

    def _closed_early(self, cause: OSError) -> NoReturn:
        """The encoder stopped reading: its own message, and no partial output left."""
        assert self._proc is not None
        self._proc.wait(timeout=self.timeout)
        stderr = self._proc.stderr.read() if self._proc.stderr else b""
        self.spec.output.unlink(missing_ok=True)
        raise FFmpegFailed(self.args, stderr_tail(stderr) or "encoder closed its input") from cause

    def _check_size(self, frame: bytes | memoryview) -> None:
        if len(frame) != self.spec.frame_bytes:
            raise ValueError(f"frame has {len(frame)} bytes, expected {self.spec.frame_bytes}")

    def write(self, frame: bytes | memoryview) -> None:
        assert self._proc is not None and self._proc.stdin is not None
        self._check_size(frame)
        try:
            self._proc.stdin.write(frame)
        except BrokenPipeError as exc:
            self._closed_early(exc)
        self.frames += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        if exc_type is not None:
            proc.kill()
            proc.wait()
            self.spec.output.unlink(missing_ok=True)
            return
        proc.stdin.close()
        try:
            proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired as err:
            proc.kill()
            proc.wait()
            self.spec.output.unlink(missing_ok=True)
            raise FFmpegFailed(self.args, "encoder timed out") from err
        stderr = proc.stderr.read() if proc.stderr else b""
        if proc.returncode != 0:
            self.spec.output.unlink(missing_ok=True)
            raise FFmpegFailed(self.args, stderr_tail(stderr))


# ----------------------------------------------------------------------------- probing


@dataclass(frozen=True)
class MediaInfo:
    """What ffmpeg reports about a file (parsed from ``ffmpeg -i``; no ffprobe is shipped)."""

    duration: float
    video_codec: str = ""
    video_profile: str = ""
    pix_fmt: str = ""
    width: int = 0
    height: int = 0
    fps: float = 0.0
    audio_codec: str = ""
    audio_rate: int = 0
    audio_channels: str = ""


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+\.\d+)")
_VIDEO = re.compile(
    r"Video: (\w+)(?: \(([^)]+)\))?.*?, (\w+)(?:\([^)]*\))?, (\d+)x(\d+).*?, ([\d.]+) fps"
)
_AUDIO = re.compile(r"Audio: (\w+)(?: \([^)]*\))?.*?, (\d+) Hz, ([\w.]+)")


def parse_probe(text: str) -> MediaInfo:
    """Parse ``ffmpeg -i`` output into :class:`MediaInfo`."""
    duration = _DURATION.search(text)
    seconds = 0.0
    if duration:
        h, m, s = duration.groups()
        seconds = int(h) * 3600 + int(m) * 60 + float(s)
    info = MediaInfo(duration=seconds)
    video = _VIDEO.search(text)
    if video:
        codec, profile, pix, w, h, fps = video.groups()
        info = replace(
            info,
            video_codec=codec,
            video_profile=profile or "",
            pix_fmt=pix,
            width=int(w),
            height=int(h),
            fps=float(fps),
        )
    audio = _AUDIO.search(text)
    if audio:
        info = replace(
            info,
            audio_codec=audio.group(1),
            audio_rate=int(audio.group(2)),
            audio_channels=audio.group(3),
        )
    return info


def probe(path: Path) -> MediaInfo:
    """Codec, size, rate and duration of a media file, as ffmpeg reads it."""
    args = build_probe_args(path)
    done = subprocess.run(args, capture_output=True, timeout=60, check=False)
    text = done.stderr.decode("utf-8", "replace")
    if "Duration:" not in text:
        raise FFmpegFailed(args, text)
    return parse_probe(text)
