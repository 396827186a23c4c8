"""Music theory the composer needs: keys, modes, roman-numeral chords and voice leading.

Roman numerals are read relative to the plan's *mode* (so "VI" in A minor is F major, as pop
analysis writes it): the numeral picks the scale degree, its case the quality (upper major,
lower minor), an optional ``b``/``#`` prefix alters the major-scale degree (``bVII`` is a whole
tone below the tonic in any mode), and a suffix adds colour
(``7``, ``maj7``, ``add9``, ``sus2``, ``sus4``, ``dim``/``°``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

PITCH_CLASSES: dict[str, int] = {
    "C": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "F": 5, "F#": 6, "Gb": 6,
    "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11,
}  # fmt: skip

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
_NUMERAL = re.compile(r"^(?P<acc>[b#]?)(?P<roman>[ivIV]+)(?P<suffix>.*)$")
_SUFFIX_INTERVALS: dict[str, tuple[int, ...]] = {
    "": (),
    "7": (10,),
    "maj7": (11,),
    "m7": (10,),
    "add9": (14,),
    "9": (10, 14),
    "6": (9,),
    "sus2": (),
    "sus4": (),
}


@dataclass(frozen=True)
class Key:
    """A tonic and a mode; ``scale`` holds the pitch classes of its seven degrees."""

    tonic: int  # pitch class 0..11
    mode: str

    @classmethod
    def parse(cls, name: str, mode: str) -> Key:
        if name not in PITCH_CLASSES or mode not in MODES:
            raise ValueError(f"unknown key {name} {mode}")
        return cls(PITCH_CLASSES[name], mode)

    @property
    def scale(self) -> tuple[int, ...]:
        return tuple((self.tonic + step) % 12 for step in MODES[self.mode])

    def degree_pitch(self, degree: int, octave_base: int) -> int:
        """MIDI pitch of 1-based scale ``degree`` (may exceed 7) above ``octave_base``'s tonic."""
        steps = MODES[self.mode]
        octave, index = divmod(degree - 1, 7)
        return octave_base + self.tonic + 12 * octave + steps[index]

    def in_scale(self, pitch: int) -> bool:
        return pitch % 12 in self.scale

    def tonic_pitch_near(self, pitch: int) -> int:
        """The tonic's MIDI pitch closest to ``pitch``."""
        base = pitch - ((pitch - self.tonic) % 12)
        return base if pitch - base <= 6 else base + 12


@dataclass(frozen=True)
class Chord:
    """A chord as a root pitch class and intervals above it (triad first, then colour)."""

    symbol: str
    root: int
    intervals: tuple[int, ...]

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in self.intervals)

    @property
    def triad(self) -> tuple[int, ...]:
        return tuple((self.root + i) % 12 for i in self.intervals[:3])


def parse_numeral(numeral: str, key: Key) -> Chord:
    """A chord from a roman numeral in ``key``; raises ValueError when it is not one."""
    match = _NUMERAL.match(numeral.strip().replace("°", "dim"))
    if not match or match["roman"].lower() not in _ROMAN:
        raise ValueError(f"not a roman numeral chord: {numeral!r}")
    degree = _ROMAN[match["roman"].lower()]
    minor = match["roman"].islower()
    suffix = match["suffix"]
    accidental = {"b": -1, "#": 1, "": 0}[match["acc"]]
    # an explicit accidental is relative to the major scale (bVII is a whole tone below the tonic)
    if accidental:
        root = (key.tonic + MODES["major"][degree - 1] + accidental) % 12
    else:
        root = key.scale[degree - 1]
    dim = suffix.startswith("dim")
    suffix = suffix.removeprefix("dim")
    third = 3 if minor or dim else 4
    fifth = 6 if dim else 7
    if suffix == "sus2":
        third = 2
    elif suffix == "sus4":
        third = 5
    if suffix not in _SUFFIX_INTERVALS:
        raise ValueError(f"unknown chord suffix in {numeral!r}")
    colour = _SUFFIX_INTERVALS[suffix]
    return Chord(numeral, root, (0, third, fifth, *colour))


def parse_progression(numerals: list[str], key: Key) -> list[Chord]:
    """Every numeral of a plan's progression; unknown symbols fall back to the tonic triad."""
    chords = []
    for numeral in numerals:
        try:
            chords.append(parse_numeral(numeral, key))
        except ValueError:
            chords.append(parse_numeral("I" if key.mode in ("major", "mixolydian") else "i", key))
    return chords


def tonic_chord(key: Key) -> Chord:
    return parse_numeral("I" if key.mode in ("major", "mixolydian") else "i", key)


def dominant_chord(key: Key) -> Chord:
    """V7, major even in minor modes: the leading-tone cadence a listener expects at the end."""
    return Chord("V7", (key.tonic + 7) % 12, (0, 4, 7, 10))


def voicings(chord: Chord, low: int, high: int, voices: int) -> list[tuple[int, ...]]:
    """Every close-ish voicing of ``voices`` chord tones within [low, high], sorted low to high."""
    tones = chord.pitch_classes[:voices] if len(chord.pitch_classes) >= voices else chord.triad
    pitches_by_class = [[p for p in range(low, high + 1) if p % 12 == pc] for pc in tones]
    found: set[tuple[int, ...]] = set()
    for combo in product(*pitches_by_class):
        ordered = tuple(sorted(combo))
        if len(set(ordered)) == len(ordered) and ordered[-1] - ordered[0] <= 14:
            found.add(ordered)
    return sorted(found)


def lead_voices(
    chords: list[Chord], *, low: int = 52, high: int = 74, voices: int = 4
) -> list[tuple[int, ...]]:
    """Voice each chord so the voices move as little as possible (smooth voice leading).

    The first chord takes the voicing whose centre is nearest the middle of the range; each
    next chord the voicing with the smallest total movement, ties to the lower centre.
    """
    result: list[tuple[int, ...]] = []
    centre = (low + high) / 2
    for chord in chords:
        count = min(voices, len(chord.pitch_classes))
        options = voicings(chord, low, high, count) or voicings(chord, low - 12, high + 12, 3)
        if not result:
            best = min(options, key=lambda v: (abs(sum(v) / len(v) - centre), v))
        else:
            previous = result[-1]
            best = min(options, key=lambda v: (movement(previous, v), sum(v)))
        result.append(best)
    return result


def movement(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    if len(a) == len(b):
        return sum(abs(x - y) for x, y in zip(a, b, strict=True))
    return abs(sum(a) // len(a) - sum(b) // len(b)) * max(len(a), len(b))


def nearest_in(pitch: float, candidates: list[int]) -> int:
    return min(candidates, key=lambda p: (abs(p - pitch), p))


def pitches_of(pitch_classes: tuple[int, ...], low: int, high: int) -> list[int]:
    return [p for p in range(low, high + 1) if p % 12 in pitch_classes]
