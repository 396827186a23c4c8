from __future__ import annotations

import pytest

from adloom.writer.music import PALETTES, palette_for_tone, plan_for_tone
from adloom.writer.schemas import MusicPlan

CORE = ["playful", "premium", "bold", "calm", "warm"]


def test_plan_is_valid_and_deterministic() -> None:
    first = plan_for_tone("warm, unhurried, quietly confident", seed=3)
    again = plan_for_tone("warm, unhurried, quietly confident", seed=3)
    assert isinstance(first, MusicPlan)
    assert first == again
    MusicPlan.model_validate(first.model_dump(mode="json"))


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_core_tones_differ_in_tempo_key_progression_instruments_groove(seed: int) -> None:
    plans = {tone: plan_for_tone(tone, seed=seed) for tone in CORE}
    for a in CORE:
        for b in CORE:
            if a >= b:
                continue
            pa, pb = plans[a], plans[b]
            assert pa.tempo != pb.tempo, (a, b)
            assert pa.key != pb.key, (a, b)
            assert pa.instrumentation != pb.instrumentation, (a, b)
    assert len({p.drum_pattern for p in plans.values()}) == 5
    assert plans["bold"].mode == "minor" and plans["playful"].mode == "major"
    assert plans["bold"].tempo > plans["warm"].tempo > plans["calm"].tempo
    assert plans["premium"].tempo < plans["playful"].tempo


def test_synonyms_and_unknown_words() -> None:
    assert palette_for_tone("Luxurious and refined").name == "premium"
    assert palette_for_tone("fun, cheeky").name == "playful"
    assert palette_for_tone("zzz qqq").name == "default"
    assert palette_for_tone("").name == "default"
    plan_for_tone("zzz qqq")  # still a valid plan


def test_majority_wins_then_first_word() -> None:
    # Northbound: "warm" comes first but "unhurried" and "quietly" are both calm words.
    assert palette_for_tone("warm, unhurried, quietly confident").name == "calm"
    assert palette_for_tone("bold, warm").name == "bold"
    assert palette_for_tone("warm, bold").name == "warm"


def test_instrument_names_are_general_midi() -> None:
    import pretty_midi

    for palette in PALETTES:
        for name in palette.instrumentation:
            pretty_midi.instrument_name_to_program(name)
