"""Accompaniment by rule: harmony comping, bass lines, drum grooves and colour parts.

Each builder takes the bar's chord (and voicing), the groove name and the section's energy and
returns notes in beats. Grooves are the plan's ``drum_pattern`` values; they also shape how the
harmony and bass play, so a "shuffle" plan bounces everywhere and a "halftime" plan breathes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from adloom.render.music.theory import Chord

KICK, SIDESTICK, SNARE, CLAP, HAT, PEDAL_HAT, OPEN_HAT = 36, 37, 38, 39, 42, 44, 46
CRASH, RIDE, TAMBOURINE, MARACAS, LOW_TOM, MID_TOM, HIGH_TOM = 49, 51, 54, 70, 45, 47, 50
SWUNG = frozenset({"shuffle", "brushes"})


@dataclass(frozen=True)
class Note:
    """A note in beats (quarter notes) from the start of the piece."""

    pitch: int
    start: float
    end: float
    velocity: int

    def shifted(self, beats: float) -> Note:
        return Note(self.pitch, self.start + beats, self.end + beats, self.velocity)


def velocity(energy: float, accent: float = 1.0, *, floor: int = 48, span: int = 62) -> int:
    return max(1, min(127, round((floor + span * energy) * accent)))


def swing(beat: float, groove: str) -> float:
    """Delay off-beat eighths to the triplet position for swung grooves."""
    if groove not in SWUNG:
        return beat
    whole = int(beat)
    frac = beat - whole
    if abs(frac - 0.5) < 1e-6:
        return whole + 2.0 / 3.0
    return beat


# ----------------------------------------------------------------------------- harmony

_COMP: dict[str, tuple[tuple[float, float, float], ...]] = {
    # (onset, length, accent) within a bar
    "four_on_floor": ((0.5, 0.35, 1.0), (1.5, 0.35, 0.9), (2.5, 0.35, 1.0), (3.5, 0.35, 0.9)),
    "backbeat": ((0.0, 1.4, 1.0), (1.5, 0.9, 0.85), (2.5, 0.4, 0.8), (3.0, 0.9, 0.9)),
    "halftime": ((0.0, 1.9, 1.0), (2.0, 1.9, 0.85)),
    "shuffle": (
        (0.0, 0.55, 1.0),
        (1.0, 0.55, 0.8),
        (1.5, 0.3, 0.7),
        (2.0, 0.55, 0.95),
        (3.0, 0.55, 0.8),
        (3.5, 0.3, 0.7),
    ),
    "brushes": ((0.0, 1.4, 0.9), (1.5, 2.4, 0.8)),
    "none": (),
}


def comp_bar(
    voicing: tuple[int, ...],
    bar_start: float,
    groove: str,
    energy: float,
    *,
    guitar: bool,
    plucked: bool = False,
) -> list[Note]:
    """One bar of chords. Low energy picks the chord as an arpeggio (plucked and struck
    instruments, which would die away on a held chord) or holds it (sustaining ones); guitars
    strum (voices a few ms apart)."""
    if energy < 0.45 or groove == "none":
        if plucked or (groove == "none" and energy >= 0.45):
            return _arpeggio(voicing, bar_start, max(energy, 0.45))
        return [
            Note(p, bar_start, bar_start + 3.9, velocity(energy, 0.85, floor=60)) for p in voicing
        ]
    notes = []
    for index, (onset, length, accent) in enumerate(_COMP[groove]):
        start = bar_start + swing(onset, groove)
        down = index % 2 == 0
        ordered = voicing if down else tuple(reversed(voicing))
        for k, pitch in enumerate(ordered):
            offset = 0.03 * k if guitar else 0.0
            notes.append(
                Note(
                    pitch,
                    start + offset,
                    start + length,
                    velocity(energy, accent * (1.0 if down else 0.9)),
                )
            )
    return notes


def _arpeggio(voicing: tuple[int, ...], bar_start: float, energy: float) -> list[Note]:
    order = [*voicing, voicing[-1] + 12 if voicing else 60, *reversed(voicing[1:-1])]
    notes = []
    for i in range(8):
        pitch = order[i % len(order)]
        start = bar_start + 0.5 * i
        notes.append(Note(pitch, start, start + 0.9, velocity(energy, 0.75 if i % 2 else 0.9)))
    return notes


def pad_bar(voicing: tuple[int, ...], bar_start: float, energy: float) -> list[Note]:
    """Sustained chord an octave up from the comping voicing's lower notes."""
    return [
        Note(p, bar_start, bar_start + 4.0, velocity(energy, 0.7, floor=40, span=40))
        for p in voicing[:3]
    ]


def stab_bar(voicing: tuple[int, ...], bar_start: float, energy: float, groove: str) -> list[Note]:
    """Brass-style stabs on the downbeat and the 'and' of 2 in high-energy sections."""
    if energy < 0.7:
        return []
    hits = ((0.0, 0.45), (swing(1.5, groove), 0.35))
    return [
        Note(p, bar_start + t, bar_start + t + d, velocity(energy, 0.85))
        for t, d in hits
        for p in voicing[:3]
    ]


# ----------------------------------------------------------------------------- bass


