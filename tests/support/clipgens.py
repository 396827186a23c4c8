"""Real tiny video clips made by the shipped ffmpeg (importable as ``clipgens``).

The default clip is a muted test card (``testsrc2``, low contrast) with a magenta box, the
"subject", drifting right, and a 1 kHz tone as its sound track: its pixels are easy to find in
an ad's frames (a colour no brand palette in the tests uses), its sound easy to find in the
ad's audio (a pure tone stands far above its neighbouring frequencies).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from adloom.render.ffmpeg import ffmpeg_exe

TONE_HZ = 1060.0  # off the equal-tempered grid and its first six harmonics (music partials would hide a tone on it)


@dataclass(frozen=True)
class ClipRecipe:
    width: int = 1920
    height: int = 1080
    seconds: float = 4.0
    box_x0: float = 1300.0  # the box's left edge at t = 0 ...
    box_speed: float = 40.0  # ... moving right this many pixels a second
    box: int = 260  # the subject's side, in source pixels
    box_y: int = 400
    audio: bool = True
    codec: list[str] | None = None  # encoder arguments (default: H.264 in MP4)

    def box_left(self, t: float) -> float:
        return self.box_x0 + self.box_speed * t


def make_clip(path: Path, recipe: ClipRecipe | None = None) -> Path:
    r = recipe or ClipRecipe()
    inputs = ["-f", "lavfi", "-i", f"testsrc2=size={r.width}x{r.height}:rate=30:duration={r.seconds}",
              "-f", "lavfi", "-i", f"color=c=0xFF00FF:size={r.box}x{r.box}:rate=30:duration={r.seconds}"]
    if r.audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency={TONE_HZ}:sample_rate=48000:duration={r.seconds}"]
    graph = (f"[0:v]hue=s=0.3,eq=contrast=0.35:brightness=-0.1[bg];"
             f"[bg][1:v]overlay=x='{r.box_x0}+{r.box_speed}*t':y={r.box_y}[v]")
    codec = r.codec or ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-pix_fmt", "yuv420p"]
    audio = ["-map", "2:a", "-c:a", "aac"] if r.audio else []
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", *inputs, "-filter_complex", graph,
                    "-map", "[v]", *audio, *codec, "-shortest", str(path)], check=True, timeout=120)
    return path


def make_audio_only(path: Path, seconds: float = 2.0) -> Path:
    """An MP4 (M4A) holding only a tone: a 'video' with no picture."""
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-c:a", "aac", "-f", "mp4", str(path)],
                   check=True, timeout=60)
    return path
