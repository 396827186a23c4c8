"""Shared audio helpers: loudness, true peak, limiting, EQ, resampling, WAV/MP3 files.

Samples are numpy arrays shaped ``(frames,)`` (mono) or ``(frames, channels)``, float, with
full scale at ±1.0. Every function returns a new array; nothing is modified in place.

Loudness follows ITU-R BS.1770 (pyloudnorm); true peak is measured on a 4x oversampled
signal, as BS.1770-4 Annex 2 recommends. :func:`normalize_loudness` is what every audio output
goes through: gain to the target, then a look-ahead true-peak limiter, iterated until both the
loudness target (±0.1 LU) and the ceiling hold.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from functools import lru_cache
from math import gcd
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import ndimage, signal

from adloom.errors import BadMedia
from adloom.render.ffmpeg import AUDIO_TIMEOUT, ffmpeg_exe, run_ffmpeg

Audio = npt.NDArray[np.floating]

OVERSAMPLE = 4
LOUDNESS_TOLERANCE = 0.15  # LU: normalisation stops within this of the target (spec: 0.5)
_DELAY = 5  # whole frames of the interpolator's group delay (5.875)
_MIN_LOUDNESS_SECONDS = 0.4  # one BS.1770 gating block


# ----------------------------------------------------------------------------- shape


def as_frames(samples: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``samples`` as a float64 ``(frames, channels)`` array."""
    array = np.asarray(samples, dtype=np.float64)
    if array.ndim == 1:
        return array[:, None]
    if array.ndim != 2:
        raise BadMedia(f"Audio must be 1-D or 2-D (frames, channels), got shape {array.shape}.")
    return array


def _like(result: Audio, original: npt.ArrayLike) -> Audio:
    """Give ``result`` (frames, channels) the rank and float dtype of ``original``."""
    original = np.asarray(original)
    dtype = original.dtype if np.issubdtype(original.dtype, np.floating) else np.float64
    out = result[:, 0] if original.ndim == 1 else result
    return out.astype(dtype, copy=False)


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    return float(20.0 * np.log10(max(gain, 1e-12)))


# ----------------------------------------------------------------------------- measure


def measure_loudness(samples: npt.ArrayLike, sr: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4); ``-inf`` for silence.

    pyloudnorm's K-weighting filters, with the 400 ms gating blocks computed in one
    vectorised pass (the same result as ``pyloudnorm.Meter.integrated_loudness``, about
    three times faster; the tests hold the two together). Signals shorter than one gating
    block are measured as if looped to that length.
    """
    frames = as_frames(samples)
    minimum = int(np.ceil(_MIN_LOUDNESS_SECONDS * sr)) + 1
    if 0 < len(frames) < minimum:
        frames = np.tile(frames, (int(np.ceil(minimum / len(frames))), 1))
    if len(frames) == 0 or not np.any(frames):
        return float("-inf")
    return loudness_of_weighted(k_weighted(frames, sr), sr)


def k_weighted(frames: npt.NDArray[np.float64], sr: int) -> npt.NDArray[np.float64]:
    """``frames`` through the BS.1770 K-weighting filters, as ``(channels, frames)``."""
    return np.asarray(signal.sosfilt(_k_weighting(sr), _denormal_guarded(frames), axis=-1))


def loudness_of_weighted(weighted: npt.NDArray[np.float64], sr: int) -> float:
    """Gated integrated loudness (LUFS) of a K-weighted ``(channels, frames)`` signal."""
    hop = round(0.1 * sr)
    count = weighted.shape[1] // hop
    if count < 4:
        return float("-inf")
    energy = (weighted[:, : count * hop] ** 2).reshape(-1, count, hop).sum(axis=2).T
    blocks = (energy[:-3] + energy[1:-2] + energy[2:-1] + energy[3:]) / (4 * hop)
    channel_weights = np.array([1.0, 1.0, 1.0, 1.41, 1.41][: blocks.shape[1]])
    power = blocks @ channel_weights
    level = -0.691 + 10 * np.log10(np.maximum(power, 1e-20))
    gated = power[level >= -70.0]
    if len(gated) == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    kept = power[(level >= -70.0) & (level > relative)]
    return float(-0.691 + 10 * np.log10(kept.mean())) if len(kept) else float("-inf")


DENORMAL_GUARD = 1e-18  # amplitude of the Nyquist-rate guard tone: -360 dBFS


def _denormal_guarded(frames: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``frames`` as ``(channels, frames)`` plus a tone at the Nyquist frequency of amplitude
    1e-18, for the K-weighting filters.

    After exact digital silence (a stem that rests, a vocal between phrases) an IIR filter's
    state decays through the subnormal range, where every multiply takes about a hundred times
    longer: measuring a sparse 30 s stem cost 4x a dense one. The guard tone passes the
    K-weighting at +4 dB and keeps the state in the normal range. Its power (1e-36) is 290 dB
    under the -70 LUFS absolute gate, so silent blocks stay gated and no measured loudness
    moves (the pyloudnorm agreement test holds to 1e-9 LU)."""
    guarded = frames.T.copy()  # (channels, frames): the layout sosfilt filters along
    guarded[:, 0::2] += DENORMAL_GUARD
    guarded[:, 1::2] -= DENORMAL_GUARD
    return guarded


