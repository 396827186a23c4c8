"""Brand -> music plan: the creative half of a brand jingle.

The writer calls :func:`plan_for_brand` to fill the ``plan`` of a :class:`JingleScript` from the
brand's tone words ("warm, unhurried, quietly confident"), its industry ("dental practice"), the
angle and the brand's name. Each family of tone words maps to a *palette* (tempo, keys, mode,
progressions, GM instruments, groove, structure) that keeps different tones clearly apart (their
tempos, key sets and lead instruments do not overlap); the industry adds its signature colour
instrument (a harp for a clinic, a kalimba for a pet shop, a distorted guitar for a motorbike)
and picks the palette when the tone says nothing; a hash of the brand's name and the seed pick
within the palette, so two brands of one tone differ and rerolls vary.

Tempos are multiples of 16 bpm: the 15 s cut-down must be a whole number of 4/4 bars, so the
composer can only render those (:func:`renderable_tempo`). A plan therefore always states the
tempo it is rendered at (a plan at 118 bpm used to be rendered at 112).

Instrumentation convention (the composer relies on it, LLM writers are told it):
``[lead, harmony, bass, colour...]`` as General MIDI instrument names.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from adloom.writer.schemas import MusicPlan


@dataclass(frozen=True)
class TonePalette:
    """The musical choices one family of tone words allows."""

    name: str
    words: tuple[str, ...]
    tempo: tuple[int, ...]  # renderable tempos (multiples of 16 bpm) this tone may take
    keys: tuple[str, ...]
    mode: str
    mood: str
    progressions: tuple[tuple[str, ...], ...]
    instrumentation: tuple[str, ...]
    drum_pattern: str
    structure: tuple[str, ...]
    vocal: str = "sung"
    leads: tuple[str, ...] = ()  # alternative leads the brand's hash picks from (with the first)


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
        tempo=(128,),
        keys=("F", "Bb"),
        mode="major",
        mood="bouncy and cheerful",
        progressions=(("I", "vi", "IV", "V"), ("I", "IV", "V", "IV"), ("I", "IV", "V", "I")),
        instrumentation=(
            "Marimba",
            "Acoustic Grand Piano",
            "Acoustic Bass",
            "Glockenspiel",
            "Pizzicato Strings",
        ),
        drum_pattern="shuffle",
        structure=("intro", "verse", "chorus", "tag"),
        leads=("Xylophone", "Lead 3 (calliope)", "Clarinet"),
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
        tempo=(80,),
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
        leads=("Electric Piano 1", "Muted Trumpet", "Alto Sax"),
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
        tempo=(144, 160),
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
        leads=("Lead 5 (charang)", "Synth Brass 1", "Distortion Guitar"),
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
        tempo=(64,),
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
        leads=("Pan Flute", "Oboe", "Recorder"),
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
        tempo=(96,),
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
        leads=("Acoustic Grand Piano", "Harmonica", "Electric Guitar (clean)"),
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
        tempo=(112,),
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
        leads=("Lead 8 (bass + lead)", "Vibraphone", "Electric Piano 1"),
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
        tempo=(112, 128),
        keys=("D", "A"),
        mode="mixolydian",
        mood="open-road, bright and hopeful",
        progressions=(("I", "bVII", "IV", "I"), ("I", "v", "bVII", "IV"), ("I", "IV", "bVII", "I")),
        instrumentation=(
            "Banjo",
            "Acoustic Guitar (steel)",
            "Electric Bass (finger)",
            "French Horn",
            "Fiddle",
        ),
        drum_pattern="backbeat",
        structure=("intro", "verse", "chorus", "tag"),
        leads=("Fiddle", "Trumpet", "Harmonica"),
    ),
)

# Used when no tone word is recognised: upbeat, trustworthy, broadly likeable.
DEFAULT_PALETTE = TonePalette(
    name="default",
    words=(),
    tempo=(112, 96),
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
    leads=("Bright Acoustic Piano", "Electric Guitar (clean)", "Alto Sax"),
)

_WORD = re.compile(r"[a-z][a-z\-]*")
_WORD_ANY = re.compile(r"[^\W\d_]+")


_PALETTES_BY_NAME = {palette.name: palette for palette in PALETTES}


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


@dataclass(frozen=True)
class IndustrySound:
    """What an industry adds to the plan: its signature colour instrument, and the palette it
    takes when the tone names none (a dental practice with no tone words still sounds calm)."""

    words: tuple[str, ...]
    colour: str
    palette: str


INDUSTRIES: tuple[IndustrySound, ...] = (
    IndustrySound(
        ("dental", "dentist", "clinic", "medical", "health", "healthcare", "physio", "therapy",
         "pharmacy", "wellness", "spa", "yoga", "care", "vet"),
        "Orchestral Harp",
        "calm",
    ),
    IndustrySound(
        ("pet", "pets", "dog", "dogs", "cat", "cats", "puppy", "animal", "toys", "toy", "kids",
         "children", "treats"),
        "Kalimba",
        "playful",
    ),
    IndustrySound(
        ("motorbike", "motorbikes", "motorcycle", "motorcycles", "moto", "automotive", "car",
         "cars", "racing", "garage", "gym", "fitness", "sport", "sports", "energy"),
        "Distortion Guitar",
        "bold",
    ),
    IndustrySound(
        ("cafe", "café", "coffee", "bakery", "restaurant", "food", "kitchen", "bistro", "pizza",
         "tea", "brewery", "deli", "grocery"),
        "Accordion",
        "warm",
    ),
    IndustrySound(
        ("saas", "software", "app", "platform", "cloud", "tech", "technology", "startup", "ai",
         "analytics", "webinar", "digital", "data"),
        "Pad 3 (polysynth)",
        "modern",
    ),
    IndustrySound(
        ("printer", "printers", "printing", "label", "labels", "office", "stationery",
         "hardware", "tools", "logistics", "shipping"),
        "Clavinet",
        "modern",
    ),
    IndustrySound(
        ("bank", "banking", "finance", "insurance", "legal", "law", "accounting", "investment",
         "jewellery", "jewelry", "watches", "hotel", "fashion", "beauty", "perfume"),
        "String Ensemble 2",
        "premium",
    ),
    IndustrySound(
        ("travel", "outdoor", "outdoors", "camping", "hiking", "bikes", "bicycle", "surf",
         "tourism", "adventure", "garden", "farm"),
        "Pan Flute",
        "adventurous",
    ),
)


def industry_sound(*texts: str) -> IndustrySound | None:
    """The industry the words of ``texts`` (industry, business type) name first, if any."""
    words = [w for text in texts for w in _WORD_ANY.findall(text.lower())]
    for word in words:
        for industry in INDUSTRIES:
            if word in industry.words or word.rstrip("s") in industry.words:
                return industry
    return None


def renderable_tempo(tempo: float) -> int:
    """The tempo the composer renders ``tempo`` at: the nearest multiple of 16 bpm in 64-176,
    where the 15 s cut-down is a whole number of bars (see ``form.cutdown_tempo``)."""
    return min(range(64, 177, 16), key=lambda candidate: (abs(candidate - tempo), candidate))


def brand_hash(brand: str) -> int:
    """A stable number from the brand's name (not Python's salted ``hash``)."""
    normalised = " ".join(brand.lower().split())
    return int.from_bytes(hashlib.sha256(normalised.encode("utf-8")).digest()[:4], "big")


def plan_for_brand(
    *,
    tone: str,
    industry: str = "",
    business_type: str = "",
    angle: str = "",
    brand: str = "",
    seed: int = 0,
) -> MusicPlan:
    """A jingle's music plan for a brand.

    The tone picks the palette (the industry does when the tone names none); the industry adds
    its colour instrument; the brand's name and the seed choose tempo, key, progression and
    lead within the palette; the angle's tone words may lift the arrangement (a bold angle adds
    a second chorus). Deterministic for its arguments; the tempo is always renderable.
    """
    sound = industry_sound(industry, business_type)
    palette = palette_for_tone(tone)
    if palette is DEFAULT_PALETTE and sound is not None:
        palette = _PALETTES_BY_NAME.get(sound.palette, DEFAULT_PALETTE)
    rng = random.Random(f"{palette.name}:{brand_hash(brand)}:{seed}")
    return MusicPlan(
        tempo=renderable_tempo(rng.choice(palette.tempo)),
        key=rng.choice(palette.keys),  # type: ignore[arg-type]
        mode=palette.mode,  # type: ignore[arg-type]
        mood=palette.mood,
        instrumentation=_instruments(palette, sound, rng),
        progression=list(rng.choice(palette.progressions)),
        drum_pattern=palette.drum_pattern,  # type: ignore[arg-type]
        structure=_structure(palette, angle),  # type: ignore[arg-type]
        vocal=palette.vocal,  # type: ignore[arg-type]
    )


def _instruments(palette: TonePalette, sound: IndustrySound | None, rng: random.Random) -> list[str]:
    """``[lead, harmony, bass, colour...]``: the lead drawn from the palette's leads, the
    industry's colour instrument first among the colours (at most six in all)."""
    lead = rng.choice((palette.instrumentation[0], *palette.leads))
    rest = [name for name in palette.instrumentation[1:] if name != lead]
    chosen = [lead, *rest]
    if sound is not None and sound.colour not in chosen:
        chosen.insert(3, sound.colour)
    return chosen[:6]


def _structure(palette: TonePalette, angle: str) -> list[str]:
    """The palette's form; an angle in bold or playful words repeats the chorus before the
    ending, so the tagline comes round once more."""
    structure = list(palette.structure)
    lifted = palette_for_tone(angle).name in ("bold", "playful")
    if lifted and structure.count("chorus") == 1 and len(structure) < 6:
        structure.insert(structure.index("chorus") + 1, "chorus")
    return structure


def plan_for_tone(tone: str, *, seed: int = 0) -> MusicPlan:
    """The plan for a tone alone (no industry, no brand): :func:`plan_for_brand` with only
    the tone. Unknown or empty tones get an upbeat, trustworthy default; ``vocal`` is "sung"
    except for premium palettes, where a spoken tagline over the bed reads as more restrained.
    """
    return plan_for_brand(tone=tone, seed=seed)
