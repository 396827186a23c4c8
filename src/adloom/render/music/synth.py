"""SoundFont synthesis of a composition's parts with ``midirenderer`` (a Rust wheel, MIT).

The default SoundFont is Debian's ``fluid-soundfont-gm`` (FluidR3_GM, MIT, 141 MB) where it is
installed (``make run``/``make test`` install it where apt exists), else the General MIDI bank
``pretty_midi`` ships (TimGM6mb, 6 MB). Both can be named with the ``soundfont`` option. DESIGN §6 has
the measurements that chose midirenderer: fastest, and nothing to install beyond the wheel.

The option is a *name*, never a path: the file is read whole and parsed by native code, so a
tenant must not be able to point it at ``/etc/passwd`` or the database. Names come from the
bundled bank and the ``.sf2`` files in the operator's ``soundfont_dir`` that carry a SoundFont 2
header; an unknown name gets the same answer whatever exists elsewhere on the disk.
"""

from __future__ import annotations

import io
import queue
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from adloom.errors import RenderError, SoundFontNotFound
from adloom.render.audio import resample
from adloom.render.music.bank import BANKS, HELPER
from adloom.render.music.compose import Composition, Part
from adloom.render.music.sf2trim import PERCUSSION_BANK
from adloom.render.music.soundfonts import BUNDLED_NAME, FLUID_NAME, SOUNDFONT_NAME, soundfont_name

SYNTH_RATE = 48000  # midirenderer renders at 48 kHz
SYNTHESIZER = "midirenderer 0.1 (MIT), SoundFont 2 synthesis in Rust"
_REVERB = {"drums": 25, "bass": 10, "music": 55, "lead": 50}
_CHORUS = {"drums": 0, "bass": 0, "music": 30, "lead": 20}
USER_LICENSE = "as licensed by its authors (operator-supplied SoundFont)"


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


# Banks the system may provide, best first: fixed paths, never taken from a tenant.
SYSTEM_BANKS: tuple[tuple[str, Path, str, str], ...] = (
    (
        FLUID_NAME,
        Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
        "FluidR3_GM (General MIDI, by Frank Wen, Debian's fluid-soundfont-gm)",
        "MIT",
    ),
)


def bundled_soundfont() -> SoundFont:
    """The small bank shipped with pretty_midi: always there, the fallback."""
    import pretty_midi

    path = Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"
    return SoundFont(
        path, "TimGM6mb (General MIDI, by Tim Brechbill, shipped with pretty_midi)", "GPL-2.0"
    )


def system_soundfonts() -> dict[str, SoundFont]:
    """The system banks that are installed (checked for a SoundFont 2 header), best first."""
    return {
        name: SoundFont(path, title, license)
        for name, path, title, license in SYSTEM_BANKS
        if is_soundfont_file(path)
    }


def default_soundfont() -> SoundFont:
    """The best bank present: FluidR3_GM where Debian's package is installed, else TimGM6mb."""
    return next(iter(system_soundfonts().values()), None) or bundled_soundfont()


def is_soundfont_file(path: Path) -> bool:
    """A regular file that starts like a SoundFont 2 bank (RIFF, form type sfbk)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return False
    return path.is_file() and head[:4] == b"RIFF" and head[8:12] == b"sfbk"


def available_soundfonts(folder: Path | None) -> dict[str, Path]:
    """Every SoundFont a jingle may name: the bundled bank and the operator folder's ``.sf2`` files."""
    found = {BUNDLED_NAME: bundled_soundfont().path}
    found.update({name: font.path for name, font in system_soundfonts().items()})
    if folder is not None and folder.is_dir():
        for path in sorted(folder.iterdir()):
            name = path.stem if path.suffix.lower() == ".sf2" else ""
            if name and name not in found and SOUNDFONT_NAME.match(name) and is_soundfont_file(path):
                found[name] = path
    return found


def resolve_soundfont(option: str | Path | None, *, folder: Path | None = None) -> SoundFont:
    """The SoundFont the ``soundfont`` option names, looked up by name among
    :func:`available_soundfonts`; the bundled default when the option is empty."""
    if not option:
        return default_soundfont()
    available = available_soundfonts(folder)
    name = soundfont_name(str(option))
    if name is None or name not in available:
        raise SoundFontNotFound(
            f"There is no SoundFont named '{str(option)[:100]}'. Available: {', '.join(sorted(available))}.",
            hint="Set the jingle option soundfont to one of the available names, or leave it empty for "
                 "the bundled one; an operator adds SoundFonts by putting .sf2 files in ADLOOM_SOUNDFONT_DIR.",
            available=sorted(available),
        )
    if name == BUNDLED_NAME:
        return bundled_soundfont()
    system = system_soundfonts()
    if name in system:
        return system[name]
    return SoundFont(available[name], name, USER_LICENSE)


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


@dataclass(frozen=True)
class SynthJob:
    """Parts of a composition to synthesise into exactly ``seconds`` of stereo."""

    composition: Composition
    parts: tuple[Part, ...]
    seconds: float


