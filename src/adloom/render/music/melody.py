"""The hook: a melody fitted to the tagline's syllables and stresses, by rule.

Rhythm: every syllable gets an eighth-note slot by dynamic programming, so that stressed
syllables fall on strong beats, unstressed ones on weak beats, words flow legato, punctuation
leaves a breath, and the last syllable lands on a strong beat and is held (the hook's "button").

Pitch: stressed syllables take chord tones of the bar's chord nearest an arch-shaped contour;
unstressed syllables pass by step between them; an *open* phrase ends on the fifth or second
(a question), a *closed* one on the tonic (the answer). Seeded, deterministic.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from math import pi, sin

from adloom.render.music.lyrics import Lyric
from adloom.render.music.theory import Chord, Key, nearest_in, pitches_of

SLOTS_PER_BAR = 8  # eighth notes
_METRIC_WEIGHT = (4, 0, 1, 0, 3, 0, 1, 0)  # strength of each eighth in a 4/4 bar


@dataclass(frozen=True)
class MelodyNote:
    """One sung note, in beats from the phrase start, for syllable ``syllable`` of the lyric."""

    syllable: int
    pitch: int
    start: float
    length: float


def place_rhythm(lyric: Lyric, bars: int) -> list[tuple[int, int]]:
    """(start slot, length in slots) for every syllable within ``bars`` bars of eighths.

    The last stressed syllable lands on the downbeat of the last bar (the button); any
    unstressed syllables after it follow on the next eighths, the final one held.
    """
    syllables = lyric.syllables
    total = bars * SLOTS_PER_BAR
    n = len(syllables)
    if n == 0:
        return []
    if n >= total - 1:  # more syllables than eighths: spread them evenly, last one held
        return _evenly(n, total)
    anchor_index = max((i for i, s in enumerate(syllables) if s.stressed), default=n - 1)
    tail = n - 1 - anchor_index
    anchor = _anchor_slot(total, anchor_index, tail)
    slots = _best_path(lyric, anchor_index, anchor, total)
    slots += [anchor + k for k in range(1, tail + 1)]
    return _lengths(lyric, slots, total)


def _evenly(n: int, total: int) -> list[tuple[int, int]]:
    starts = [int(i * (total - 1) / n) for i in range(n)]
    return [(s, max(1, (starts[i + 1] if i + 1 < n else total) - s)) for i, s in enumerate(starts)]


def _anchor_slot(total: int, before: int, tail: int) -> int:
    last_bar = total - SLOTS_PER_BAR
    if before <= last_bar and last_bar + tail < total:
        return last_bar
    return max(before, min(total - 1 - tail, last_bar + 4))


def _best_path(lyric: Lyric, last: int, anchor: int, total: int) -> list[int]:
    """Slots for syllables 0..last with syllable ``last`` on ``anchor`` (dynamic programming)."""
    syllables = lyric.syllables
    inf = float("inf")
    cost = [[inf] * total for _ in range(last + 1)]
    back = [[-1] * total for _ in range(last + 1)]
    for slot in range(min(anchor + 1, 4)):
        cost[0][slot] = _metric_cost(syllables[0].stressed, slot) + slot * 0.6
    for i in range(1, last + 1):
        for slot in range(i, anchor + 1):
            here = _metric_cost(syllables[i].stressed, slot)
            for prev in range(max(0, slot - 6), slot):
                if cost[i - 1][prev] == inf:
                    continue
                value = cost[i - 1][prev] + here + _gap_cost(lyric, i, slot - prev)
                if value < cost[i][slot]:
                    cost[i][slot], back[i][slot] = value, prev
    end = anchor if cost[last][anchor] < inf else min(range(total), key=lambda s: cost[last][s])
    slots = [end]
    for i in range(last, 0, -1):
        slots.append(back[i][slots[-1]])
    slots.reverse()
    return slots


def _metric_cost(stressed: bool, slot: int) -> float:
    weight = _METRIC_WEIGHT[slot % SLOTS_PER_BAR]
    return (4 - weight) * 1.0 if stressed else weight * 0.7


def _gap_cost(lyric: Lyric, index: int, gap: int) -> float:
    previous = lyric.syllables[index - 1]
    same_word = lyric.syllables[index].word_index == previous.word_index
    if previous.break_after:
        return 0.0 if gap >= 3 else 3.0  # a breath at punctuation
    if same_word:
        return 0.0 if gap == 1 else 0.8 * (gap - 1)
    return 0.0 if gap in (1, 2) else 0.6 * (gap - 2)


def _lengths(lyric: Lyric, slots: list[int], total: int) -> list[tuple[int, int]]:
    out = []
    for i, slot in enumerate(slots):
        following = slots[i + 1] if i + 1 < len(slots) else total
        length = following - slot
        if lyric.syllables[i].break_after and length > 2:
            length -= 1  # breathe before the next phrase
        if i == len(slots) - 1:
            length = max(1, total - slot - 1)
        out.append((slot, max(1, length)))
    return out


def vocal_tonic(key: Key) -> int:
    """The tonic in a comfortable baritone register (G2..F#3) for the bundled male voice."""
    return 48 + key.tonic if key.tonic <= 6 else 36 + key.tonic


def compose_hook(
    lyric: Lyric, key: Key, chords: list[Chord], bars: int, *, closed: bool, seed: int
) -> list[MelodyNote]:
    """The tagline melody over ``chords`` (one per bar); ``closed`` ends on the tonic.

    A tagline with nothing singable (``§Å``: no word the lyric parser reads) has no melody: the
    callers then play only the accompaniment and the sting."""
    if not lyric.syllables:
        return []
    rng = random.Random(f"hook:{seed}")
    rhythm = place_rhythm(lyric, bars)
    tonic = vocal_tonic(key)
    low, high = tonic - 5, tonic + 14
    scale_pitches = pitches_of(key.scale, low, high)
    start_degree = rng.choice((3, 5))
    peak = rng.choice((8, 9))
    pitches: list[int | None] = [None] * len(rhythm)
    count = len(rhythm)
    previous: int | None = None
    for i, (slot, _) in enumerate(rhythm):
        if not lyric.syllables[i].stressed and i not in (0, count - 1):
            continue
        chord = chords[min(slot // SLOTS_PER_BAR, len(chords) - 1)]
        x = i / max(1, count - 1)
        rising = x < 0.55
        target_degree = start_degree + (peak - start_degree) * sin(pi * min(1.0, x * 0.9))
        target = tonic + _degree_offset(key, target_degree)
        options = pitches_of(chord.pitch_classes, low, high)
        choice = nearest_in(target, options)
        if choice == previous:  # keep the line moving: the next chord tone along the contour
            moved = [p for p in options if (p > choice if rising else p < choice)]
            choice = min(moved, key=lambda p: abs(p - choice)) if moved else choice
        pitches[i] = previous = choice
    before = next((p for p in reversed(pitches[:-1]) if p is not None), tonic + 4)
    pitches[-1] = _cadence_pitch(key, tonic, closed, before, (low, high))
    _fill_passing(pitches, scale_pitches, rng)
    return [
        MelodyNote(i, int(pitch), slot / 2.0, length / 2.0)
        for i, ((slot, length), pitch) in enumerate(zip(rhythm, pitches, strict=True))
        if pitch is not None
    ]


def _degree_offset(key: Key, degree: float) -> float:
    """Semitones above the tonic of a fractional scale degree (1 = tonic)."""
    whole = int(degree)
    frac = degree - whole
    a = key.degree_pitch(whole, 0) - key.tonic
    b = key.degree_pitch(whole + 1, 0) - key.tonic
    return a + (b - a) * frac


def _cadence_pitch(key: Key, tonic: int, closed: bool, before: int, bounds: tuple[int, int]) -> int:
    """The phrase's last note: the tonic (closed) or the second/fifth (open), nearest the line."""
    wanted = (key.tonic,) if closed else (key.scale[1], key.scale[4])
    options = pitches_of(wanted, *bounds)
    return nearest_in(before - 1, options)


def _fill_passing(pitches: list[int | None], scale: list[int], rng: random.Random) -> None:
    """Unstressed syllables: step between their stressed neighbours (passing or neighbour tones)."""
    known = [i for i, p in enumerate(pitches) if p is not None]
    for a, b in itertools.pairwise(known):
        left, right = pitches[a], pitches[b]
        assert left is not None and right is not None
        gaps = b - a
        for k in range(1, gaps):
            target = left + (right - left) * k / gaps
            if abs(right - left) <= 2 and rng.random() < 0.5:
                target = (
                    left
                    + (2 if right <= left else -2) * (1 if k % 2 else 0)
                    + (right - left) * k / gaps
                )
            pitches[a + k] = nearest_in(target, scale)
