"""The one ffmpeg runner: finds the binary, runs a command, maps every failure to FFmpegFailed.

Argument builders elsewhere (``assets.video.encode``, ``render.audio``) are pure and return the
whole command, executable first; this module owns the subprocess. A run is bounded in time
(``timeout``: the caller's, or :data:`DEFAULT_TIMEOUT`) and its error text is bounded too: only
the last :data:`STDERR_TAIL` characters of ffmpeg's stderr reach the error (a failing ffmpeg can
print megabytes; the last lines name the cause).
"""

from __future__ import annotations

import subprocess
from functools import lru_cache

from adloom.errors import FFmpegFailed

DEFAULT_TIMEOUT = 600.0  # seconds; a 60 s 1080x1920 mux or a long audio decode stays well within
AUDIO_TIMEOUT = 120.0  # seconds; encoding or decoding one track of a few minutes at most
STDERR_TAIL = 2000  # characters of stderr kept in an error


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary that imageio-ffmpeg ships (or the one it finds on the system)."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def stderr_tail(data: bytes | None, limit: int = STDERR_TAIL) -> str:
    """The end of ffmpeg's stderr, decoded; where the cause of a failure is printed."""
    return (data or b"").decode("utf-8", "replace")[-limit:]


def run_ffmpeg(command: list[str], *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Run one ffmpeg ``command`` (executable first) to completion; its stdout.

    A non-zero exit, a timeout or a binary that cannot start becomes :class:`FFmpegFailed`."""
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FFmpegFailed(command, f"timed out after {timeout:.0f} s") from exc
    except OSError as exc:
        raise FFmpegFailed(command, f"could not start ffmpeg: {exc}") from exc
    if done.returncode != 0:
        raise FFmpegFailed(command, stderr_tail(done.stderr))
    return done.stdout
