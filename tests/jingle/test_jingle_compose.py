"""The composer, checked on its notes: form, tempo fit, the hook on the tagline, voice leading,
determinism, and that different tones really sound different."""

from __future__ import annotations

import io
import itertools

import pretty_midi
import pytest

from adloom.assets.jingle.midi import write_midi
from adloom.assets.jingle.models import JingleScenes
from adloom.render.music.compose import compose_bed, compose_jingle, compose_logo
from adloom.render.music.form import BEATS_PER_BAR, cutdown_tempo, fit_sections, sections_from
from adloom.render.music.lyrics import parse_lyric
from adloom.render.music.melody import place_rhythm
from adloom.render.music.theory import Key, lead_voices, parse_numeral, parse_progression
from adloom.writer.music import plan_for_tone
from adloom.writer.schemas import MusicPlan

NORTHBOUND = ("warm, unhurried, quietly confident", "Slow coffee for fast mornings")
LAUNCHPAD = ("bold, energetic, practical", "Plan it. Pitch it. Launch it.")


def midi_bytes(tone: str, tagline: str, seed: int, tmp_path: object) -> bytes:
    from pathlib import Path

    path = Path(str(tmp_path)) / f"{seed}.mid"
    write_midi(compose_jingle(plan_for_tone(tone, seed=seed), tagline, seed=seed), path)
    return path.read_bytes()


def test_same_seed_gives_identical_midi_and_another_seed_does_not(tmp_path: object) -> None:
    first = midi_bytes(*LAUNCHPAD, seed=4, tmp_path=tmp_path)
    again = midi_bytes(*LAUNCHPAD, seed=4, tmp_path=tmp_path)
    other = midi_bytes(*LAUNCHPAD, seed=5, tmp_path=tmp_path)
    assert first == again
    assert first != other


def test_two_tones_give_different_tempo_key_and_groove_in_the_midi(tmp_path: object) -> None:
    warm = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(*NORTHBOUND, seed=0, tmp_path=tmp_path)))
    bold = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(*LAUNCHPAD, seed=1, tmp_path=tmp_path)))
    assert warm.get_tempo_changes()[1][0] == pytest.approx(64.0, abs=0.01)
    assert bold.get_tempo_changes()[1][0] == pytest.approx(144.0, abs=0.01)
    assert _tonic_estimate(warm) != _tonic_estimate(bold)
    warm_programs = {i.program for i in warm.instruments if not i.is_drum}
    bold_programs = {i.program for i in bold.instruments if not i.is_drum}
    assert warm_programs.isdisjoint(bold_programs - {53})
    # drums on channel 10 in both; four-on-the-floor kicks every beat only in the bold one
    assert _kicks_per_bar(bold, 144.0) == pytest.approx(4.0, abs=0.6)
    assert _kicks_per_bar(warm, 64.0) < 2.5


def _tonic_estimate(midi: pretty_midi.PrettyMIDI) -> int:
    """Pitch class of the lowest note of the last chord (the sting is on the tonic)."""
    bass = next(i for i in midi.instruments if i.name == "bass")
    return max(bass.notes, key=lambda n: n.start).pitch % 12


def _kicks_per_bar(midi: pretty_midi.PrettyMIDI, tempo: float) -> float:
    """Kick drums per bar in the chorus (the cut-down's first two bars, from 15 s)."""
    drums = next(i for i in midi.instruments if i.is_drum)
    bar = 240.0 / tempo
    kicks = [
        n for n in drums.notes if n.pitch == 36 and 15.0 - 1e-3 <= n.start < 15.0 + 2 * bar - 1e-3
    ]
    return len(kicks) / 2


@pytest.mark.parametrize("tone", ["warm", "bold", "premium", "calm", "playful", "modern", "zzz"])
def test_the_cut_down_starts_on_a_bar_line_at_exactly_15_s_with_the_chorus(tone: str) -> None:
    plan = plan_for_tone(tone)
    composition = compose_jingle(plan, "Made for mornings like this")
    bar_seconds = 240.0 / composition.tempo
    assert (15.0 / bar_seconds) == pytest.approx(round(15.0 / bar_seconds))
    starts, bar = {}, 0
    for section in composition.sections:
        starts.setdefault(section.name, composition.at(bar * BEATS_PER_BAR))
        bar += section.bars
    assert starts["chorus"] == pytest.approx(15.0)
    assert bar == composition.bars == 2 * round(15.0 / bar_seconds) - 1
    assert composition.seconds == 30.0
    # the sting (everything on the tonic) sits on the last bar line and rings to the end
    last = max(n.start for p in composition.parts for n in p.notes)
    assert composition.at(last) == pytest.approx(30.0 - bar_seconds)