@lru_cache(maxsize=4)
def _k_weighting(sr: int) -> npt.NDArray[np.float64]:
    """BS.1770 K-weighting (high shelf + high pass) as second-order sections, from pyloudnorm."""
    import pyloudnorm

    sections = []
    for stage in pyloudnorm.Meter(sr)._filters.values():
        b, a = np.asarray(stage.b, dtype=np.float64), np.asarray(stage.a, dtype=np.float64)
        sections.append(np.concatenate([b / a[0], a / a[0]]))
    return np.asarray(sections)


@lru_cache(maxsize=1)
def _interpolation_phases() -> npt.NDArray[np.float64]:
    """The 4x interpolator as 4 phases of 12 taps (48-tap equiripple low-pass, as BS.1770-4).

    Flat to 20 kHz at 48 kHz (error between -0.19 and +0.32 dB: it errs towards overs).
    """
    taps = signal.remez(48, [0, 20000, 28000, 96000], [1, 0], fs=4 * 48000)
    taps = taps / taps.sum() * OVERSAMPLE
    return np.stack([taps[phase::OVERSAMPLE] for phase in range(OVERSAMPLE)])


def _candidate_peaks(
    frames: npt.NDArray[np.float64], *, threshold: float
) -> npt.NDArray[np.float64]:
    """Per-frame oversampled peak (over channels), exact wherever it could reach ``threshold``.

    An interpolated value is a weighted sum of 12 neighbouring samples, so it is at most
    (sum of |taps|) x (their largest |value|). Frames whose neighbourhood cannot reach
    ``threshold`` keep their plain sample peak, which saves most of the work on mixes with
    headroom; the frames that matter are always computed in full.
    """
    phases = _interpolation_phases()
    width = phases.shape[1]
    sample_abs = _abs_max_over_channels(frames)
    bound = float(np.abs(phases).sum(axis=1).max())
    local = ndimage.maximum_filter1d(sample_abs, size=2 * width + 1, mode="constant")
    return _peaks_at(frames, np.flatnonzero(local * bound >= threshold), sample_abs)


