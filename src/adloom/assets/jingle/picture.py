"""The dashboard picture of a jingle: waveform on top, log-frequency spectrogram below,
section names and sung-tagline spans marked on a time axis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont
from scipy import signal

from adloom.render.audio import as_frames, resample

# A perceptually ordered dark-to-bright ramp (navy, purple, magenta, orange, cream).
_RAMP = np.array(
    [[12, 10, 35], [62, 20, 110], [150, 35, 120], [225, 90, 70], [250, 180, 60], [252, 245, 200]],
    dtype=np.float64,
)


@dataclass(frozen=True)
class Marker:
    """A labelled span on the time axis (a section, or where the tagline is sung)."""

    label: str
    start: float
    end: float
    vocal: bool = False


@dataclass(frozen=True)
class PictureSpec:
    width: int = 1200
    height: int = 420
    background: tuple[int, int, int] = (14, 12, 30)
    wave_colour: tuple[int, int, int] = (0, 209, 178)
    title: str = ""


def draw_picture(
    samples: npt.ArrayLike,
    sr: int,
    path: Path,
    *,
    markers: Sequence[Marker] = (),
    spec: PictureSpec = PictureSpec(),
) -> Path:
    """Write the waveform + spectrogram PNG for ``samples`` and return its path."""
    mono = as_frames(samples).mean(axis=1)
    image = Image.new("RGB", (spec.width, spec.height), spec.background)
    wave_h = int(spec.height * 0.34)
    top = 26
    _draw_wave(image, mono, (0, top, spec.width, top + wave_h), spec.wave_colour)
    spectrum = _spectrogram_image(mono, sr, spec.width, spec.height - top - wave_h - 22)
    image.paste(spectrum, (0, top + wave_h + 4))
    _draw_markers(image, markers, len(mono) / sr, top, spec)
    image.save(path, compress_level=6)  # optimize=True triples the time for 3 % less
    return path


def _draw_wave(
    image: Image.Image,
    mono: npt.NDArray[np.float64],
    box: tuple[int, int, int, int],
    colour: tuple[int, int, int],
) -> None:
    x0, y0, x1, y1 = box
    width = x1 - x0
    usable = len(mono) - len(mono) % width
    columns = mono[:usable].reshape(width, -1) if usable else np.zeros((width, 1))
    peak = max(float(np.abs(mono).max(initial=0.0)), 1e-6)
    mid, half = (y0 + y1) / 2, (y1 - y0) / 2 * 0.95
    draw = ImageDraw.Draw(image)
    rms = np.sqrt((columns**2).mean(axis=1))
    for x in range(width):
        lo, hi = columns[x].min() / peak, columns[x].max() / peak
        draw.line(
            [(x0 + x, mid - hi * half), (x0 + x, mid - lo * half)],
            fill=tuple(c // 2 for c in colour),
        )
        r = rms[x] / peak
        draw.line([(x0 + x, mid - r * half), (x0 + x, mid + r * half)], fill=colour)


def _spectrogram_image(
    mono: npt.NDArray[np.float64], sr: int, width: int, height: int
) -> Image.Image:
    rate = 16000
    low = resample(mono, sr, rate)
    hop = max(64, len(low) // width)
    _, _, z = signal.stft(low, fs=rate, nperseg=1024, noverlap=max(0, 1024 - hop), boundary=None)
    power = 20 * np.log10(np.abs(z) + 1e-9)
    freqs = np.linspace(0, rate / 2, power.shape[0])
    # log-frequency rows from 40 Hz to 8 kHz, high frequencies at the top
    rows = np.geomspace(40, rate / 2, height)[::-1]
    index = np.clip(np.searchsorted(freqs, rows), 0, len(freqs) - 1)
    grid = power[index]
    top = grid.max(initial=-60.0)
    norm = np.clip((grid - (top - 80)) / 80, 0, 1)
    colours = _colourise(norm)
    picture = Image.fromarray(colours, "RGB")
    return picture.resize((width, height), Image.Resampling.BILINEAR)


def _colourise(norm: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    position = norm * (len(_RAMP) - 1)
    lower = np.floor(position).astype(int).clip(0, len(_RAMP) - 2)
    frac = (position - lower)[..., None]
    mixed = _RAMP[lower] * (1 - frac) + _RAMP[lower + 1] * frac
    return np.asarray(mixed, dtype=np.uint8)


def _draw_markers(
    image: Image.Image, markers: Sequence[Marker], seconds: float, top: int, spec: PictureSpec
) -> None:
    draw = ImageDraw.Draw(image)
    font = label_font(14)
    scale = spec.width / max(seconds, 1e-6)
    if spec.title:
        draw.text((8, 5), spec.title, fill=(235, 235, 245), font=font)
    for marker in markers:
        x0, x1 = marker.start * scale, marker.end * scale
        if marker.vocal:
            draw.rectangle([x0, spec.height - 17, x1, spec.height - 14], fill=(250, 180, 60))
            continue
        draw.line([(x0, top), (x0, spec.height - 20)], fill=(255, 255, 255), width=1)
        draw.text((x0 + 4, top + 2), marker.label, fill=(235, 235, 245), font=font)
    for second in range(0, int(seconds) + 1, 5):
        x = second * scale
        draw.text(
            (x + 2, spec.height - 13),
            f"{second}s",
            fill=(150, 150, 170),
            font=label_font(11),
        )


@lru_cache(maxsize=4)
def label_font(size: int) -> ImageFont.FreeTypeFont:
    """The shipped Lato: Pillow's default font has no accented letters, so "Crème brûlée" in a
    tagline drew as boxes. (Fallback fonts for other scripts come with render.fonts.)"""
    from adloom.render.fonts import resolve_font

    return ImageFont.truetype(str(resolve_font("Lato").path), size)
