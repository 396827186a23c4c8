"""SoundFont synthesis of a composition's parts with ``midirenderer`` (a Rust wheel, MIT).

The default SoundFont is the General MIDI bank ``pretty_midi`` ships (TimGM6mb, 6 MB); a larger
one (e.g. Debian's FluidR3_GM.sf2) can be named with the ``soundfont`` option. DESIGN §6 has
the measurements that chose midirenderer: fastest, and nothing to install beyond the wheel.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from adloom.assets.jingle.compose import Composition, Part
from adloom.errors import RenderError
from adloom.render.audio import resample

SYNTH_RATE = 48000  # midirenderer renders at 48 kHz
SYNTHESIZER = "midirenderer 0.1 (MIT), SoundFont 2 synthesis in Rust"
_REVERB = {"drums": 25, "bass": 10, "music": 55, "lead": 50}
_CHORUS = {"drums": 0, "bass": 0, "music": 30, "lead": 20}


@dataclass(frozen=True)
class SoundFont:
    """A SoundFont file and the provenance recorded on every output made with it."""

    path: Path
    name: str
    license: str

    def provenance(self) -> dict[str, str]:
        return {
            "soundfont": self.name,
            "soundfont_license": self.license,
            "synthesizer": SYNTHESIZER,
        }


def default_soundfont() -> SoundFont:
    import pretty_midi

    path = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    return SoundFont(
        path, "TimGM6mb (General MIDI, by Tim Brechbill, shipped with pretty_midi)", "GPL-2.0"
    )


def resolve_soundfont(option: str | Path | None) -> SoundFont:
    """The SoundFont named by the ``soundfont`` option, or the bundled default."""
    if not option:
        return default_soundfont()
    path = Path(option).expanduser()
    if not path.is_file():
        raise RenderError(
            f"The SoundFont {path} does not exist.",
            hint="Point the 'soundfont' option at an .sf2 file, or leave it empty for the bundled one.",
        )
    return SoundFont(path, path.stem, "as licensed by its authors (user-supplied SoundFont)")


@lru_cache(maxsize=2)
def _soundfont_bytes(path: Path) -> bytes:
    return path.read_bytes()


def build_midi(composition: Composition, parts: Sequence[Part], *, end_seconds: float) -> Any:
    """A ``pretty_midi.PrettyMIDI`` of ``parts``; a silent controller at ``end_seconds`` sets
    how long the synthesiser renders (it stops at the last event)."""
    import pretty_midi

    midi = pretty_midi.PrettyMIDI(initial_tempo=composition.tempo)
    to_seconds = composition.seconds_per_beat
    for part in parts:
        track = pretty_midi.Instrument(program=part.program, is_drum=part.is_drum, name=part.role)
        track.control_changes += [
            pretty_midi.ControlChange(7, round(127 * part.gain), 0.0),
            pretty_midi.ControlChange(10, round(64 + 63 * part.pan), 0.0),
            pretty_midi.ControlChange(91, _REVERB.get(part.stem, 30), 0.0),
            pretty_midi.ControlChange(93, _CHORUS.get(part.stem, 0), 0.0),
        ]
        for note in part.notes:
            start = note.start * to_seconds
            if start >= end_seconds:
                continue
            end = min(note.end * to_seconds, end_seconds)
            track.notes.append(
                pretty_midi.Note(note.velocity, note.pitch, start, max(start + 0.01, end))
            )
        track.control_changes.append(pretty_midi.ControlChange(110, 0, end_seconds))
        midi.instruments.append(track)
    return midi


def midi_bytes(midi: Any) -> bytes:
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


def render_parts(
    composition: Composition,
    parts: Sequence[Part],
    soundfont: SoundFont,
    *,
    seconds: float,
    sample_rate: int = SYNTH_RATE,
) -> npt.NDArray[np.float32]:
    """Synthesise ``parts`` into float32 stereo of exactly ``seconds`` at ``sample_rate``."""
    frames = round(seconds * sample_rate)
    if not parts:
        return np.zeros((frames, 2), dtype=np.float32)
    import midirenderer

    data = midi_bytes(build_midi(composition, parts, end_seconds=seconds))
    try:
        wav = midirenderer.render_wave_from(_soundfont_bytes(soundfont.path), data)
    except Exception as exc:  # the Rust side raises plain exceptions
        raise RenderError(
            f"SoundFont synthesis failed: {exc}", soundfont=str(soundfont.path)
        ) from exc
    audio, rate = _decode_wav(wav)
    if rate != sample_rate:
        audio = resample(audio, rate, sample_rate).astype(np.float32)
    return _exact_length(audio, frames)


def _decode_wav(data: bytes) -> tuple[npt.NDArray[np.float32], int]:
    with wave.open(io.BytesIO(data)) as handle:
        if handle.getsampwidth() != 2:
            raise RenderError("The synthesiser returned an unexpected WAV format.")
        raw = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
        channels, rate = handle.getnchannels(), handle.getframerate()
    audio = (raw.reshape(-1, channels) / 32768.0).astype(np.float32)
    if channels == 1:
        audio = np.repeat(audio, 2, axis=1)
    return audio, rate


def _exact_length(audio: npt.NDArray[np.float32], frames: int) -> npt.NDArray[np.float32]:
    if len(audio) >= frames:
        return np.ascontiguousarray(audio[:frames])
    return np.concatenate(
        [audio, np.zeros((frames - len(audio), audio.shape[1]), dtype=np.float32)]
    )