def render_parts(
    composition: Composition,
    parts: Sequence[Part],
    soundfont: SoundFont,
    *,
    seconds: float,
    sample_rate: int = SYNTH_RATE,
) -> npt.NDArray[np.float32]:
    """Synthesise ``parts`` into float32 stereo of exactly ``seconds`` at ``sample_rate``."""
    job = SynthJob(composition, tuple(parts), seconds)
    if not parts:
        return _silence(job, sample_rate)
    import midirenderer

    try:
        wav = midirenderer.render_wave_from(_bank_for(job, soundfont), _job_midi(job))
    except Exception as exc:  # the Rust side raises plain exceptions
        raise RenderError(
            f"SoundFont synthesis failed: {exc}", soundfont=str(soundfont.path)
        ) from exc
    return _to_audio(wav, job, sample_rate)


def render_many(
    jobs: Sequence[SynthJob], soundfont: SoundFont, *, sample_rate: int = SYNTH_RATE
) -> Iterator[tuple[int, npt.NDArray[np.float32]]]:
    """Synthesise several jobs on both cores and yield ``(index, audio)`` as each is ready.

    The synthesiser holds the GIL, so every other job goes to the helper process
    (:data:`adloom.render.music.bank.HELPER`, which keeps the bank loaded between jobs) while
    this process renders the rest. When another job is using the helper, this one renders
    everything here."""
    with HELPER.claim() as helper_is_ours:
        theirs = [i for i in range(1, len(jobs), 2) if jobs[i].parts] if helper_is_ours else []
        requests = [(_bank_for(jobs[i], soundfont), _job_midi(jobs[i])) for i in theirs]
        replies = HELPER.render(requests) if theirs else queue.Queue()
        waiting = set(theirs)
        try:
            for index, job in enumerate(jobs):
                if index in theirs:
                    continue
                yield index, render_parts(
                    job.composition, job.parts, soundfont, seconds=job.seconds, sample_rate=sample_rate
                )
                while waiting and not replies.empty():
                    yield _helper_result(replies, theirs, waiting, jobs, soundfont, sample_rate)
            while waiting:
                yield _helper_result(replies, theirs, waiting, jobs, soundfont, sample_rate)
        finally:
            for _ in range(len(waiting)):  # stopped early: collect what is still coming, so
                replies.get()  # the next job's replies cannot be taken for this one's


def _helper_result(
    replies: queue.Queue[tuple[int, bytes | None | RenderError]],
    theirs: Sequence[int],
    waiting: set[int],
    jobs: Sequence[SynthJob],
    soundfont: SoundFont,
    sample_rate: int,
) -> tuple[int, npt.NDArray[np.float32]]:
    position, wav = replies.get()
    index = theirs[position]
    waiting.discard(index)
    if isinstance(wav, RenderError):
        raise RenderError(str(wav), soundfont=str(soundfont.path)) from wav
    if wav is None:
        raise RenderError("SoundFont synthesis failed: the helper returned no audio.")
    return index, _to_audio(wav, jobs[index], sample_rate)


def _bank_for(job: SynthJob, soundfont: SoundFont) -> bytes:
    """The bank cut down to the presets ``job`` plays (the synthesiser parses what it is given
    on every call: 148 MB for FluidR3_GM, a few MB trimmed; the audio is the same)."""
    presets = frozenset((PERCUSSION_BANK if part.is_drum else 0, part.program) for part in job.parts)
    try:
        return BANKS.trimmed(soundfont.path, presets)
    except (OSError, RenderError) as exc:
        raise RenderError(f"SoundFont synthesis failed: {exc}", soundfont=str(soundfont.path)) from exc


def _job_midi(job: SynthJob) -> bytes:
    return midi_bytes(build_midi(job.composition, job.parts, end_seconds=job.seconds))


def _silence(job: SynthJob, sample_rate: int) -> npt.NDArray[np.float32]:
    return np.zeros((round(job.seconds * sample_rate), 2), dtype=np.float32)


def _to_audio(wav: bytes, job: SynthJob, sample_rate: int) -> npt.NDArray[np.float32]:
    audio, rate = _decode_wav(wav)
    if rate != sample_rate:
        audio = resample(audio, rate, sample_rate).astype(np.float32)
    return _exact_length(audio, round(job.seconds * sample_rate))


def _decode_wav(data: bytes) -> tuple[npt.NDArray[np.float32], int]:
    with wave.open(io.BytesIO(data)) as handle:
        if handle.getsampwidth() != 2:
            raise RenderError("The synthesiser returned an unexpected WAV format.")
        raw = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
        channels, rate = handle.getnchannels(), handle.getframerate()
    audio = raw.reshape(-1, channels).astype(np.float32)  # one pass, straight to float32
    audio *= np.float32(1.0 / 32768.0)  # exact: a power of two
    if channels == 1:
        audio = np.repeat(audio, 2, axis=1)
    return audio, rate


def _exact_length(audio: npt.NDArray[np.float32], frames: int) -> npt.NDArray[np.float32]:
    if len(audio) >= frames:
        return np.ascontiguousarray(audio[:frames])
    return np.concatenate(
        [audio, np.zeros((frames - len(audio), audio.shape[1]), dtype=np.float32)]
    )
