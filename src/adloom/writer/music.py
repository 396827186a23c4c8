"""Tone of voice -> music plan: the creative half of a brand jingle.

The writer calls :func:`plan_for_tone` to fill the ``plan`` of a :class:`JingleScript` from the
brand's tone words ("warm, unhurried, quietly confident"). Each family of tone words maps to a
*palette* (tempo range, keys, mode, progressions, GM instruments, groove, structure); the seed
picks within the palette so rerolls vary while two different tones stay clearly apart (their
tempo ranges and key sets do not overlap).

Instrumentation convention (the composer relies on it, LLM writers are told it):
``[lead, harmony, bass, colour...]`` as General MIDI instrument names.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from adloom.writer.schemas import MusicPlan


@dataclass(frozen=True)
class TonePalette:
    """The musical choices one family of tone words allows."""

    name: str
    words: tuple[str, ...]
    tempo: tuple[int, int]  # inclusive bpm range
    keys: tuple[str, ...]
    mode: str
    mood: str
    progressions: tuple[tuple[str, ...], ...]
    instrumentation: tuple[str, ...]
    drum_pattern: str
    structure: tuple[str, ...]
    vocal: str = "sung"


PALETTES: tuple[TonePalette, ...] = (
    TonePalette(
        name="playful",
        words=(
            "playful",
            "fun",
            "cheeky",
            "quirky",
            "whimsical",
            "cheerful",
            "happy",
            "silly",
            "kids",
            "youthful",
            "bubbly",
            "light-hearted",
            "lighthearted",
            "joyful",
        ),
        tempo=(124, 130),
        keys=("F", "Bb"),
        mode="major",
        mood="bouncy and cheerful",
        progressions=(("I", "vi", "IV", "V"), ("I", "IV", "V", "IV"), ("I", "V", "IV", "V")),
        instrumentation=(
            "Marimba",
            "Acoustic Grand Piano",
            "Acoustic Bass",
            "Glockenspiel",
            "Pizzicato Strings",
        ),
        drum_pattern="shuffle",
        structure=("intro", "verse", "chorus", "tag"),
    ),
    TonePalette(
        name="premium",
        words=(
            "premium",
            "luxury",
            "luxurious",
            "elegant",
            "sophisticated",
            "refined",
            "exclusive",
            "minimal",
            "minimalist",
            "classy",
            "sleek",
            "polished",
            "upscale",
        ),
        tempo=(80, 86),
        keys=("Eb", "Ab"),
        mode="major",
        mood="smooth, assured and spacious",
        progressions=(
            ("Imaj7", "vi7", "ii7", "V7"),
            ("Imaj7", "iii7", "IVmaj7", "V7"),
            ("IVmaj7", "iii7", "ii7", "Imaj7"),
        ),
        instrumentation=("Vibraphone", "Electric Piano 1", "Fretless Bass", "String Ensemble 1"),
        drum_pattern="brushes",
        structure=("intro", "verse", "chorus", "outro"),
        vocal="spoken",
    ),
    TonePalette(
        name="bold",
        words=(
            "bold",
            "energetic",
            "energy",
            "confident",
            "powerful",
            "dynamic",
            "ambitious",
            "exciting",
            "loud",
            "punchy",
            "driven",
            "fearless",
            "strong",
            "intense",
            "sporty",
            "fast",
        ),
        tempo=(138, 146),
        keys=("E", "A"),
        mode="minor",
        mood="driving and triumphant",
        progressions=(
            ("i", "VI", "III", "VII"),
            ("i", "VII", "VI", "VII"),
            ("VI", "VII", "i", "i"),
        ),
        instrumentation=(
            "Lead 2 (sawtooth)",
            "Overdriven Guitar",
            "Synth Bass 1",
            "Brass Section",
            "Synth Strings 1",
        ),
        drum_pattern="four_on_floor",
        structure=("intro", "verse", "chorus", "chorus", "tag"),
    ),
    TonePalette(
        name="calm",
        words=(
            "calm",
            "unhurried",
            "relaxed",
            "serene",
            "peaceful",
            "gentle",
            "soothing",
            "mindful",
            "quiet",
            "quietly",
            "soft",
            "slow",
            "tranquil",
            "natural",
            "zen",
        ),
        tempo=(66, 70),
        keys=("D", "G"),
        mode="major",
        mood="unhurried, open and gentle",
        progressions=(
            ("I", "iii", "IV", "I"),
            ("Iadd9", "IVadd9", "vi", "IV"),
            ("I", "V", "IV", "I"),
        ),
        instrumentation=("Flute", "Acoustic Guitar (nylon)", "Acoustic Bass", "Pad 2 (warm)"),
        drum_pattern="halftime",
        structure=("intro", "verse", "chorus", "outro"),
    ),
    TonePalette(
        name="warm",
        words=(
            "warm",
            "friendly",
            "cosy",
            "cozy",
            "homely",
            "caring",
            "welcoming",
            "honest",
            "authentic",
            "approachable",
            "nostalgic",
            "heartfelt",
            "human",
            "kind",
            "community",
            "local",
            "family",
        ),
        tempo=(92, 100),
        keys=("C", "F#"),
        mode="major",
        mood="warm, sunny and familiar",
        progressions=(("I", "IV", "vi", "V"), ("I", "V", "vi", "IV"), ("vi", "IV", "I", "V")),
        instrumentation=(
            "Acoustic Guitar (steel)",
            "Acoustic Grand Piano",
            "Acoustic Bass",
            "Cello",
            "Glockenspiel",
        ),
        drum_pattern="backbeat",
        structure=("intro", "verse", "chorus", "tag"),
    ),
    TonePalette(
        name="modern",
        words=(
            "modern",
            "tech",
            "techy",
            "innovative",
            "futuristic",
            "smart",
            "digital",
            "edgy",
            "cool",
            "urban",
            "fresh",
            "clean",
            "sharp",
            "precise",
            "practical",
        ),
        tempo=(112, 118),
        keys=("B", "C#"),
        mode="dorian",
        mood="cool, crisp and forward-moving",
        progressions=(
            ("i7", "IV7", "i7", "IV7"),
            ("i7", "ii7", "IV", "v7"),
            ("i7", "IV", "VII", "i7"),
        ),
        instrumentation=("Lead 1 (square)", "Electric Piano 2", "Synth Bass 2", "Pad 1 (new age)"),
        drum_pattern="four_on_floor",
        structure=("intro", "verse", "chorus", "tag"),
    ),
    TonePalette(
        name="adventurous",
        words=(
            "adventurous",
            "adventure",
            "outdoor",
            "outdoors",
            "rugged",
            "free",
            "wild",
            "bright",
            "optimistic",
            "uplifting",
            "inspiring",
            "hopeful",
            "epic",
        ),
        tempo=(102, 106),
        keys=("D", "A"),
        mode="mixolydian",
        mood="open-road, bright and hopeful",
        progressions=(("I", "bVII", "IV", "I"), ("I", "v", "bVII", "IV"), ("IV", "bVII", "I", "I")),
        instrumentation=(
            "Banjo",
            "Acoustic Guitar (steel)",
            "Electric Bass (finger)",
            "French Horn",
            "Fiddle",
        ),
        drum_pattern="backbeat",
        structure=("intro", "verse", "chorus", "tag"),
    ),
)

# Used when no tone word is recognised: upbeat, trustworthy, broadly likeable.
DEFAULT_PALETTE = TonePalette(
    name="default",
    words=(),
    tempo=(108, 112),
    keys=("G", "Bb"),
    mode="major",
    mood="upbeat and trustworthy",
    progressions=(("I", "V", "vi", "IV"), ("I", "vi", "IV", "V")),
    instrumentation=(
        "Electric Piano 1",
        "Acoustic Grand Piano",
        "Electric Bass (finger)",
        "String Ensemble 1",
    ),
    drum_pattern="backbeat",
    structure=("intro", "verse", "chorus", "tag"),
)

_WORD = re.compile(r"[a-z][a-z\-]*")


def tone_words(tone: str) -> list[str]:
    """Lower-cased words of a tone description, in order."""
    return _WORD.findall(tone.lower())


def palette_for_tone(tone: str) -> TonePalette:
    """The palette matching most tone words; ties go to the word that comes first."""
    words = tone_words(tone)
    best: TonePalette | None = None
    best_score: tuple[int, int] = (0, 0)
    for palette in PALETTES:
        hits = [i for i, word in enumerate(words) if word in palette.words]
        if not hits:
            continue
        score = (len(hits), -hits[0])
        if best is None or score > best_score:
            best, best_score = palette, score
    return best or DEFAULT_PALETTE


def plan_for_tone(tone: str, *, seed: int = 0) -> MusicPlan:
    """Build a jingle's music plan from the brand's tone of voice.

    Deterministic for ``(tone, seed)``. Unknown or empty tones get an upbeat, trustworthy
    default. ``vocal`` is "sung" except for premium palettes, where a spoken tagline over the
    bed reads as more restrained.
    """
    palette = palette_for_tone(tone)
    rng = random.Random(f"{palette.name}:{seed}")
    return MusicPlan(
        tempo=rng.randint(*palette.tempo),
        key=rng.choice(palette.keys),  # type: ignore[arg-type]
        mode=palette.mode,  # type: ignore[arg-type]
        mood=palette.mood,
        instrumentation=list(palette.instrumentation),
        progression=list(rng.choice(palette.progressions)),
        drum_pattern=palette.drum_pattern,  # type: ignore[arg-type]
        structure=list(palette.structure),  # type: ignore[arg-type]
        vocal=palette.vocal,  # type: ignore[arg-type]
    )
