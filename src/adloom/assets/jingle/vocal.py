"""The tagline sung (or spoken on the beat) by the bundled Piper voice.

Singing is TD-PSOLA, by hand in numpy: the speech is analysed for pitch (autocorrelation) and
pitch marks, split into syllables (word timings from the voice, then energy dips inside each
word), and every syllable is re-synthesised onto its melody note: the onset consonant is kept
at natural speed just before the beat, the vowel is stretched to the note's length with grains
laid one *target* period apart (so the pitch becomes the note's, the formants stay the voice's),
with a small scoop into the note and a gentle vibrato on long notes, then the coda consonant.
Spoken mode places each word on its beat at its natural pitch, compressing it when it would
run into the next word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import ndimage, signal

from adloom.render.audio import biquad, compress, equalize, resample
from adloom.render.music.compose import Composition, SungNote
from adloom.render.music.lyrics import Lyric

Mono = npt.NDArray[np.float64]
HOP_SECONDS = 0.005
MIN_F0, MAX_F0 = 60.0, 400.0


# ----------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class PitchTrack:
    """Per-hop f0 in Hz (0 where unvoiced) and RMS energy of a speech signal."""

    f0: Mono
    energy: Mono
    hop: int
    sr: int
    typical_period: float  # the median period, used where a sung syllable has no voiced frame

    def frame(self, sample: float) -> int:
        return min(max(int(sample // self.hop), 0), len(self.f0) - 1)

    def period_at(self, sample: float) -> float:
        f0 = float(self.f0[self.frame(sample)])
        return self.sr / f0 if f0 > 0 else self.typical_period


def track_pitch(x: Mono, sr: int) -> PitchTrack:
    """Autocorrelation pitch tracking on 40 ms windows every 5 ms (vectorised with FFTs)."""
    hop, win = int(HOP_SECONDS * sr), int(0.04 * sr)
    padded = np.pad(x, (win // 2, win))
    count = max(1, len(x) // hop)
    index = np.arange(win)[None, :] + hop * np.arange(count)[:, None]
    frames = padded[index] * np.hanning(win)[None, :]
    spectrum = np.fft.rfft(frames, n=2 * win, axis=1)
    ac = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :win]
    lo, hi = int(sr / MAX_F0), int(sr / MIN_F0)
    lags = lo + np.argmax(ac[:, lo:hi], axis=1)
    strength = ac[np.arange(count), lags] / np.maximum(ac[:, 0], 1e-12)
    energy = np.sqrt((frames**2).mean(axis=1))
    voiced = (strength > 0.4) & (energy > 0.05 * energy.max(initial=0.0))
    voiced = ndimage.binary_opening(voiced, iterations=1)
    f0 = np.where(voiced, sr / lags, 0.0)
    f0 = np.where(voiced, ndimage.median_filter(f0, size=5), 0.0)
    voiced_f0 = f0[f0 > 0]
    typical = sr / float(np.median(voiced_f0)) if len(voiced_f0) else sr / 110.0
    return PitchTrack(f0=f0, energy=energy, hop=hop, sr=sr, typical_period=typical)


def pitch_marks(x: Mono, track: PitchTrack) -> npt.NDArray[np.int64]:
    """One mark per glottal period in voiced stretches (at the waveform's local peak), and a
    mark every 5 ms elsewhere; sorted sample positions."""
    # positive peaks of the low-passed voice: one consistent point per glottal cycle
    smooth = signal.sosfilt(biquad("lowpass", 900.0, track.sr)[0][None, :], x)
    marks: list[int] = []
    position = 0.0
    while position < len(x) - 1:
        frame = track.frame(position)
        if track.f0[frame] > 0:
            period = track.sr / track.f0[frame]
            lo, hi = int(position), int(min(len(x), position + period))
            peak = lo + int(np.argmax(smooth[lo:hi])) if hi > lo else lo
            marks.append(peak)
            position = max(position + 0.5 * period, peak + 0.5 * period)
        else:
            marks.append(int(position))
            position += HOP_SECONDS * track.sr
    return np.unique(np.asarray(marks, dtype=np.int64))


def syllable_spans(
    x: Mono, track: PitchTrack, words: Sequence[tuple[float, float]], lyric: Lyric
) -> list[tuple[int, int]]:
    """Sample spans of every lyric syllable: word timings split at energy dips."""
    sr = track.sr
    spans: list[tuple[int, int]] = []
    per_word: dict[int, int] = {}
    for syllable in lyric.syllables:
        per_word[syllable.word_index] = syllable.syllables_in_word
    if len(words) != len(lyric.words):
        words = _even_words(words, len(lyric.words))
    for index, (start, end) in enumerate(words):
        count = per_word.get(index, 1)
        a, b = int(start * sr), max(int(start * sr) + 1, int(end * sr))
        spans += _split_word(track, a, b, count)
    return spans


def _even_words(words: Sequence[tuple[float, float]], count: int) -> list[tuple[float, float]]:
    """When the voice split the text differently, share its spoken span evenly."""
    start = words[0][0] if words else 0.0
    end = words[-1][1] if words else 0.5
    edges = np.linspace(start, end, count + 1)
    return [(float(edges[i]), float(edges[i + 1])) for i in range(count)]


def _split_word(track: PitchTrack, a: int, b: int, count: int) -> list[tuple[int, int]]:
    """Split a word into ``count`` syllables at the energy dips nearest equal shares."""
    if count <= 1:
        return [(a, b)]
    share = (b - a) / count
    cuts = []
    for k in range(1, count):
        guess = a + share * k
        lo, hi = track.frame(guess - share / 3), track.frame(guess + share / 3)
        dip = lo + int(np.argmin(track.energy[lo : hi + 1])) if hi > lo else track.frame(guess)
        cuts.append(dip * track.hop)
    edges = [a, *sorted(cuts), b]
    return [(edges[i], max(edges[i] + 1, edges[i + 1])) for i in range(count)]


# ----------------------------------------------------------------------------- synthesis


@dataclass(frozen=True)
class Grain:
    """One OLA grain: a source mark, its half-width, and where (and how loud) it goes."""

    source: int
    half: int
    target: float
    gain: float = 1.0


def midi_hz(pitch: float) -> float:
    return float(440.0 * 2.0 ** ((pitch - 69) / 12.0))


def sing_syllable(
    x: Mono,
    track: PitchTrack,
    marks: npt.NDArray[np.int64],
    span: tuple[int, int],
    note: tuple[float, float, float | None],
) -> list[Grain]:
    """Grains that put the speech ``span`` on ``note`` = (start s, end s, pitch or None).

    ``pitch=None`` keeps the speech's own pitch (spoken mode, only re-timed)."""
    sr = track.sr
    a, b = span
    start, end, pitch = note
    voiced = _nucleus(track, a, b)
    if not voiced:  # nothing singable (a whisper): play it as is from the beat
        return _copy_grains(marks, a, b, start * sr, sr)
    v0, v1 = voiced[0], voiced[-1] + track.hop
    onset = min(v0 - a, int(0.09 * sr))
    coda = min(b - v1, int(0.08 * sr))
    begin = start * sr - onset
    grains = _copy_grains(marks, v0 - onset, v0, begin, sr)
    body_end = end * sr - coda - 0.02 * sr
    grains += _stretch_grains(
        track, marks, (v0, v1), (start * sr, max(start * sr + 0.04 * sr, body_end)), pitch
    )
    grains += _copy_grains(marks, v1, v1 + coda, max(start * sr + 0.04 * sr, body_end), sr)
    return grains


def _nucleus(track: PitchTrack, a: int, b: int) -> list[int]:
    """Sample positions of the syllable's vowel: its voiced frames or, when the tracker found
    none (a trailing nasal), its loudest frames."""
    positions = list(range(a, b, track.hop))
    voiced = [s for s in positions if track.f0[track.frame(s)] > 0]
    if voiced or not positions:
        return voiced
    energy = np.array([track.energy[track.frame(s)] for s in positions])
    return [s for s, e in zip(positions, energy, strict=True) if e >= 0.3 * energy.max() > 0]


def _copy_grains(marks: npt.NDArray[np.int64], a: int, b: int, at: float, sr: int) -> list[Grain]:
    """Grains that replay ``[a, b)`` unchanged from ``at`` (consonants keep their timing)."""
    inside = marks[(marks >= a) & (marks < b)]
    return [Grain(int(m), int(0.006 * sr), at + (m - a)) for m in inside]


def _stretch_grains(
    track: PitchTrack,
    marks: npt.NDArray[np.int64],
    source: tuple[int, int],
    target: tuple[float, float],
    pitch: float | None,
) -> list[Grain]:
    (s0, s1), (t0, t1) = source, target
    sr = track.sr
    grains: list[Grain] = []
    t = t0
    base_hz = midi_hz(pitch) if pitch is not None else None
    length = max(1.0, t1 - t0)
    while t < t1:
        progress = (t - t0) / length
        position = s0 + progress * (s1 - s0)
        mark = int(marks[min(len(marks) - 1, int(np.searchsorted(marks, position)))])
        source_period = track.period_at(mark)
        if base_hz is None:
            period = source_period
        else:
            seconds_in = (t - t0) / sr
            scoop = -0.3 * max(0.0, 1.0 - seconds_in / 0.06)  # semitones, into the note
            vibrato = (
                0.22
                * np.sin(2 * np.pi * 5.3 * seconds_in)
                * min(1.0, max(0.0, (seconds_in - 0.25) / 0.3))
            )
            period = sr / (base_hz * 2.0 ** ((scoop + vibrato) / 12.0))
        fade = min(1.0, (t1 - t) / (0.05 * sr))
        grains.append(Grain(mark, int(source_period), t, gain=max(0.0, fade)))
        t += period
    if pitch is not None:
        grains = _sustain(track, grains, length)
    return grains


def _sustain(track: PitchTrack, grains: list[Grain], length: float) -> list[Grain]:
    """A sung note holds its level: lift grains from the speech's decaying vowel towards the
    vowel's strong part (at most x3), then let the note relax by 3 dB towards its end."""
    if not grains:
        return grains
    energy = np.array([track.energy[track.frame(g.source)] for g in grains])
    strong = float(np.percentile(energy, 80))
    if strong <= 0:
        return grains
    start = grains[0].target
    out = []
    for grain, level in zip(grains, energy, strict=True):
        lift = min(3.0, strong / max(level, strong / 3.0)) if level < strong else 1.0
        relax = 10 ** (-3.0 / 20 * (grain.target - start) / length)
        out.append(Grain(grain.source, grain.half, grain.target, grain.gain * lift * relax))
    return out


@lru_cache(maxsize=512)
def _hann(half: int) -> Mono:
    return np.hanning(2 * half)


def overlap_add(x: Mono, grains: Sequence[Grain], length: int) -> Mono:
    """Hann-windowed grains added at their targets, normalised by the summed window."""
    out = np.zeros(length + 2048)
    weight = np.zeros(length + 2048)
    for grain in grains:
        half = max(8, grain.half)
        lo, hi = grain.source - half, grain.source + half
        if lo < 0 or hi > len(x):
            continue
        window = _hann(half)
        at = round(grain.target) - half
        if at < 0 or at + 2 * half > len(out):
            continue
        out[at : at + 2 * half] += x[lo:hi] * window * grain.gain
        weight[at : at + 2 * half] += window
    # normalise only where grains overlap strongly (pitch raised); keep natural decays elsewhere
    out /= np.maximum(weight, 1.0)
    return out[:length]


# ----------------------------------------------------------------------------- public


@dataclass(frozen=True)
class VocalTake:
    """The vocal stem (mono float, at ``sr``) and the spans (seconds) where the tagline is."""

    samples: Mono
    sr: int
    phrases: tuple[tuple[float, float], ...]
    voice: Mapping[str, Any]


def render_vocal(
    composition: Composition,
    speech: Any,
    *,
    mode: str,
    sample_rate: int = 48000,
    offset: float = 0.0,
) -> VocalTake:
    """Sing (``mode="sung"``) or speak on the beat (``"spoken"``) every phrase of
    ``composition.vocal`` with ``speech`` (a ``providers.tts.Speech`` of the tagline)."""
    x = np.asarray(speech.samples, dtype=np.float64)
    sr = int(speech.sample_rate)
    track = track_pitch(x, sr)
    marks = pitch_marks(x, track)
    words = [(w.start, w.end) for w in speech.words]
    spans = syllable_spans(x, track, words, composition.lyric)
    length = int(composition.seconds * sr)
    grains: list[Grain] = []
    phrases: dict[int, list[float]] = {}
    for note in composition.vocal:
        start, end = composition.at(note.start) - offset, composition.at(note.end) - offset
        if note.syllable >= len(spans) or end <= 0:
            continue
        span = phrases.setdefault(note.phrase, [start, end])
        span[1] = end
        grains += _note_grains(x, track, marks, spans, note, (start, end), mode)
    voice = _finish(np.clip(overlap_add(x, grains, length), -1.0, 1.0), sr, sample_rate)
    voice = _exact(voice, round(composition.seconds * sample_rate))
    return VocalTake(
        samples=voice,
        sr=sample_rate,
        phrases=tuple((max(0.0, a), b) for a, b in phrases.values()),
        voice=dict(getattr(speech, "voice", {})),
    )


def _note_grains(
    x: Mono,
    track: PitchTrack,
    marks: npt.NDArray[np.int64],
    spans: list[tuple[int, int]],
    note: SungNote,
    when: tuple[float, float],
    mode: str,
) -> list[Grain]:
    span = spans[note.syllable]
    if mode == "spoken":
        natural = (span[1] - span[0]) / track.sr
        end = min(when[1], when[0] + natural)
        return sing_syllable(x, track, marks, span, (when[0], end, None))
    return sing_syllable(x, track, marks, span, (when[0], when[1], float(note.pitch)))


def _finish(voice: Mono, sr: int, sample_rate: int) -> Mono:
    """Polish and resample only the stretch that holds the voice (plus its echo tail)."""
    active = np.flatnonzero(np.abs(voice) > 1e-6)
    out = np.zeros(int(len(voice) * sample_rate / sr) + 1)
    if len(active) == 0:
        return out
    lo = max(0, active[0] - int(0.05 * sr))
    hi = min(len(voice), active[-1] + int(1.0 * sr))
    part = _polish(voice[lo:hi], sr)
    if sr != sample_rate:
        part = np.asarray(resample(part, sr, sample_rate), dtype=np.float64)
    start = round(lo * sample_rate / sr)
    end = min(len(out), start + len(part))
    out[start:end] = part[: end - start]
    return out


def _polish(voice: Mono, sr: int) -> Mono:
    """Vocal chain: rumble cut, presence lift, levelling, a short slap and a soft room."""
    eq = [biquad("highpass", 110.0, sr), biquad("peak", 3000.0, sr, q=0.9, gain_db=3.0)]
    voice = np.asarray(equalize(voice, sr, eq), dtype=np.float64)
    voice = np.asarray(
        compress(voice, sr, threshold_db=-24.0, ratio=3.0, attack_ms=5.0, release_ms=80.0),
        dtype=np.float64,
    )
    slap = np.zeros_like(voice)
    delay = int(0.11 * sr)
    slap[delay:] = voice[:-delay] * 0.18
    return np.asarray(voice + slap + _room(voice, sr), dtype=np.float64)


def _room(voice: Mono, sr: int) -> Mono:
    rng = np.random.default_rng(7)
    n = int(0.9 * sr)
    tail = rng.standard_normal(n) * np.exp(-np.arange(n) / (0.18 * sr))
    tail[: int(0.012 * sr)] = 0.0
    tail /= np.sqrt((tail**2).sum())
    return np.asarray(signal.fftconvolve(voice, tail)[: len(voice)] * 0.22, dtype=np.float64)


def _exact(voice: Mono, frames: int) -> Mono:
    if len(voice) >= frames:
        return voice[:frames]
    return np.pad(voice, (0, frames - len(voice)))
