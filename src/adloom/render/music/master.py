"""Mix and master: stem levels, the vocal riding above the band, bus glue, loudness.

Every deliverable leaves through :func:`master`: a gentle EQ (sub-rumble cut, a little air),
a slow 2:1 bus compressor, then :func:`adloom.render.audio.normalize_loudness` to -14 LUFS
with a true-peak ceiling that leaves room for MP3 encoding overshoot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from adloom.render.audio import (
    Normalized,
    as_frames,
    biquad,
    compress,
    db_to_gain,
    equalize,
    measure_loudness,
    normalize_with_levels,
)

Stereo = npt.NDArray[np.float64]
TARGET_LUFS = -14.0
PEAK_CEILING = -1.5  # dBTP for the WAV, so the MP3 (which overshoots a little) stays under -1


@dataclass(frozen=True)
class MixLevels:
    """Fader positions in dB for the synthesised stems and how far the voice sits above."""

    drums: float = -1.0
    bass: float = -1.5
    music: float = -2.5
    lead: float = -4.0
    vocal_above_band_db: float = 3.0  # vocal RMS over the band's RMS where it sings
    duck_db: float = 2.0  # the band dips this much under the vocal

    def stem_db(self, stem: str) -> float:
        return float(getattr(self, stem, 0.0))


def mix_band(stems: Mapping[str, npt.ArrayLike], levels: MixLevels = MixLevels()) -> Stereo:
    """Sum the synthesised stems at their fader levels."""
    band: Stereo | None = None
    for name, samples in stems.items():
        scaled = as_frames(samples) * db_to_gain(levels.stem_db(name))
        band = scaled if band is None else band + scaled
    if band is None:
        raise ValueError("no stems to mix")
    return band


def vocal_gain(
    band: Stereo,
    vocal: npt.NDArray[np.floating],
    spans: Sequence[tuple[int, int]],
    levels: MixLevels,
) -> float:
    """The linear gain that puts the vocal ``vocal_above_band_db`` over the band where it sings."""
    mask = _span_mask(len(band), spans)
    if not mask.any():
        return 1.0
    voice = np.asarray(vocal, dtype=np.float64)[mask]
    voice_rms = float(np.sqrt(np.mean(voice**2)))
    band_rms = float(np.sqrt(np.mean(band[mask] ** 2)))
    if voice_rms <= 1e-9:
        return 1.0
    return band_rms * db_to_gain(levels.vocal_above_band_db) / voice_rms


def duck_envelope(
    frames: int, spans: Sequence[tuple[int, int]], sr: int, depth_db: float
) -> npt.NDArray[np.float64]:
    """Gain curve that dips the band by ``depth_db`` inside ``spans``, with 80 ms ramps."""
    mask = _span_mask(frames, spans).astype(np.float64)
    smooth = ndimage.uniform_filter1d(mask, size=max(1, int(0.08 * sr)), mode="nearest")
    return np.asarray(1.0 - (1.0 - db_to_gain(-depth_db)) * np.clip(smooth, 0.0, 1.0))


def _span_mask(frames: int, spans: Sequence[tuple[int, int]]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(frames, dtype=bool)
    for a, b in spans:
        mask[max(0, a) : max(0, min(frames, b))] = True
    return mask


def mix_with_vocal(
    band: Stereo,
    vocal: npt.NDArray[np.floating] | None,
    spans: Sequence[tuple[int, int]],
    sr: int,
    levels: MixLevels = MixLevels(),
) -> tuple[Stereo, float]:
    """Band ducked under the vocal plus the vocal (centre). Returns (mix, vocal gain)."""
    if vocal is None or not spans:
        return band, 0.0
    gain = vocal_gain(band, vocal, spans, levels)
    ducked = band * duck_envelope(len(band), spans, sr, levels.duck_db)[:, None]
    return ducked + (np.asarray(vocal, dtype=np.float64) * gain)[:, None], gain


def master(
    samples: npt.ArrayLike, sr: int, *, target: float = TARGET_LUFS, ceiling: float = PEAK_CEILING
) -> Normalized:
    """EQ, bus compression and loudness/true-peak normalisation of a stereo mix; the result
    carries its measured loudness and true peak."""
    x = equalize(
        as_frames(samples),
        sr,
        [biquad("highpass", 32.0, sr), biquad("highshelf", 9000.0, sr, gain_db=1.5)],
    )
    x = compress(x, sr, threshold_db=-20.0, ratio=2.0, attack_ms=25.0, release_ms=250.0)
    return normalize_with_levels(x, sr, target=target, peak_ceiling=ceiling)


def master_stem(samples: npt.ArrayLike, sr: int) -> Normalized:
    """A stem is only normalised (no bus processing): it stays what the mix was made of."""
    return normalize_with_levels(
        as_frames(samples), sr, target=TARGET_LUFS, peak_ceiling=PEAK_CEILING
    )


def master_loop(loop: npt.ArrayLike, sr: int, *, pad_seconds: float = 0.6) -> Normalized:
    """Master a seamless loop so it stays seamless: process it with wrapped context on both
    sides (the compressor and limiter see what comes before and after the seam) and keep the
    middle. The padding shifts the measured loudness a little: the target is corrected by the
    difference between the loop and its padded version, and re-aimed once if still off."""
    frames = as_frames(loop)
    pad = min(len(frames), int(pad_seconds * sr))
    wrapped = np.pad(frames, ((pad, pad), (0, 0)), mode="wrap")
    target = TARGET_LUFS + measure_loudness(wrapped, sr) - measure_loudness(frames, sr)
    for _ in range(2):
        done = master(wrapped, sr, target=target)
        middle = np.asarray(done.samples, dtype=np.float64)[pad : pad + len(frames)]
        loudness = measure_loudness(middle, sr)
        if abs(loudness - TARGET_LUFS) <= 0.15:
            break
        target += TARGET_LUFS - loudness
    return Normalized(middle, loudness, done.true_peak)


def fade_out(samples: Stereo, sr: int, seconds: float) -> Stereo:
    n = min(len(samples), int(seconds * sr))
    out = samples.copy()
    out[len(out) - n :] *= np.linspace(1.0, 0.0, n)[:, None] ** 2
    return out


def fade_in(samples: Stereo, sr: int, seconds: float) -> Stereo:
    n = min(len(samples), int(seconds * sr))
    out = samples.copy()
    out[:n] *= np.linspace(0.0, 1.0, n)[:, None]
    return out
