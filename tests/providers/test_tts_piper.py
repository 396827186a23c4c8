"""The local Piper voice: real synthesis, engine-measured word timings, silence trimming."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from adloom.errors import ValidationError
from adloom.providers.tts import (
    VOICE_INFO,
    SentenceTiming,
    Speech,
    WordTiming,
    assign_words,
    default_voice,
    group_phoneme_spans,
    speech_regions,
    split_sentences,
    synthesize,
    trim_long_silences,
)

PHRASE = "Slow coffee for fast mornings. Try Northbound today!"


@pytest.fixture(scope="module")
def speech() -> Speech:
    return synthesize(PHRASE)


def test_speech_is_real_audio_with_energy(speech: Speech) -> None:
    assert speech.sample_rate == 22050
    assert speech.samples.dtype == np.float32 and speech.samples.ndim == 1
    assert 1.5 < speech.duration < 6.0
    rms = float(np.sqrt(np.mean(speech.samples**2)))
    assert rms > 0.02
    assert float(np.max(np.abs(speech.samples))) <= 1.0


def test_word_timings_cover_every_word_in_order_inside_the_audio(speech: Speech) -> None:
    assert [w.text for w in speech.words] == PHRASE.split()
    previous_end = 0.0
    for word in speech.words:
        assert previous_end <= word.start < word.end <= speech.duration
        previous_end = word.end


def test_word_timings_sit_on_speech_energy(speech: Speech) -> None:
    rate = speech.sample_rate
    for word in speech.words:
        chunk = speech.samples[int(word.start * rate): int(word.end * rate)]
        assert float(np.sqrt(np.mean(chunk**2))) > 0.01, word


def test_sentence_timings_match_words(speech: Speech) -> None:
    assert [s.text for s in speech.sentences] == split_sentences(PHRASE)
    assert speech.sentences[0].start == speech.words[0].start
    assert speech.sentences[0].end == speech.words[4].end
    assert speech.sentences[1].start == speech.words[5].start
    assert speech.sentences[1].end == speech.words[-1].end


def test_numbers_and_symbols_still_map_to_written_words() -> None:
    spoken = synthesize("Only $14 for 18 hours.")
    assert [w.text for w in spoken.words] == ["Only", "$14", "for", "18", "hours."]
    money, _hours = spoken.words[1], spoken.words[3]
    # "$14" is spoken as two words ("fourteen dollars") so it lasts longer than "for"
    assert money.end - money.start > spoken.words[2].end - spoken.words[2].start


def test_slower_length_scale_speaks_longer() -> None:
    fast = synthesize("Slow coffee for fast mornings.", length_scale=0.8)
    slow = synthesize("Slow coffee for fast mornings.", length_scale=1.3)
    assert slow.duration > fast.duration * 1.3


def test_empty_text_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="no text"):
        synthesize("   ")


def test_voice_info_records_the_model_card() -> None:
    assert VOICE_INFO["dataset_license"] == "CC0"
    assert "lessac" in VOICE_INFO["fine_tuned_from"]
    assert default_voice().info["voice"] == "en_US-joe-medium"


def test_group_phoneme_spans_splits_on_spaces_and_skips_pauses() -> None:
    phonemes = ["^", "h", "a", ",", " ", "b", "o", ".", "$"]
    samples = [10, 5, 5, 20, 4, 6, 6, 30, 10]
    assert group_phoneme_spans(phonemes, samples) == [(10, 20), (44, 56)]


def test_assign_words_exact_and_proportional() -> None:
    spans = [(0, 10), (12, 20), (25, 30)]
    assert assign_words(["a", "b"], [2, 1], spans) == [(0, 20), (25, 30)]
    uneven = assign_words(["a", "b"], [1, 1], spans)  # 2 words, 3 spoken spans
    assert uneven[0][0] == 0 and uneven[-1][1] == 30 and uneven[0][1] <= uneven[1][0]


def _tone_speech(gaps: list[float]) -> Speech:
    rate = 1000
    parts, words, t = [], [], 0.0
    for i, gap in enumerate(gaps + [0.0]):
        tone = (0.5 * np.sin(np.arange(300) / 3.0)).astype(np.float32)
        words.append(WordTiming(f"w{i}", t, t + 0.3))
        parts += [tone, np.zeros(int(gap * rate), np.float32)]
        t += 0.3 + gap
    samples = np.concatenate(parts)
    sentences = tuple(SentenceTiming(w.text, w.start, w.end) for w in words)
    return Speech(samples, rate, tuple(words), sentences)


def test_trim_long_silences_shortens_gaps_and_shifts_timings() -> None:
    speech = _tone_speech([1.0, 0.2])
    trimmed = trim_long_silences(speech, max_gap=0.4, keep=0.25)
    regions = speech_regions(trimmed.samples, trimmed.sample_rate)
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(regions)]
    assert gaps[0] == pytest.approx(0.25, abs=0.03)
    assert gaps[1] == pytest.approx(0.2, abs=0.03)
    assert trimmed.duration == pytest.approx(speech.duration - 0.75, abs=0.03)
    for word, region in zip(trimmed.words, regions):
        assert word.start == pytest.approx(region[0], abs=0.03)
