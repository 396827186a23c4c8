"""The jingle's MIDI file: every part plus the sung melody with its lyric, for any DAW.

Text in the file (lyrics, track names) is UTF-8, so "Crème brûlée «Olé» & Co" and "5 €" survive:
the MIDI standard leaves text meta events' encoding open, mido writes Latin-1 (which has no "€"
or "’"), and DAWs and karaoke players read UTF-8. Read it back with
``mido.MidiFile(path, charset="utf-8")``.
"""

from __future__ import annotations

from pathlib import Path

from adloom.render.music.compose import Composition
from adloom.render.music.synth import build_midi

VOCAL_PROGRAM = 53  # GM "Voice Oohs": the melody track a DAW shows for the sung tagline


def write_midi(composition: Composition, path: Path, *, title: str = "") -> Path:
    """Write the composition (parts, sung melody track, lyric events) as a type-1 MIDI file."""
    import pretty_midi

    midi = build_midi(composition, composition.parts, end_seconds=composition.seconds)
    if composition.vocal:
        melody = pretty_midi.Instrument(program=VOCAL_PROGRAM, name="vocal melody")
        for note in composition.vocal:
            start, end = composition.at(note.start), composition.at(note.end)
            melody.notes.append(pretty_midi.Note(96, note.pitch, start, end))
            text = _syllable_text(composition, note.syllable)
            midi.lyrics.append(pretty_midi.Lyric(utf8_text(text), start))
        midi.instruments.append(melody)
    if title:
        midi.instruments[0].name = midi.instruments[0].name or title
    for instrument in midi.instruments:
        instrument.name = utf8_text(instrument.name)
    midi.write(str(path))
    return path


def _syllable_text(composition: Composition, index: int) -> str:
    """The word on its first syllable, "-" on the syllables that continue it."""
    syllable = composition.lyric.syllables[index]
    if syllable.index_in_word:
        return "-"
    return composition.lyric.words[syllable.word_index]


def utf8_text(text: str) -> str:
    """``text`` as the Latin-1 string whose bytes are its UTF-8: mido encodes text meta events
    as Latin-1, so the file then holds UTF-8 bytes."""
    return text.encode("utf-8").decode("latin-1")
