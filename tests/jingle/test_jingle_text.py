"""Text in sound is text (issue 20): accents and symbols survive into the sung words, the MIDI
lyrics and track names, and the waveform picture's labels."""

from __future__ import annotations

from pathlib import Path

import mido
import numpy as np

from adloom.assets.jingle.midi import write_midi
from adloom.assets.jingle.picture import Marker, PictureSpec, draw_picture
from adloom.render.fonts import resolve_font, typeface
from adloom.render.music.compose import compose_jingle
from adloom.render.music.lyrics import parse_lyric
from adloom.render.text import shape
from adloom.writer.music import plan_for_tone

TAGLINE = "Crème brûlée «Olé» & Co"


def test_accented_words_and_symbols_are_sung_words() -> None:
    lyric = parse_lyric(TAGLINE)
    assert lyric.words == ("Crème", "brûlée", "«Olé»", "&", "Co")
    assert [s.syllables_in_word for s in lyric.syllables if s.index_in_word == 0] == [1, 2, 2, 1, 1]
    assert parse_lyric("Café’s 5€ deal").words == ("Café’s", "5€", "deal")


def test_midi_lyrics_and_track_names_round_trip_in_utf8(tmp_path: Path) -> None:
    jingle = compose_jingle(plan_for_tone("warm"), "Café’s 5€ deal")  # "’" and "€" are not Latin-1
    path = write_midi(jingle, tmp_path / "cafe.mid", title="Café’s 5€ deal")
    assert [m.text for m in _lyrics(path)][:3] == ["Café’s", "5€", "deal"]
    jingle = compose_jingle(plan_for_tone("warm"), TAGLINE)
    path = write_midi(jingle, tmp_path / "jingle.mid", title=TAGLINE)
    words = [m.text for m in _lyrics(path) if m.text != "-"]
    assert " ".join(words[:5]) == TAGLINE


def _lyrics(path: Path) -> list[mido.MetaMessage]:
    midi = mido.MidiFile(path, charset="utf-8")
    return [m for track in midi.tracks for m in track if m.type == "lyrics"]


def test_the_waveform_labels_have_every_glyph_of_the_tagline(tmp_path: Path) -> None:
    # the labels are shaped in Manrope with the Noto fallbacks: no glyph is missing
    assert shape(TAGLINE + " “ok” — Ça 5 €", typeface(resolve_font("Manrope", weight=600))).missing_glyphs == 0
    rate = 8000
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(2 * rate) / rate)
    path = draw_picture(
        np.stack([tone, tone], axis=1), rate, tmp_path / "w.png",
        markers=[Marker("chorus", 0.0, 1.0)], spec=PictureSpec(title=f"“{TAGLINE}”"),
    )  # fmt: skip
    assert path.stat().st_size > 1000
