"""Form: how many bars, at which tempo, in which sections, with which instruments in which role.

Everything here is pure and deterministic. Times are in beats (quarter notes) of 4/4 bars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from adloom.writer.schemas import MusicPlan

BEATS_PER_BAR = 4
RING_SECONDS = 1.8  # the final chord's ring-out after the sting
# The brand line must be heard within 5 s of either cut's start; the sung phrase may start a
# beat into its bar, so the bars before it end a second earlier.
EARLY_SECONDS = 5.0
EARLY_MARGIN_SECONDS = 1.0

# Which sections survive when bars are short (lowest first) and which grow first when there
# are bars to spare.
SECTION_PRIORITY = {"chorus": 0, "tag": 1, "intro": 2, "outro": 3, "verse": 4, "bridge": 5}
GROWTH_ORDER = {"chorus": 0, "verse": 1, "intro": 2, "tag": 3, "bridge": 4, "outro": 5}
DEFAULT_ENERGY = {
    "intro": 0.35,
    "verse": 0.55,
    "chorus": 0.9,
    "bridge": 0.6,
    "tag": 0.8,
    "outro": 0.4,
}
DEFAULT_BARS = {"intro": 2, "verse": 4, "chorus": 4, "bridge": 2, "tag": 1, "outro": 2}


@dataclass(frozen=True)
class SectionPlan:
    """One section of the arrangement, in bars, with its energy (0..1) and vocal flag."""

    name: str
    bars: int
    energy: float
    vocal: bool
    instruments: tuple[str, ...] = ()  # empty: every instrument of the plan

    def with_bars(self, bars: int) -> SectionPlan:
        return SectionPlan(self.name, bars, self.energy, self.vocal, self.instruments)


@dataclass(frozen=True)
class Roles:
    """GM programs by role. ``colour`` holds (kind, program) pairs: pad, bells, stabs, counter."""

    lead: int
    harmony: int
    bass: int
    colour: tuple[tuple[str, int], ...]
    names: Mapping[int, str]


def program_of(name: str) -> int | None:
    import pretty_midi

    try:
        return int(pretty_midi.instrument_name_to_program(name))
    except ValueError:
        lowered = name.lower()
        for candidate in pretty_midi.constants.INSTRUMENT_MAP:
            if lowered in candidate.lower():
                return int(pretty_midi.instrument_name_to_program(candidate))
    return None


def colour_kind(program: int) -> str:
    if 8 <= program <= 15 or program in (108, 112):
        return "bells"
    if 56 <= program <= 63 or program == 55:
        return "stabs"
    if 64 <= program <= 87 or 40 <= program <= 43 or 104 <= program <= 111:
        return "counter"
    return "pad"


def assign_roles(instrumentation: Sequence[str]) -> Roles:
    """Roles from the plan's GM names: ``[lead, harmony, bass, colour...]`` by convention,
    repaired by instrument family (a bass is always found or added)."""
    programs = [p for p in (program_of(n) for n in instrumentation) if p is not None]
    names = {
        p: n
        for n, p in zip(instrumentation, (program_of(n) for n in instrumentation), strict=True)
        if p is not None
    }
    basses = [p for p in programs if 32 <= p <= 39]
    bass = basses[0] if basses else 33
    others = [p for p in programs if p != bass]
    lead = others[0] if others else 0
    harmony = others[1] if len(others) > 1 else 0
    colour = tuple((colour_kind(p), p) for p in others[2:])
    import pretty_midi

    all_names = {
        p: names.get(p, pretty_midi.program_to_instrument_name(p))
        for p in (lead, harmony, bass, *(c[1] for c in colour))
    }
    return Roles(lead=lead, harmony=harmony, bass=bass, colour=colour, names=all_names)


def seconds_per_bar(tempo: float) -> float:
    return 60.0 * BEATS_PER_BAR / tempo


def fit_tempo(tempo: float, seconds: float, *, reserve: float = 0.0) -> tuple[float, int]:
    """A tempo near ``tempo`` at which a whole number of bars fills ``seconds - reserve``.

    Returns (tempo, bars): the bar count whose tempo is closest to the plan wins.
    """
    usable = seconds - reserve
    ideal = usable / seconds_per_bar(tempo)
    candidates = {max(1, int(ideal)), max(1, int(ideal) + 1)}
    best = min(candidates, key=lambda bars: abs(60.0 * BEATS_PER_BAR * bars / usable - tempo))
    return 60.0 * BEATS_PER_BAR * best / usable, best


def phrase_bars_for(syllables: int, breaks: int = 0, *, max_bars: int = 4) -> int:
    """Bars one sung tagline takes: two (16 eighths) when the syllables, a breath at each
    phrase break and the held last note fit, else four if the form has room for them."""
    return 2 if syllables + 2 * breaks + 1 <= 16 or max_bars < 4 else 4


class ArrangedSection(Protocol):
    """One section of an approved arrangement (the jingle kind's scenes are a list of these)."""

    @property
    def name(self) -> str: ...
    @property
    def bars(self) -> int: ...
    @property
    def energy(self) -> float: ...
    @property
    def vocal(self) -> bool: ...
    @property
    def instruments(self) -> Sequence[str]: ...


def sections_from(plan: MusicPlan, sections: Sequence[ArrangedSection] | None) -> list[SectionPlan]:
    """The section template: the approved arrangement's sections when there are any, else the
    plan's structure with default bars and energy. Chorus sections carry the vocal by default."""
    if sections:
        return [
            SectionPlan(
                s.name, s.bars, s.energy, s.vocal or s.name == "chorus", tuple(s.instruments)
            )
            for s in sections
        ]
    return [
        SectionPlan(name, DEFAULT_BARS[name], DEFAULT_ENERGY[name], name == "chorus")
        for name in plan.structure
    ]


def fit_sections(
    template: Sequence[SectionPlan],
    total_bars: int,
    phrase_bars: int,
    *,
    need_chorus: bool = True,
) -> list[SectionPlan]:
    """Fit the template to exactly ``total_bars`` bars.

    With ``need_chorus`` a chorus is always kept (added if missing) with room for the tagline.
    The least important sections go first when there is not room (:data:`SECTION_PRIORITY`);
    spare bars grow sections towards their template size (:data:`GROWTH_ORDER`), the chorus
    in whole phrases.
    """
    sections = [
        s if s.name != "chorus" else SectionPlan(s.name, s.bars, s.energy, True, s.instruments)
        for s in template
    ]
    if need_chorus and not any(s.name == "chorus" for s in sections):
        sections.append(SectionPlan("chorus", 2 * phrase_bars, 0.9, True))
    if not sections:
        sections = [SectionPlan("intro", 1, DEFAULT_ENERGY["intro"], False)]
    chorus_min = min(
        phrase_bars if total_bars < 2 * phrase_bars + 1 else 2 * phrase_bars, total_bars
    )
    while (
        sum(_minimum(x, chorus_min, phrase_bars) for x in sections) > total_bars
        and len(sections) > 1
    ):
        sections.pop(_least_needed(sections))
    bars = [_minimum(x, chorus_min, phrase_bars) for x in sections]
    if sum(bars) > total_bars:  # one section left and still too long
        return [sections[0].with_bars(total_bars)]
    _grow(sections, bars, total_bars - sum(bars), phrase_bars)
    return [x.with_bars(b) for x, b in zip(sections, bars, strict=True)]


def _grow(sections: list[SectionPlan], bars: list[int], spare: int, phrase_bars: int) -> None:
    order = sorted(range(len(sections)), key=lambda i: GROWTH_ORDER.get(sections[i].name, 9))
    for i in order:  # first towards the template's sizes
        grow = min(spare, max(0, sections[i].bars - bars[i]))
        if sections[i].name == "chorus":
            grow -= grow % phrase_bars
        bars[i] += grow
        spare -= grow
    while spare > 0:  # then the chorus in whole phrases, the rest bar by bar
        grown = False
        for i in order:
            step = phrase_bars if sections[i].name == "chorus" else 1
            if 0 < step <= spare:
                bars[i] += step
                spare -= step
                grown = True
            if spare == 0:
                break
        if not grown:
            bars[order[0]] += spare
            spare = 0


def split_for_cutdown(
    template: Sequence[SectionPlan],
) -> tuple[list[SectionPlan], list[SectionPlan]]:
    """(sections before the first chorus, the first chorus onwards). The second half is the
    15 s cut-down; an empty first half gets an intro and a verse."""
    first = next((i for i, x in enumerate(template) if x.name == "chorus"), len(template))
    before, after = list(template[:first]), list(template[first:])
    if not before:
        before = [
            SectionPlan("intro", DEFAULT_BARS["intro"], DEFAULT_ENERGY["intro"], False),
            SectionPlan("verse", DEFAULT_BARS["verse"], DEFAULT_ENERGY["verse"], False),
        ]
    return before, after


def cutdown_tempo(tempo: float, cut_seconds: float = 15.0) -> tuple[float, int]:
    """The tempo nearest ``tempo`` at which ``cut_seconds`` is a whole number of bars, and that
    number of bars. For 15 s that is a multiple of 16 bpm: the 30 s jingle then cuts cleanly
    to 15 s at a bar line, and 15/30/60 s beds are whole bars too."""
    options = [m for m in range(1, 64) if 60.0 <= 240.0 * m / cut_seconds <= 180.0]
    bars = min(options or [1], key=lambda m: (abs(240.0 * m / cut_seconds - tempo), m))
    return 240.0 * bars / cut_seconds, bars


def _minimum(section: SectionPlan, chorus_min: int, phrase_bars: int) -> int:
    if section.name == "chorus":
        return chorus_min
    return phrase_bars if section.name in ("verse", "bridge") else 1


def _least_needed(sections: Sequence[SectionPlan]) -> int:
    """Index of the section to drop first: a repeated chorus ranks just above a verse."""
    seen_chorus = False
    ranks = []
    for section in sections:
        rank = float(SECTION_PRIORITY.get(section.name, 9))
        if section.name == "chorus":
            rank = 3.5 if seen_chorus else 0.0
            seen_chorus = True
        ranks.append(rank)
    candidates = [i for i, s in enumerate(sections) if ranks[i] > 0.0 or s.name != "chorus"]
    return max(candidates, key=lambda i: (ranks[i], i))


def sing_early(sections: Sequence[SectionPlan], tempo: float, phrase_bars: int) -> list[SectionPlan]:
    """The opening with the brand line early: the bars before the first verse (or bridge) are
    cut to what ends by :data:`EARLY_SECONDS` less a margin (at least one bar of intro), the
    verse takes the bars freed, and it sings the tagline once.

    Why: listeners skip or tune out within seconds; a jingle that sings its name only after a
    15 s intro and verse (as the 30 s cut did) is heard by few."""
    sections = list(sections)
    index = next(
        (i for i, s in enumerate(sections) if s.name in ("verse", "bridge") and s.bars >= phrase_bars),
        None,
    )
    if index is None:
        return sections
    budget = max(1, int((EARLY_SECONDS - EARLY_MARGIN_SECONDS) / seconds_per_bar(tempo)))
    opening, rest = sections[:index], sections[index:]
    kept: list[SectionPlan] = []
    for section in opening:
        room = budget - sum(s.bars for s in kept)
        if room > 0:
            kept.append(section.with_bars(min(section.bars, room)))
    freed = sum(s.bars for s in opening) - sum(s.bars for s in kept)
    verse = rest[0]
    sung = SectionPlan(verse.name, verse.bars + freed, verse.energy, True, verse.instruments)
    return [*kept, sung, *rest[1:]]


def sing_last(sections: Sequence[SectionPlan], phrase_bars: int) -> list[SectionPlan]:
    """The ending with the brand line: a closing tag or outro with room for the tagline and a
    bar more sings it once more, and the lead plays its motif (the sonic logo's) in that bar."""
    sections = list(sections)
    if sections and sections[-1].name in ("tag", "outro") and sections[-1].bars > phrase_bars:
        last = sections[-1]
        sections[-1] = SectionPlan(last.name, last.bars, max(last.energy, 0.75), True, last.instruments)
    return sections
