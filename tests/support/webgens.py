"""Small, quick generators with real (tiny) media, for the dashboard's browser tests.

Each stage takes a moment (reporting progress) so the "Processing" badge can be seen, and the
stitch stage writes a real file of the kind's media type: an H.264 MP4 for video, PNG images for
banners and flyers, a WAV for jingles. A ``fail-<stage>`` file in the work folder makes a stage fail.
"""

from __future__ import annotations

import math
import struct
import subprocess
import time
import wave
from pathlib import Path

from PIL import Image, ImageDraw

from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.errors import RenderError

STAGE_SECONDS = 2.5


def _hex(color: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        return tuple(int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    except (ValueError, AttributeError):
        return default


def _card(ctx: JobContext, size: tuple[int, int], text: str) -> Image.Image:
    bg = _hex(ctx.brand.colors.get("primary", ""), (31, 58, 95))
    accent = _hex(ctx.brand.colors.get("accent", ""), (224, 122, 46))
    image = Image.new("RGB", size, bg)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, int(h * 0.78), w, h], fill=accent)
    draw.ellipse([int(w * 0.55), int(h * 0.15), int(w * 1.1), int(h * 0.7)], outline=accent, width=max(2, w // 60))
    draw.text((max(6, w // 16), max(6, h // 10)), text[:40], fill=(255, 255, 255))
    draw.text((max(6, w // 16), int(h * 0.82)), ctx.product.name[:30], fill=(20, 20, 20))
    return image


def _headline(ctx: JobContext) -> str:
    script = ctx.script.model_dump(mode="json")  # any kind's model, read generically
    if script.get("variants"):
        return str(script["variants"][0].get("headline", ""))
    if script.get("beats"):
        return str(script["beats"][0].get("on_screen_text", ""))
    return str(script.get("headline") or script.get("tagline") or ctx.product.name)


def _wait(ctx: JobContext, name: str) -> None:
    steps = 6
    for i in range(steps):
        ctx.progress(name, i / steps)
        time.sleep(STAGE_SECONDS / steps)
    if (ctx.workdir / f"fail-{name}").exists():
        raise RenderError(f"The preview generator was told to fail at {name}.", hint="Remove the flag and retry.")


def _wav(path: Path, seconds: float = 1.0, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                          for n in range(int(seconds * rate)))
        out.writeframes(frames)


def _mp4(path: Path, frame: Path) -> None:
    import imageio_ffmpeg

    args = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-loop", "1", "-i", str(frame),
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-t", "2", "-r", "12",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)


class PreviewGenerator:
    """A quick stand-in generator for any kind, with real tiny media files."""

    kind = "any"

    def generate(self, ctx: JobContext) -> StageResult:
        _wait(ctx, "generate")
        return StageResult(output={"stage": "generate"})

    def render(self, ctx: JobContext) -> StageResult:
        _wait(ctx, "render")
        ctx.workdir.mkdir(parents=True, exist_ok=True)
        size = {"video": (360, 640), "banner": (300, 250), "flyer": (420, 594), "jingle": (400, 400)}[ctx.kind]
        path = ctx.workdir / f"{ctx.kind}-render.png"
        _card(ctx, size, _headline(ctx)).save(path)
        return StageResult(output={"stage": "render"}, files=(
            OutputFile(role="preview", path=path, media_type="image/png", width=size[0], height=size[1],
                       label="preview", meta={"generator": "webgens.PreviewGenerator"}),))

    def stitch(self, ctx: JobContext) -> StageResult:
        _wait(ctx, "stitch")
        work = ctx.workdir
        frame = work / f"{ctx.kind}-render.png"
        if ctx.kind == "video":
            out = work / "final.mp4"
            _mp4(out, frame)
            final = OutputFile(role="final", path=out, media_type="video/mp4", width=360, height=640, duration=2.0,
                               label="9:16", meta={"generator": "webgens.PreviewGenerator"})
        elif ctx.kind == "jingle":
            out = work / "jingle.wav"
            _wav(out)
            final = OutputFile(role="final", path=out, media_type="audio/wav", duration=1.0, label="full",
                               meta={"generator": "webgens.PreviewGenerator"})
        else:
            out = work / f"{ctx.kind}-final.png"
            _card(ctx, (300, 250) if ctx.kind == "banner" else (420, 594), _headline(ctx)).save(out)
            final = OutputFile(role="final", path=out, media_type="image/png", label="300x250" if ctx.kind == "banner"
                               else "A4", meta={"generator": "webgens.PreviewGenerator"})
        return StageResult(output={"stage": "stitch", "file": out.name}, files=(final,))


PREVIEW = {kind: "webgens:PreviewGenerator" for kind in ("video", "banner", "flyer", "jingle")}
