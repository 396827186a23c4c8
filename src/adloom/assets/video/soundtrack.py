"""The soundtrack: a music bed ducked under the voiceover, mixed and mastered in numpy.

The bed comes from the music engine (``adloom.render.music.bed.render_bed``, shared with the
jingle kind) when its synthesiser is installed; until then a soft generated pad following the brand's music plan
(``adloom.writer.music.plan_for_tone``) is used, and the asset's provenance says which.
Everything is mixed at 48 kHz stereo, normalised to -14 LUFS with true peak limited below
-1 dBTP, and muxed once into the final file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import ndimage, signal

from adloom.render.audio import db_to_gain, limit_true_peak, measure_loudness, true_peak_db

RATE = 48000
DUCK_DB = 12.0
BED_LUFS = -20.0  # the bed alone, before ducking; the voice sits at about -16 LUFS
VOICE_LUFS = -16.0
TARGET_LUFS = -14.0
PEAK_CEILING = -1.5  # the AAC encoder may add a few tenths of a dB of overs
LOUDNESS_TOLERANCE = 0.4  # LU; the promise is -14 +/- 1 on the final file


@dataclass(frozen=True)
class Bed:
    samples: np.ndarray  # (n, 2) float32 at RATE
    meta: dict[str, Any]


def music_bed(tone: str, seconds: float, *, seed: int = 0) -> Bed:
    """An instrumental bed of exactly ``seconds`` for the brand's tone."""
    from adloom.writer.music import plan_for_tone

    plan = plan_for_tone(tone, seed=seed)
    try:
        from adloom.render.music.bed import render_bed
    except ImportError:  # the music engine's synthesiser is optional for video
        pass
    else:
        return _from_jingle(render_bed(plan, seconds, seed=seed), seconds, plan)
    samples = _pad_bed(plan.tempo, plan.key, plan.mode, plan.progression, seconds, seed)
    meta = {
        "source": "adloom generated pad (placeholder until the jingle bed is available)",
        "plan": plan.model_dump(mode="json"),
        "license": "generated, no third-party audio",
    }
    return Bed(samples, meta)