def bass_bar(
    chord: Chord, next_chord: Chord, bar_start: float, groove: str, energy: float
) -> list[Note]:
    """One bar of bass: root-based patterns per groove, approaching the next chord's root."""
    root = 36 + (chord.root - 36) % 12
    if root > 45:
        root -= 12
    third = root + (chord.intervals[1] if len(chord.intervals) > 1 else 4)
    fifth = root + 7
    target = 36 + (next_chord.root - 36) % 12
    target = target - 12 if target > 45 else target
    approach = target - 1 if target > root else target + 1
    pattern: list[tuple[float, int, float]]
    if energy < 0.4:
        pattern = [(0.0, root, 3.8)]
    elif groove == "four_on_floor":
        pattern = [
            (0.0, root, 0.4),
            (0.5, root, 0.4),
            (1.5, root, 0.4),
            (2.0, root + 12, 0.4),
            (2.5, root, 0.4),
            (3.5, root + 12, 0.4),
        ]
    elif groove == "backbeat":
        pattern = [
            (0.0, root, 1.4),
            (1.5, root, 0.45),
            (2.0, fifth, 0.9),
            (3.0, root, 0.45),
            (3.5, approach, 0.45),
        ]
    elif groove == "halftime":
        pattern = [(0.0, root, 2.4), (2.5, fifth, 0.9), (3.5, approach, 0.45)]
    elif groove == "shuffle":
        pattern = [
            (0.0, root, 0.9),
            (1.0, third, 0.9),
            (2.0, fifth, 0.9),
            (3.0, root + 9 if chord.intervals[1] == 4 else root + 10, 0.9),
        ]
    elif groove == "brushes":
        pattern = [(0.0, root, 0.95), (1.0, third, 0.95), (2.0, fifth, 0.95), (3.0, approach, 0.95)]
    else:
        pattern = [(0.0, root, 1.9), (2.0, fifth, 1.9)]
    return [
        Note(
            pitch,
            bar_start + swing(t, groove),
            bar_start + swing(t, groove) + d,
            velocity(energy, 0.95),
        )
        for t, pitch, d in pattern
    ]


# ----------------------------------------------------------------------------- drums


def drum_bar(
    bar_start: float, groove: str, energy: float, *, crash: bool, fill: bool, rng: random.Random
) -> list[Note]:
    """One bar of drums for ``groove``; ``crash`` marks a section start, ``fill`` leads into one."""
    hits: list[tuple[float, int, float]] = []
    if groove == "none":
        if energy >= 0.5:
            hits += [(t * 0.5, MARACAS, 0.55 if t % 2 else 0.7) for t in range(8)]
    elif energy < 0.4:
        hits += [(t * 1.0, PEDAL_HAT if groove != "brushes" else RIDE, 0.6) for t in range(4)]
        if groove in ("halftime", "brushes"):
            hits.append((0.0, KICK, 0.6))
    else:
        hits += _groove_hits(groove, energy)
    if crash and energy >= 0.6 and groove != "none":
        hits.append((0.0, CRASH, 0.95))
    if fill and energy >= 0.5 and groove != "none":
        hits = [h for h in hits if h[0] < 3.0]
        hits += [
            (3.0, SNARE, 0.7),
            (3.25, SNARE, 0.75),
            (3.5, MID_TOM, 0.85),
            (3.75, LOW_TOM, 0.95),
        ]
    notes = []
    for t, pitch, accent in hits:
        start = bar_start + swing(t, groove)
        jitter = rng.uniform(-0.08, 0.08)
        notes.append(
            Note(pitch, start, start + 0.1, velocity(energy, accent + jitter, floor=55, span=60))
        )
    return notes


def _groove_hits(groove: str, energy: float) -> list[tuple[float, int, float]]:
    busy = energy >= 0.75
    if groove == "four_on_floor":
        hits = [(float(b), KICK, 1.0) for b in range(4)] + [(1.0, CLAP, 0.9), (3.0, CLAP, 0.9)]
        hits += [(b + 0.5, OPEN_HAT if busy else HAT, 0.7) for b in range(4)]
        if busy:
            hits += [(b + 0.25 * k, HAT, 0.45) for b in range(4) for k in (1, 3)]
        return hits
    if groove == "backbeat":
        hits = [
            (0.0, KICK, 1.0),
            (1.75 if busy else 2.5, KICK, 0.8),
            (2.0, KICK, 0.9),
            (1.0, SNARE, 0.95),
            (3.0, SNARE, 0.95),
        ]
        return (
            hits
            + [(0.5 * k, HAT, 0.75 if k % 2 == 0 else 0.55) for k in range(8)]
            + ([(3.5, OPEN_HAT, 0.6)] if busy else [])
        )
    if groove == "halftime":
        hits = [(0.0, KICK, 1.0), (2.0, SNARE, 0.95), (3.5, KICK, 0.6)]
        return hits + [(0.5 * k, HAT, 0.65 if k % 2 == 0 else 0.45) for k in range(8)]
    if groove == "shuffle":
        hits = [(0.0, KICK, 1.0), (2.0, KICK, 0.85), (1.0, SNARE, 0.9), (3.0, SNARE, 0.9)]
        hits += [(b + o, HAT, 0.7 if o == 0 else 0.5) for b in range(4) for o in (0.0, 0.5)]
        return hits + ([(b + 0.5, TAMBOURINE, 0.5) for b in range(4)] if busy else [])
    # brushes: ride pattern, soft side-stick on 2 and 4, feathered kick
    hits = [(0.0, KICK, 0.55), (2.0, KICK, 0.45), (1.0, SIDESTICK, 0.7), (3.0, SIDESTICK, 0.7)]
    return hits + [
        (0.0, RIDE, 0.6),
        (1.0, RIDE, 0.7),
        (1.5, RIDE, 0.5),
        (2.0, RIDE, 0.6),
        (3.0, RIDE, 0.7),
        (3.5, RIDE, 0.5),
    ]