def _peaks_at(
    frames: npt.NDArray[np.float64],
    wanted: npt.NDArray[np.intp],
    sample_abs: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Sample peaks per frame, with the oversampled peak computed exactly at ``wanted``."""
    if sample_abs is None:
        sample_abs = _abs_max_over_channels(frames)
    if len(wanted) == 0:
        return sample_abs
    phases = _interpolation_phases()
    width = phases.shape[1]
    count = len(frames)
    # Interpolator output n lies between input frames n-6 and n-5 (group delay 5.875 frames).
    padded = np.pad(frames, ((width - 1, _DELAY + 1), (0, 0)))
    # Interpolator output m needs padded[m : m + width]; frame n's peak is outputs n+5 and n+6.
    needed = np.zeros(count + _DELAY + 1, dtype=bool)
    needed[wanted + _DELAY] = True
    needed[wanted + _DELAY + 1] = True
    outputs = _interpolate_runs(padded, phases, needed)
    aligned = np.maximum(outputs[_DELAY : _DELAY + count], outputs[_DELAY + 1 : _DELAY + 1 + count])
    peaks = sample_abs.copy()
    peaks[wanted] = np.maximum(peaks[wanted], aligned[wanted])
    return peaks


def _interpolate_runs(
    padded: npt.NDArray[np.float64], phases: npt.NDArray[np.float64], needed: npt.NDArray[np.bool_]
) -> npt.NDArray[np.float64]:
    """:func:`_interpolate_all`'s outputs where ``needed`` (zero elsewhere), computed only on
    the runs of needed outputs: each run's input span (plus the filter's 11 frames) is gathered
    into one buffer and filtered in one pass. Every output is the same float32 sum as in the
    full pass, so the values are identical; peaks come in runs, so this is a fraction of it."""
    width = phases.shape[1]
    edges = np.flatnonzero(np.diff(np.concatenate(([0], needed.view(np.int8), [0]))))
    starts, ends = edges[0::2], edges[1::2]  # runs [start, end) of needed outputs
    spans = ends - starts + width - 1  # input frames each run reads
    if spans.sum() > len(padded) // 2:  # little to skip: one full pass
        full = _interpolate_all(padded, phases)
        return np.where(needed, full[: len(needed)], 0.0)
    offsets = np.concatenate(([0], np.cumsum(spans)[:-1]))  # where each run sits in the buffer
    gather = np.repeat(starts - offsets, spans) + np.arange(spans.sum())
    values = _interpolate_all(padded[gather], phases)
    lengths = ends - starts
    at = np.repeat(offsets - starts, lengths)  # buffer output index = output index + this
    where = np.flatnonzero(needed)
    out = np.zeros(len(needed))
    out[where] = values[where + at]
    return out


def _abs_max_over_channels(frames: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    best = np.abs(frames[:, 0])
    for channel in range(1, frames.shape[1]):
        np.maximum(best, np.abs(frames[:, channel]), out=best)
    return best


def _interpolate_all(
    padded: npt.NDArray[np.float64], phases: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """|4x interpolated| maximum per output frame, over channels and phases: each phase is a
    12-tap FIR run in float32 by ``scipy.ndimage.correlate1d`` (compiled, releases the GIL, no
    BLAS threads; 2.6x faster than ``upfirdn``'s zero-stuffed polyphase)."""
    width = phases.shape[1]
    count = len(padded) - width + 1
    best = np.zeros(count, dtype=np.float32)
    kernels = np.ascontiguousarray(phases[:, ::-1], dtype=np.float32)
    for channel in np.ascontiguousarray(padded.T, dtype=np.float32):
        for kernel in kernels:
            # out[n] = sum_tap padded[n + tap] * phase[width - 1 - tap]
            out = ndimage.correlate1d(channel, kernel, origin=-(width // 2), mode="constant")
            np.maximum(best, np.abs(out[:count]), out=best)
    return best.astype(np.float64)


def true_peak_db(samples: npt.ArrayLike, sr: int) -> float:
    """True peak in dBTP: the sample peak of the 4x oversampled signal; ``-inf`` for silence."""
    frames = as_frames(samples)
    if len(frames) == 0:
        return float("-inf")
    sample_peak = float(_abs_max_over_channels(frames).max(initial=0.0))
    peak = float(_candidate_peaks(frames, threshold=sample_peak).max(initial=0.0))
    return float("-inf") if peak == 0.0 else gain_to_db(peak)


def rms_db(samples: npt.ArrayLike) -> float:
    """RMS level in dBFS over all channels; ``-inf`` for silence."""
    frames = as_frames(samples)
    rms = float(np.sqrt(np.mean(frames**2))) if frames.size else 0.0
    return float("-inf") if rms == 0.0 else gain_to_db(rms)


# ----------------------------------------------------------------------------- dynamics


def limit_true_peak(
    samples: npt.ArrayLike, sr: int, *, ceiling_db: float = -1.0, window_ms: float = 4.0
) -> Audio:
    """Look-ahead true-peak limiter: no oversampled peak above ``ceiling_db``.

    See :func:`_limiter_gain` for the gain curve; the result is re-measured and limited again
    (at most three rounds) because a gain change moves inter-sample peaks a little.
    """
    frames = as_frames(samples)
    if len(frames) == 0:
        return _like(frames, samples)
    ceiling = db_to_gain(ceiling_db)
    out = frames
    for _ in range(3):
        peak = _candidate_peaks(out, threshold=ceiling)
        if peak.max(initial=0.0) <= ceiling:
            break
        out = out * _limiter_gain(peak, ceiling, sr, window_ms)[:, None]
    return _like(out, samples)


def _limiter_gain(
    peak: npt.NDArray[np.float64], ceiling: float, sr: int, window_ms: float = 4.0
) -> npt.NDArray[np.float64]:
    """Smooth gain that keeps ``peak * gain`` under ``ceiling`` everywhere.

    The gain needed at each frame is min-filtered over ``window_ms`` (the look-ahead and hold)
    and then box-smoothed over the same span; a box average of a min-filtered curve never
    exceeds the original need, so no peak slips through, and the gain has no steps (no clicks).
    """
    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    if need.min(initial=1.0) >= 1.0:
        return need
    span = max(3, int(sr * window_ms / 1000.0) | 1)
    held = ndimage.minimum_filter1d(need, size=span, mode="nearest")
    gain = ndimage.uniform_filter1d(held, size=span, mode="nearest")
    guarded: npt.NDArray[np.float64] = np.minimum(gain, need) * 0.999  # the box is cut at the ends
    return guarded


def compress(
    samples: npt.ArrayLike,
    sr: int,
    *,
    threshold_db: float = -18.0,
    ratio: float = 2.5,
    attack_ms: float = 10.0,
    release_ms: float = 120.0,
    makeup_db: float = 0.0,
) -> Audio:
    """Feed-forward RMS compressor (stereo-linked) with attack/release smoothing in dB."""
    frames = as_frames(samples)
    power = np.mean(frames**2, axis=1)
    alpha = float(np.exp(-1.0 / (sr * attack_ms / 1000.0)))
    env = signal.lfilter([1.0 - alpha], [1.0, -alpha], power)
    level_db = 10.0 * np.log10(np.maximum(env, 1e-12))
    over = np.maximum(level_db - threshold_db, 0.0)
    reduction_db = over * (1.0 - 1.0 / ratio)
    beta = float(np.exp(-1.0 / (sr * release_ms / 1000.0)))
    # Release smoothing only lets the gain recover slowly; the attack is the envelope's.
    smooth = signal.lfilter([1.0 - beta], [1.0, -beta], reduction_db)
    reduction_db = np.maximum(reduction_db, smooth)
    gain = 10.0 ** ((makeup_db - reduction_db) / 20.0)
    return _like(frames * gain[:, None], samples)


# ----------------------------------------------------------------------------- loudness


def apply_gain(samples: npt.ArrayLike, gain_db: float) -> Audio:
    return _like(as_frames(samples) * db_to_gain(gain_db), samples)


@dataclass(frozen=True)
class Normalized:
    """A normalised signal and its measured integrated loudness (LUFS) and true peak (dBTP)."""

    samples: Audio
    loudness: float
    true_peak: float
    input_loudness: float = float("nan")  # of the signal before normalisation


def _verified_peak_db(
    out: Audio, predicted: npt.NDArray[np.float64], ceiling: float, limiting: npt.NDArray[np.bool_]
) -> float:
    """True peak of ``out`` from the peak map (``predicted`` = map x applied gain), re-measured
    exactly where that could be off: where the limiter's gain was moving (``limiting``) and the
    prediction is within half a dB of the ceiling. Elsewhere the applied gain is constant over
    the interpolator's span, so the prediction is exact."""
    near = limiting & (predicted >= ceiling * db_to_gain(-0.5))
    measured = _peaks_at(np.asarray(out, dtype=np.float64), np.flatnonzero(near))
    top = max(float(measured[near].max(initial=0.0)), float(predicted[~near].max(initial=0.0)))
    return gain_to_db(top) if top > 0 else float("-inf")


def _next_gain(tried: list[tuple[float, float]], target: float) -> float:
    """Secant step on loudness(gain): limiting makes the slope less than one dB per dB."""
    gain_db, loudness = tried[-1]
    slope = 1.0
    if len(tried) >= 2 and abs(tried[-1][0] - tried[-2][0]) > 1e-6:
        slope = (tried[-1][1] - tried[-2][1]) / (tried[-1][0] - tried[-2][0])
        slope = min(1.0, max(0.2, slope))
    return gain_db + (target - loudness) / slope


def normalize_loudness(
    samples: npt.ArrayLike, sr: int, target: float = -14.0, peak_ceiling: float = -1.0
) -> Audio:
    """Gain to ``target`` LUFS and a true-peak limiter at ``peak_ceiling`` dBTP, both holding.

    See :func:`normalize_with_levels`, which also returns the measured levels.
    """
    return normalize_with_levels(samples, sr, target, peak_ceiling).samples


def normalize_with_levels(
    samples: npt.ArrayLike, sr: int, target: float = -14.0, peak_ceiling: float = -1.0
) -> Normalized:
    """Normalise loudness and true peak, and report both as measured on the result.

    The oversampled peak map is computed once (it scales with the gain); gain and limiting are
    then iterated (at most 8 rounds, the first ones on an estimate of the loudness) until the
    loudness measured on the result is within 0.15 LU of the target, and the result's true peak
    is checked once more and limited again if an inter-sample peak moved over.
    Silence is returned as is.
    """
    frames = as_frames(samples)
    # Long signals are K-weighted once: the input's loudness and the gain search's estimates.
    long = len(frames) > int(np.ceil(_MIN_LOUDNESS_SECONDS * sr)) and bool(np.any(frames))
    weighted = k_weighted(frames, sr) if long else None
    loudness = loudness_of_weighted(weighted, sr) if weighted is not None else measure_loudness(frames, sr)
    measured_in = loudness
    if not np.isfinite(loudness):
        return Normalized(_like(frames, samples), loudness, float("-inf"), loudness)
    # Margin for the interpolator's passband error (-0.19 dB worst case near 20 kHz).
    ceiling = db_to_gain(peak_ceiling - 0.2)
    gain_db = target - loudness
    allowance = 1.5  # dB the gain may still rise before the peak map must be recomputed
    base_db = gain_db
    peak = _candidate_peaks(frames, threshold=ceiling / db_to_gain(gain_db + allowance))
    # The gain is searched on an estimate, K(x * gain) ~ K(x) * gain (exact where the limiter
    # rests, close where it works), which spares a filter pass per try; the result is then
    # measured exactly and the search goes on exactly only if that is off the target.
    applied = np.ones(len(frames))
    tried: list[tuple[float, float]] = []  # (gain dB, loudness) for the secant step
    out: Audio = frames
    for attempt in range(8):
        gain = db_to_gain(gain_db)
        applied = gain * _limiter_gain(peak * gain, ceiling, sr)
        estimated = weighted is not None and attempt < 4
        if estimated and weighted is not None:
            loudness = loudness_of_weighted(weighted * applied, sr)
        else:
            out = frames * applied[:, None]
            loudness = measure_loudness(out, sr)
        if abs(loudness - target) <= LOUDNESS_TOLERANCE and estimated:
            out = frames * applied[:, None]
            loudness = measure_loudness(out, sr)
            weighted = None  # from here on every try is measured exactly
            tried = []
        if abs(loudness - target) <= LOUDNESS_TOLERANCE:
            break
        tried.append((gain_db, loudness))
        gain_db = _next_gain(tried, target)
        if gain_db > base_db + allowance:  # skipped frames could now reach the ceiling
            base_db = gain_db
            peak = _candidate_peaks(frames, threshold=ceiling / db_to_gain(gain_db + allowance))
    # frames whose interpolation window (12 taps either way) saw the limiter's gain below one
    reduced = applied < db_to_gain(gain_db) * (1.0 - 1e-9)
    limiting = ndimage.maximum_filter1d(reduced.astype(np.uint8), size=25).astype(bool)
    peak_db = _verified_peak_db(out, peak * applied, ceiling, limiting)
    if peak_db > peak_ceiling - 0.2:
        out = limit_true_peak(out, sr, ceiling_db=peak_ceiling - 0.2)
        loudness, peak_db = measure_loudness(out, sr), true_peak_db(out, sr)
    return Normalized(_like(out, samples), loudness, peak_db, measured_in)


# ----------------------------------------------------------------------------- EQ


def biquad(
    kind: str, freq: float, sr: int, *, q: float = 0.707, gain_db: float = 0.0
) -> npt.NDArray[np.float64]:
    """One RBJ-cookbook biquad as a second-order section (``sos`` row) for ``scipy.signal``.

    ``kind``: highpass, lowpass, peak, lowshelf, highshelf.
    """
    w0 = 2.0 * np.pi * freq / sr
    cos_w0, sin_w0 = np.cos(w0), np.sin(w0)
    alpha = sin_w0 / (2.0 * q)
    amp = 10.0 ** (gain_db / 40.0)
    if kind == "highpass":
        b = [(1 + cos_w0) / 2, -(1 + cos_w0), (1 + cos_w0) / 2]
        a = [1 + alpha, -2 * cos_w0, 1 - alpha]
    elif kind == "lowpass":
        b = [(1 - cos_w0) / 2, 1 - cos_w0, (1 - cos_w0) / 2]
        a = [1 + alpha, -2 * cos_w0, 1 - alpha]
    elif kind == "peak":
        b = [1 + alpha * amp, -2 * cos_w0, 1 - alpha * amp]
        a = [1 + alpha / amp, -2 * cos_w0, 1 - alpha / amp]
    elif kind in ("lowshelf", "highshelf"):
        sign = 1.0 if kind == "lowshelf" else -1.0
        sq = 2.0 * np.sqrt(amp) * alpha
        b = [
            amp * ((amp + 1) - sign * (amp - 1) * cos_w0 + sq),
            sign * 2 * amp * ((amp - 1) - sign * (amp + 1) * cos_w0),
            amp * ((amp + 1) - sign * (amp - 1) * cos_w0 - sq),
        ]
        a = [
            (amp + 1) + sign * (amp - 1) * cos_w0 + sq,
            -sign * 2 * ((amp - 1) + sign * (amp + 1) * cos_w0),
            (amp + 1) + sign * (amp - 1) * cos_w0 - sq,
        ]
    else:
        raise ValueError(f"unknown filter kind {kind!r}")
    return np.concatenate([np.asarray(b) / a[0], np.asarray(a) / a[0]])[None, :]


def equalize(samples: npt.ArrayLike, sr: int, sections: list[npt.NDArray[np.float64]]) -> Audio:
    """Run ``samples`` through a chain of :func:`biquad` sections."""
    if not sections:
        return _like(as_frames(samples), samples)
    sos = np.concatenate(sections, axis=0)
    return _like(signal.sosfilt(sos, as_frames(samples), axis=0), samples)


# ----------------------------------------------------------------------------- resample


def resample(samples: npt.ArrayLike, sr_from: int, sr_to: int) -> Audio:
    """Polyphase resampling from ``sr_from`` to ``sr_to`` Hz (exact rational ratio)."""
    if sr_from == sr_to:
        return _like(as_frames(samples), samples)
    common = gcd(sr_from, sr_to)
    out = signal.resample_poly(as_frames(samples), sr_to // common, sr_from // common, axis=0)
    return _like(out, samples)


# ----------------------------------------------------------------------------- WAV


def write_wav(path: Path | str, samples: npt.ArrayLike, sr: int, *, bits: int = 24) -> Path:
    """Write PCM WAV (16- or 24-bit). Values beyond ±1 are clipped (master first)."""
    frames = np.asarray(samples, dtype=np.float32)
    channels = 1 if frames.ndim == 1 else frames.shape[1]
    return write_pcm_wav(path, pcm_data(frames, bits=bits), sr, channels=channels, bits=bits)


def pcm_data(samples: npt.ArrayLike, *, bits: int = 24) -> npt.NDArray[np.uint8]:
    """The little-endian PCM bytes a WAV holds for float ``samples`` (clipped to ±1, rounded)."""
    if bits not in (16, 24):
        raise ValueError("bits must be 16 or 24")
    scale = np.float32(2 ** (bits - 1) - 1)
    scaled = np.multiply(np.asarray(samples, dtype=np.float32), scale)  # the one float copy
    np.clip(scaled, -scale, scale, out=scaled)  # as clipping to ±1 first: x * scale is monotonic
    np.rint(scaled, out=scaled)
    ints = scaled.astype("<i4").reshape(-1)
    # keep the low bytes of each little-endian int32: one contiguous copy
    return np.ascontiguousarray(ints.view(np.uint8).reshape(-1, 4)[:, : bits // 8])


def write_pcm_wav(
    path: Path | str, pcm: npt.NDArray[np.uint8], sr: int, *, channels: int, bits: int = 24, repeats: int = 1
) -> Path:
    """Write :func:`pcm_data` as a WAV file, ``repeats`` times over (a tiled loop is encoded
    once and written as often as it repeats)."""
    path = Path(path)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(bits // 8)
        handle.setframerate(sr)
        for _ in range(repeats):
            handle.writeframesraw(pcm.data)
    return path


def read_wav(path: Path | str) -> tuple[npt.NDArray[np.float32], int]:
    """Read a 16/24/32-bit PCM WAV as float32 ``(frames, channels)`` and its sample rate."""
    try:
        with wave.open(str(path), "rb") as handle:
            width, channels, sr = (
                handle.getsampwidth(),
                handle.getnchannels(),
                handle.getframerate(),
            )
            raw = handle.readframes(handle.getnframes())
    except (wave.Error, EOFError, FileNotFoundError) as exc:
        raise BadMedia(f"Cannot read WAV file {path}: {exc}.") from exc
    if width not in (2, 3, 4):
        raise BadMedia(f"Unsupported WAV sample width {width * 8} bits in {path}.")
    data = np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)
    padded = np.zeros((len(data), 4), dtype=np.uint8)
    padded[:, 4 - width :] = data  # left-justify into int32 keeps the sign
    ints = padded.view("<i4").reshape(-1, channels)
    return (ints / 2147483648.0).astype(np.float32), sr


# ----------------------------------------------------------------------------- MP3 / ffmpeg


@dataclass(frozen=True)
class Mp3Spec:
    """How to encode an MP3: constant bitrate and optional ID3 tags."""

    bitrate_kbps: int = 192
    gain_db: float = 0.0  # applied while encoding (see the jingle's LAME compensation)
    quality: int = 7  # LAME's algorithm quality, 0 (slowest) .. 9; 7 halves the time at 192k
    title: str = ""
    artist: str = ""
    comment: str = ""


def build_mp3_args(wav_path: Path, mp3_path: Path, spec: Mp3Spec = Mp3Spec()) -> list[str]:
    """ffmpeg arguments (without the executable) that encode ``wav_path`` to MP3."""
    args = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(wav_path)]
    args += ["-map_metadata", "-1"]
    if spec.gain_db:
        args += ["-af", f"volume={spec.gain_db:.2f}dB"]
    args += ["-codec:a", "libmp3lame", "-b:a", f"{spec.bitrate_kbps}k"]
    args += ["-compression_level", str(spec.quality)]
    for key, value in (("title", spec.title), ("artist", spec.artist), ("comment", spec.comment)):
        if value:
            args += ["-metadata", f"{key}={value}"]
    return [*args, "-id3v2_version", "3", str(mp3_path)]


def build_decode_args(path: Path, sr: int, channels: int) -> list[str]:
    """ffmpeg arguments that decode any audio file to raw float32 PCM on stdout."""
    return [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-i",
        str(path),
        "-f",
        "f32le",
        "-acodec",
        "pcm_f32le",
        "-ac",
        str(channels),
        "-ar",
        str(sr),
        "-",
    ]


def encode_mp3(wav_path: Path | str, mp3_path: Path | str, spec: Mp3Spec = Mp3Spec()) -> Path:
    """Encode a WAV file to MP3 with the ffmpeg that imageio-ffmpeg ships."""
    run_ffmpeg([ffmpeg_exe(), *build_mp3_args(Path(wav_path), Path(mp3_path), spec)], timeout=AUDIO_TIMEOUT)
    return Path(mp3_path)


def decode_audio(path: Path | str, sr: int = 48000, channels: int = 2) -> npt.NDArray[np.float32]:
    """Decode any audio file ffmpeg reads into float32 ``(frames, channels)`` at ``sr``."""
    raw = run_ffmpeg([ffmpeg_exe(), *build_decode_args(Path(path), sr, channels)], timeout=AUDIO_TIMEOUT)
    return np.frombuffer(raw, dtype="<f4").reshape(-1, channels).copy()