def test_stressed_syllables_land_on_strong_beats_and_the_hook_ends_on_the_tonic() -> None:
    lyric = parse_lyric("Plan it. Pitch it. Launch it.")
    assert [s.stressed for s in lyric.syllables] == [True, False, True, False, True, False]
    rhythm = place_rhythm(lyric, 2)
    stressed_slots = [
        slot for (slot, _), s in zip(rhythm, lyric.syllables, strict=True) if s.stressed
    ]
    assert stressed_slots == [0, 4, 8]  # beats 1 and 3 of bar one, beat 1 of bar two
    plan = plan_for_tone("bold")
    composition = compose_jingle(plan, lyric.text)
    key = Key.parse(plan.key, plan.mode)
    phrases: dict[int, list[int]] = {}
    for note in composition.vocal:
        phrases.setdefault(note.phrase, []).append(note.pitch)
    assert len(phrases) >= 2
    assert phrases[max(phrases)][-1] % 12 == key.tonic  # the answer ends home
    assert phrases[0][-1] % 12 in (key.scale[1], key.scale[4])  # the question stays open


def test_chords_are_voice_led() -> None:
    key = Key.parse("C", "major")
    chords = parse_progression(["I", "V", "vi", "IV", "I"], key)
    voiced = lead_voices(chords)
    for chord, voicing in zip(chords, voiced, strict=True):
        assert {p % 12 for p in voicing} <= set(chord.pitch_classes)
    moves = [
        sum(abs(a - b) for a, b in zip(x, y, strict=True)) for x, y in itertools.pairwise(voiced)
    ]
    assert max(moves) <= 6  # common tones held, the rest move by step


def test_roman_numerals_follow_the_mode() -> None:
    a_minor = Key.parse("A", "minor")
    assert parse_numeral("VI", a_minor).pitch_classes == (5, 9, 0)  # F major
    assert parse_numeral("i", a_minor).pitch_classes == (9, 0, 4)
    assert parse_numeral("bVII", Key.parse("D", "mixolydian")).root == 0  # C
    assert parse_numeral("Imaj7", Key.parse("Eb", "major")).pitch_classes == (3, 7, 10, 2)


def test_sections_fit_and_keep_the_chorus() -> None:
    plan = plan_for_tone("playful")
    template = sections_from(plan, None)
    for bars in (3, 5, 8, 13):
        fitted = fit_sections(template, bars, 2)
        assert sum(s.bars for s in fitted) == bars
        assert any(s.name == "chorus" and s.vocal for s in fitted)


def test_scenes_from_the_writer_shape_the_arrangement() -> None:
    plan = plan_for_tone("warm")
    scenes = {
        "kind": "jingle",
        "sections": [
            {"name": "intro", "bars": 2, "instruments": ["Acoustic Guitar (steel)"], "energy": 0.3},
            {"name": "chorus", "bars": 4, "instruments": [], "energy": 1.0, "vocal": True},
            {"name": "tag", "bars": 1, "instruments": [], "energy": 0.8},
        ],
    }
    composition = compose_jingle(plan, "Made with love", sections=JingleScenes.model_validate(scenes).sections)
    names = [s.name for s in composition.sections]
    assert names[0] == "intro" and "chorus" in names and names[-1] == "tag"


def test_logo_is_three_to_five_seconds_and_ends_on_the_tonic() -> None:
    for tone in ("warm", "bold", "premium", "calm", "playful"):
        plan = plan_for_tone(tone)
        logo = compose_logo(plan, "Slow coffee for fast mornings")
        assert 3.0 <= logo.seconds <= 5.0
        bass = next(p for p in logo.parts if p.role == "bass")
        assert (
            max(bass.notes, key=lambda n: n.start).pitch % 12
            == Key.parse(plan.key, plan.mode).tonic
        )


def test_bed_is_whole_bars_without_hook_or_sting() -> None:
    plan = MusicPlan.model_validate(plan_for_tone("bold").model_dump() | {"vocal": "sung"})
    bed = compose_bed(plan, 15.0)
    assert bed.loop and not bed.vocal
    assert {p.role for p in bed.parts}.isdisjoint({"lead"})
    assert bed.bars * 240.0 / bed.tempo == pytest.approx(15.0)
    assert cutdown_tempo(144.0) == (144.0, 9)


@pytest.mark.parametrize(
    "tone", ["warm, unhurried, quietly confident", "bold", "premium", "playful"]
)
def test_a_long_writer_tagline_is_still_sung_in_both_cuts_and_the_logo(tone: str) -> None:
    tagline = "Northbound Cold Brew. Slow coffee for fast mornings."
    plan = plan_for_tone(tone)
    composition = compose_jingle(plan, tagline)
    syllables = len(parse_lyric(tagline).syllables)
    sung_in_cut = [n for n in composition.vocal if composition.at(n.start) >= 15.0]
    assert len(sung_in_cut) >= syllables  # the whole tagline at least once in the 15 s version
    assert composition.at(max(n.end for n in composition.vocal)) <= 30.0
    logo = compose_logo(plan, tagline)
    assert len(logo.vocal) == syllables and 3.0 <= logo.seconds <= 5.0