def _from_jingle(result: Any, seconds: float, plan: Any) -> Bed:
    samples, rate, meta = _unpack(result)
    frames = np.asarray(samples, dtype=np.float32)
    if frames.ndim == 1:
        frames = np.stack([frames, frames], axis=1)
    if rate != RATE:
        g = np.gcd(rate, RATE)
        frames = signal.resample_poly(frames, RATE // g, rate // g, axis=0).astype(np.float32)
    frames = _fit_length(frames, round(seconds * RATE))
    return Bed(
        frames, {"source": "adloom jingle engine bed", "plan": plan.model_dump(mode="json"), **meta}
    )


def _unpack(result: Any) -> tuple[Any, int, dict[str, Any]]:
    if isinstance(result, tuple):
        return result[0], int(result[1]), {}
    samples = getattr(result, "samples", None)
    rate = getattr(result, "sample_rate", None) or getattr(result, "sr", None) or RATE
    meta = dict(getattr(result, "meta", {}) or {})
    return samples, int(rate), meta


def _fit_length(frames: np.ndarray, count: int) -> np.ndarray:
    if len(frames) >= count:
        out = frames[:count].copy()
    else:
        reps = int(np.ceil(count / max(1, len(frames))))
        out = np.tile(frames, (reps, 1))[:count].copy()
    fade = min(len(out), int(0.8 * RATE))
    out[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    return out


_NOTE = {
    "C": 0,
    "C#": 1,
    "D": 2,
    "Eb": 3,
    "E": 4,
    "F": 5,
    "F#": 6,
    "G": 7,
    "Ab": 8,
    "A": 9,
    "Bb": 10,
    "B": 11,
}
_MAJOR = [0, 2, 4, 5, 7, 9, 11]
_MINOR = [0, 2, 3, 5, 7, 8, 10]
_DEGREE = {"i": 0, "ii": 1, "iii": 2, "iv": 3, "v": 4, "vi": 5, "vii": 6}


def _chord(numeral: str, key: str, mode: str) -> list[float]:
    scale = _MINOR if mode == "minor" else _MAJOR
    core = numeral.strip().lower().rstrip("°o+7").lstrip("b#") or "i"
    degree = _DEGREE.get(core, 0)
    root = 48 + _NOTE.get(key, 0)
    notes = [root + scale[(degree + s) % 7] + 12 * ((degree + s) // 7) for s in (0, 2, 4)]
    return [440.0 * 2 ** ((n - 69) / 12) for n in notes]


def _pad_bed(
    tempo: int, key: str, mode: str, progression: Sequence[str], seconds: float, seed: int
) -> np.ndarray:
    """Warm chords (detuned saws, low-passed), a soft pulse and a sub-bass, one chord a bar."""
    n = round(seconds * RATE)
    t = np.arange(n) / RATE
    bar = 4 * 60.0 / tempo
    out = np.zeros(n, dtype=np.float64)
    rng = np.random.default_rng(seed)
    for i in range(int(np.ceil(seconds / bar))):
        a, b = int(i * bar * RATE), min(n, int((i + 1) * bar * RATE))
        if a >= n:
            break
        tt = t[a:b] - t[a]
        freqs = _chord(progression[i % len(progression)], key, mode)
        env = np.minimum(1, tt / 0.4) * np.minimum(1, (bar - tt) / 0.3)
        for f in freqs:
            for detune in (0.997, 1.003):
                out[a:b] += 0.12 * env * signal.sawtooth(2 * np.pi * f * detune * tt + rng.random())
        out[a:b] += 0.35 * env * np.sin(2 * np.pi * freqs[0] / 2 * tt)
        beat = 60.0 / tempo
        pulse = np.exp(-((tt % beat) / 0.09)) * 0.25
        out[a:b] += pulse * np.sin(2 * np.pi * freqs[2] * 2 * tt)
    sos = signal.butter(4, 1800, "low", fs=RATE, output="sos")
    out = signal.sosfilt(sos, out)
    stereo = np.stack([out, np.roll(out, 240)], axis=1)
    fade = int(1.0 * RATE)
    stereo[-fade:] *= np.linspace(1, 0, fade)[:, None]
    stereo[: fade // 4] *= np.linspace(0, 1, fade // 4)[:, None]
    return stereo.astype(np.float32)


def duck_gain(
    utterances: Sequence[tuple[float, float]],
    count: int,
    *,
    depth_db: float = DUCK_DB,
    attack: float = 0.08,
    release: float = 0.3,
    start: int = 0,
    end: int | None = None,
) -> np.ndarray:
    """Per-sample gain for the music over samples ``[start, end)`` of ``count``:
    ``-depth_db`` under speech, smooth ramps around it. A part equals the same span of the
    whole-length curve (the smoothing window gets its context from either side)."""
    end = count if end is None else end
    width = max(1, int(0.12 * RATE))
    lo, hi = max(0, start - width), min(count, end + width)
    speaking = np.zeros(hi - lo, dtype=bool)
    for s, e in utterances:
        a = max(lo, int((s - attack) * RATE))
        b = min(hi, int((e + release * 0.5) * RATE))
        if b > a:
            speaking[a - lo: b - lo] = True
    gain = np.ones(hi - lo, dtype=np.float32)
    gain[speaking] = db_to_gain(-depth_db)
    smooth = ndimage.uniform_filter1d(gain, size=width, mode="nearest")
    return np.asarray(smooth[start - lo: end - lo], dtype=np.float32)


@dataclass(frozen=True)
class Mix:
    """Voice over the ducked bed, before mastering. Nothing here is full-length except the
    mono voice and the stereo music: the sum and the mastered mix exist one block at a time."""

    voice: np.ndarray  # (n,) float32, as recorded
    music: np.ndarray  # (n, 2) float32, the bed levelled and ducked (not yet mastered)
    voice_gain: float

    def raw_blocks(self, margin: int = 0) -> Iterator[tuple[np.ndarray, int, int]]:
        """``(voice + music, start, end)`` per 5 s block, with ``margin`` samples of context
        on each side (the block proper is ``[start - lo, end - lo)`` of the array)."""
        count = len(self.music)
        gain = np.float32(self.voice_gain)
        for start, end in _blocks(count):
            lo, hi = max(0, start - margin), min(count, end + margin)
            raw = self.music[lo:hi].copy()
            raw += (self.voice[lo:hi] * gain)[:, None]
            yield raw, start - lo, end - lo

    def mastered_blocks(self, gain: float, ceiling_db: float) -> Iterator[np.ndarray]:
        """The mix times ``gain`` through the true-peak limiter, 5 s at a time."""
        for raw, a, b in self.raw_blocks(MARGIN):
            limited = limit_true_peak(raw * gain, RATE, ceiling_db=ceiling_db)
            yield np.asarray(limited, dtype=np.float32)[a:b]


def mix(voice: np.ndarray, bed: np.ndarray, utterances: Sequence[tuple[float, float]]) -> Mix:
    """Level the voice and the bed and duck the bed under speech. ``bed`` is scaled in place
    (the caller hands it over): a 60 s mix holds no more than the voice and the music."""
    count = len(voice)
    bed = _fit_length(bed, count) if len(bed) != count else bed
    voice_gain = _gain_to(voice, VOICE_LUFS)
    bed_gain = _gain_to(bed, BED_LUFS)
    music = bed if bed.dtype == np.float32 else bed.astype(np.float32)
    music *= np.float32(bed_gain)
    for start, end in _blocks(count):  # 5 s at a time: no full-length gain curve
        music[start:end] *= duck_gain(utterances, count, start=start, end=end)[:, None]
    return Mix(voice, music, voice_gain)


def first_master_gain(mix: Mix, ceiling_db: float) -> float | None:
    """The mastering gain (dB) that should put the mix, through the true-peak limiter at
    ``ceiling_db``, on the target loudness; None for a silent mix.

    What the limiter takes off is estimated from the mix's loudness per 100 ms and its peak
    and energy per millisecond: the limiter's gain curve (4 ms hold and smoothing) is
    rebuilt at that resolution for a trial gain, and the gain is re-aimed until the estimate
    lands. Sample peaks sit a little under true peaks, so the estimate errs slightly loud;
    the caller measures the real result and re-aims once more if it is off by more than the
    tolerance (one pass through the limiter instead of two for most mixes)."""
    meter = LoudnessMeter()
    peaks, powers = [], []
    for raw, a, b in mix.raw_blocks():
        block = raw[a:b]
        meter.add(block)
        whole = len(block) // _MS * _MS
        ms = block[:whole].reshape(-1, _MS * block.shape[1])
        peaks.append(np.abs(ms).max(axis=1))
        powers.append(np.square(ms, dtype=np.float64).sum(axis=1))
    loudness = meter.loudness()
    if not np.isfinite(loudness):
        return None
    hops = meter.hop_energy()
    # whole 100 ms steps of whole milliseconds: the blocks are 5 s long but for the last,
    # so the meter's steps and the milliseconds line up
    size = len(hops) * (LoudnessMeter.HOP // _MS)
    peak, power = np.concatenate(peaks)[:size], np.concatenate(powers)[:size]
    ceiling = db_to_gain(ceiling_db - 0.1)  # sample peaks under-read true peaks a little
    gain_db = TARGET_LUFS - loudness
    for _ in range(4):
        kept = _limited_share(peak, power, db_to_gain(gain_db), ceiling, len(hops))
        estimate = gated_loudness(hops * kept * db_to_gain(gain_db) ** 2)
        if not np.isfinite(estimate):
            break
        gain_db += TARGET_LUFS - estimate
    return gain_db


_MS = RATE // 1000


def _limited_share(peak: np.ndarray, power: np.ndarray, gain: float, ceiling: float,
                   hops: int) -> np.ndarray:
    """Per 100 ms, the share of energy left after the limiter at ``gain`` (1.0: untouched),
    from per-millisecond peaks and energies (``hops`` steps of 100 ms)."""
    need = np.minimum(1.0, ceiling / np.maximum(peak * gain, 1e-12))
    span = 5  # ms: the limiter's 4 ms look-ahead/hold and its smoothing window
    curve = ndimage.uniform_filter1d(ndimage.minimum_filter1d(need, span, mode="nearest"),
                                     span, mode="nearest")
    kept = (power * np.square(curve)).reshape(hops, -1).sum(axis=1)
    whole = power.reshape(hops, -1).sum(axis=1)
    share: np.ndarray = np.divide(kept, whole, out=np.ones(hops), where=whole > 0)
    return share


BLOCK = 5 * RATE  # the limiter and the meters work on 5 s blocks (the 4x oversampled
# limiter needs ~40 MB per 10 s of stereo): memory stays flat and small
MARGIN = 4096  # samples of context on each side of a block (the limiter looks 4 ms ahead)


def _blocks(count: int) -> list[tuple[int, int]]:
    return [(start, min(count, start + BLOCK)) for start in range(0, count, BLOCK)]


class PeakMeter:
    """True peak (dBTP) of a signal fed block by block; each block is measured with the
    tail of the previous one in front, so peaks between blocks are not missed."""

    def __init__(self) -> None:
        self.peak = float("-inf")
        self._tail: np.ndarray | None = None

    def add(self, block: np.ndarray) -> None:
        part = block if self._tail is None else np.concatenate([self._tail, block])
        if len(part):
            self.peak = max(self.peak, true_peak_db(part, RATE))
        self._tail = block[-128:].copy()


def peak_in_blocks(samples: np.ndarray) -> float:
    """True peak (dBTP) measured block by block (peaks are local; memory stays flat)."""
    count = len(samples)
    peaks = [true_peak_db(samples[max(0, a - 64): min(count, b + 64)], RATE)
             for a, b in _blocks(count)]
    return max(peaks) if peaks else float("-inf")


# ITU-R BS.1770 K-weighting at 48 kHz: a high shelf, then the RLB high-pass
_K_WEIGHTING = (
    (np.array([1.53512485958697, -2.69169618940638, 1.19839281085285]),
     np.array([1.0, -1.69065929318241, 0.73248077421585])),
    (np.array([1.0, -2.0, 1.0]), np.array([1.0, -1.99004745483398, 0.99007225036621])),
)


class LoudnessMeter:
    """Integrated loudness (LUFS, BS.1770-4 gating) of a 48 kHz signal fed in blocks whose
    lengths are multiples of 100 ms (except the last), K-weighting state carried over."""

    HOP = int(0.1 * RATE)  # 400 ms gating blocks overlap by 75 %: four 100 ms steps

    def __init__(self) -> None:
        self._states: list[list[np.ndarray]] = []
        self._energy: list[np.ndarray] = []

    def add(self, block: np.ndarray) -> None:
        frames = block.reshape(len(block), -1)
        steps = len(frames) // self.HOP
        if not self._states:
            self._states = [[signal.lfilter_zi(b, a) * 0.0 for b, a in _K_WEIGHTING]
                            for _ in range(frames.shape[1])]
        if steps == 0:
            return
        energy = np.zeros(steps)
        for channel, states in enumerate(self._states):
            x = frames[: steps * self.HOP, channel].astype(np.float64)
            for i, (b, a) in enumerate(_K_WEIGHTING):
                x, states[i] = signal.lfilter(b, a, x, zi=states[i])
            energy += np.square(x).reshape(-1, self.HOP).sum(axis=1)
        self._energy.append(energy)

    def hop_energy(self) -> np.ndarray:
        """K-weighted energy per 100 ms step (summed over channels) of what was added."""
        return np.concatenate(self._energy) if self._energy else np.zeros(0)

    def loudness(self) -> float:
        return gated_loudness(self.hop_energy())


def gated_loudness(energy: np.ndarray) -> float:
    """Integrated loudness (LUFS, BS.1770-4 gating) from K-weighted energy per 100 ms step."""
    blocks = np.convolve(energy, np.ones(4), mode="valid") / (4 * LoudnessMeter.HOP)
    if not len(blocks):
        return float("-inf")
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(blocks)
    kept = blocks[levels > -70.0]
    if not len(kept):
        return float("-inf")
    relative = -0.691 + 10 * np.log10(kept.mean()) - 10.0
    kept = blocks[(levels > -70.0) & (levels > relative)]
    return float(-0.691 + 10 * np.log10(kept.mean()))


def loudness_in_blocks(samples: np.ndarray) -> float:
    """Integrated loudness (LUFS, BS.1770-4 gating) of a 48 kHz signal, filtered 5 s at a
    time with the filter state carried over, so memory does not grow with the length."""
    if len(samples) // LoudnessMeter.HOP < 4:
        return measure_loudness(samples, RATE)
    meter = LoudnessMeter()
    for start, end in _blocks(len(samples)):
        meter.add(samples[start:end])
    return meter.loudness()


def _gain_to(samples: np.ndarray, target: float) -> float:
    loudness = loudness_in_blocks(samples)
    if not np.isfinite(loudness):
        return 1.0
    return db_to_gain(target - loudness)


def level_db(samples: np.ndarray, spans: Sequence[tuple[float, float]]) -> float:
    """RMS level (dBFS) of ``samples`` over the given time spans (no full-length copies)."""
    total, count = 0.0, 0
    for a, b in spans:
        part = samples[int(a * RATE): int(b * RATE)]
        if part.size:
            flat = part.reshape(-1)
            total += float(np.dot(flat.astype(np.float64), flat.astype(np.float64)))
            count += part.size
    return float(10 * np.log10(total / count + 1e-20)) if count else -200.0


def complement(
    spans: Sequence[tuple[float, float]], length: float, margin: float = 0.4
) -> list[tuple[float, float]]:
    """The parts of ``[0, length]`` at least ``margin`` s away from every span."""
    out: list[tuple[float, float]] = []
    cursor = 0.0
    for a, b in sorted(spans):
        if a - margin > cursor:
            out.append((cursor, a - margin))
        cursor = max(cursor, b + margin)
    if cursor < length - 1.0:  # skip the final fade-out
        out.append((cursor, length - 1.0))
    return out
