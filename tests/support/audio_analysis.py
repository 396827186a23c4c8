"""What a listener would measure on a rendered jingle, with numpy and scipy only.

* **Tempo** by onset autocorrelation: a spectral-flux onset envelope, its autocorrelation, and
  a comb over candidate tempos (0.05 bpm steps) that sums the autocorrelation at 1-4 beat lags.
* **Key** by chroma profile (of the pitched parts: drums only add noise to a chromagram): a
  long-term semitone spectrum with a light subtraction of each
  note's overtones (a fifth and a major third above would otherwise pull E minor to E major),
  folded to a chromagram and correlated with the 24 Krumhansl-Kessler key profiles.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import signal

Audio = npt.NDArray[np.float64]

MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
PROFILES = {"major": MAJOR, "minor": MINOR}
# A mode is heard as the major or minor key on its tonic (its third decides).
MODE_FAMILY = {"major": "major", "mixolydian": "major", "minor": "minor", "dorian": "minor"}
# Semitones above a note and the share of its level subtracted there: about 1/n for the 2nd-5th
# harmonics of bright (sawtooth-like, distorted) timbres, less above.
OVERTONES = ((12, 0.3), (19, 0.2), (24, 0.15), (28, 0.2), (31, 0.1))


def onset_envelope(mono: Audio, rate: int, hop: int = 256) -> tuple[Audio, float]:
    """Spectral flux (log magnitude rises summed over frequency), and its frame rate."""
    _, _, spec = signal.stft(mono, rate, nperseg=1024, noverlap=1024 - hop, boundary=None, padded=False)
    logmag = np.log1p(100.0 * np.abs(spec))
    flux = np.maximum(0.0, np.diff(logmag, axis=1)).sum(axis=0)
    flux -= np.convolve(flux, np.ones(33) / 33, mode="same")
    return np.maximum(flux, 0.0), rate / hop


def tempo_of(mono: Audio, rate: int) -> float:
    """The tempo (bpm, 56-190) whose beat lags the onset autocorrelation favours most."""
    envelope, frame_rate = onset_envelope(mono, rate)
    envelope = envelope - envelope.mean()
    corr = signal.fftconvolve(envelope, envelope[::-1], mode="full")[len(envelope) - 1 :]
    corr /= corr[0]
    bpms = np.arange(56.0, 190.0, 0.05)
    lags = 60.0 * frame_rate / bpms
    frames = np.arange(len(corr))
    score = sum(np.interp(k * lags, frames, corr) for k in (1, 2, 3, 4))
    return float(bpms[int(np.argmax(score))])


def chroma_of(mono: Audio, rate: int) -> Audio:
    """A 12-bin chromagram (C first) of the whole signal, overtones lightly subtracted."""
    freqs, _, spec = signal.stft(mono, rate, nperseg=16384, noverlap=16384 - 4096)
    magnitude = np.abs(spec).mean(axis=1)
    pitches = np.round(69 + 12 * np.log2(np.maximum(freqs, 1e-9) / 440.0)).astype(int)
    usable = (freqs > 25.0) & (pitches < 128)
    semitones = np.zeros(128)
    np.maximum.at(semitones, pitches[usable], magnitude[usable])
    chroma = np.zeros(12)
    for pitch in range(24, 110):
        strength = max(semitones[pitch], 0.0)
        for step, weight in OVERTONES:
            if pitch + step < 128:
                semitones[pitch + step] -= weight * strength
        if 36 <= pitch < 96:
            chroma[pitch % 12] += strength
    return chroma / chroma.sum()


def key_of(mono: Audio, rate: int) -> tuple[int, str]:
    """(tonic pitch class, "major" | "minor") of the best-correlated key profile."""
    chroma = chroma_of(mono, rate)
    candidates = [(tonic, mode) for tonic in range(12) for mode in PROFILES]
    return max(
        candidates,
        key=lambda key: float(np.corrcoef(np.roll(PROFILES[key[1]], key[0]), chroma)[0, 1]),
    )
