"""The composer: music plan + tagline -> a :class:`Composition` (MIDI parts and sung notes).

Three pieces come from one plan, so they share key, groove, sound and hook:

* the **jingle** (15 or 30 s): sections from the approved scenes (or the plan's structure), the
  tagline sung twice in each chorus (question, then answer on the tonic), the hook played by
  the lead in the verse, and a sting on the tonic that rings out at the end;
* the **bed** (any length): the groove and harmony without the hook, a whole number of bars,
  rendered so that it loops seamlessly;
* the **sonic logo** (3-5 s): the tagline's last phrase (sung when it fits) onto the tonic sting.

All pure and seeded: the same plan, tagline, length and seed give the same notes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from adloom.render.music import parts as P
from adloom.render.music.form import (
    BEATS_PER_BAR,
    RING_SECONDS,
    ArrangedSection,
    Roles,
    SectionPlan,
    assign_roles,
    cutdown_tempo,
    fit_sections,
    fit_tempo,
    phrase_bars_for,
    program_of,
    sections_from,
    sing_early,
    sing_last,
    split_for_cutdown,
)
from adloom.render.music.lyrics import Lyric, parse_lyric
from adloom.render.music.melody import MelodyNote, compose_hook
from adloom.render.music.parts import Note
from adloom.render.music.theory import (
    Chord,
    Key,
    dominant_chord,
    lead_voices,
    movement,
    parse_progression,
    tonic_chord,
    voicings,
)
from adloom.writer.schemas import MusicPlan

STEMS = ("drums", "bass", "music", "lead")  # plus "vocal", rendered separately
CUTDOWN_SECONDS = 15.0  # the cut-down's length; the full jingle is twice as long
LOGO_MIN_RING = 1.2


@dataclass(frozen=True)
class Part:
    """One MIDI track: a role played by a GM program, summed into a stem."""

    role: str
    program: int
    is_drum: bool
    stem: str
    notes: tuple[Note, ...]
    gain: float = 1.0  # MIDI channel volume as a fraction (CC7)
    pan: float = 0.0  # -1 left .. +1 right (CC10)


@dataclass(frozen=True)
class SungNote:
    """One syllable of one sung (or spoken) tagline, in beats."""

    phrase: int
    syllable: int
    pitch: int
    start: float
    end: float


@dataclass(frozen=True)
class Composition:
    """Everything the synthesiser and the singer need, in beats at ``tempo``."""

    kind: str  # full (the sung piece and its cut-down) | bed | logo
    tempo: float
    key: Key
    bars: int
    seconds: float  # the output's exact length
    parts: tuple[Part, ...]
    vocal: tuple[SungNote, ...]
    lyric: Lyric
    sections: tuple[SectionPlan, ...] = ()
    loop: bool = False
    cutdown: float | None = None  # seconds where the 15 s cut-down starts (jingles)
    instrument_names: Mapping[int, str] = field(default_factory=dict)

    @property
    def seconds_per_beat(self) -> float:
        return 60.0 / self.tempo

    def at(self, beat: float) -> float:
        return beat * self.seconds_per_beat

    def stem_parts(self, stem: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.stem == stem)


# ----------------------------------------------------------------------------- public


def compose_jingle(
    plan: MusicPlan,
    tagline: str,
    *,
    sections: Sequence[ArrangedSection] | None = None,
    seed: int = 0,
    cut_seconds: float = CUTDOWN_SECONDS,
) -> Composition:
    """The 30 s jingle, built so that its second half is the 15 s cut-down (``cut_seconds``).

    The tempo is moved to the nearest multiple of 16 bpm, where 15 s is a whole number of bars
    ``m``. The first half (intro, verse: ``m`` bars) ends exactly at 15 s; the second half is
    the chorus onwards (``m - 1`` bars) and the tonic sting that rings for the last bar.
    """
    lyric = parse_lyric(tagline)
    tempo, half = cutdown_tempo(plan.tempo, cut_seconds)
    phrase_bars = phrase_bars_for(len(lyric.syllables), lyric.breaks, max_bars=half - 1)
    before, after = split_for_cutdown(sections_from(plan, sections))
    first = sing_early(fit_sections(before, half, phrase_bars, need_chorus=False), tempo, phrase_bars)
    second = sing_last(fit_sections(after, half - 1, phrase_bars), phrase_bars)
    planned = [*first, *second]
    score = _Score(plan, tempo, seed)
    score.sections(planned, lyric, phrase_bars, sing=plan.vocal != "none")
    bars = 2 * half - 1
    score.sting(bars * BEATS_PER_BAR, ring_beats=BEATS_PER_BAR)
    return score.build("full", bars, 2 * cut_seconds, lyric, tuple(planned), cutdown=cut_seconds)


def compose_bed(
    plan: MusicPlan, seconds: float, *, seed: int = 0, cut_seconds: float = CUTDOWN_SECONDS
) -> Composition:
    """An instrumental loop of exactly ``seconds``: groove and harmony, no hook, no sting.

    At the jingle's tempo when ``seconds`` is a whole number of bars there (15/30/60 s always
    are), otherwise at the nearest tempo that makes it so.
    """
    tempo, _ = cutdown_tempo(plan.tempo, cut_seconds)
    bars_exact = seconds * tempo / (60.0 * BEATS_PER_BAR)
    if abs(bars_exact - round(bars_exact)) < 1e-6 and round(bars_exact) >= 1:
        bars = round(bars_exact)
    else:
        tempo, bars = fit_tempo(plan.tempo, seconds)
    score = _Score(plan, tempo, seed)
    score.bed(bars)
    return score.build("bed", bars, seconds, parse_lyric(""), (), loop=True)


def compose_logo(plan: MusicPlan, tagline: str, *, seed: int = 0) -> Composition:
    """The sonic logo (3-5 s): the closing phrase sung onto the tonic sting when it fits in a
    bar, otherwise the hook's last notes played as a motif into the sting."""
    lyric = parse_lyric(tagline)
    phrase_bars = phrase_bars_for(len(lyric.syllables), lyric.breaks, max_bars=2)
    beat_seconds = 60.0 / plan.tempo
    sung = plan.vocal != "none" and phrase_bars == 2 and 4 * beat_seconds + LOGO_MIN_RING <= 5.0
    pickup_beats = 4.0 if sung else 2.0
    pickup = pickup_beats * beat_seconds
    ring = min(max(RING_SECONDS, 3.0 - pickup), 5.0 - pickup)
    score = _Score(plan, float(plan.tempo), seed)
    score.logo(lyric, phrase_bars, sung=sung, pickup_beats=pickup_beats)
    score.sting(pickup_beats, ring_beats=ring / beat_seconds, sung_ending=sung)
    return score.build("logo", 1, round(pickup + ring, 3), lyric, ())


# ----------------------------------------------------------------------------- score


class _Score:
    """Accumulates notes per role while the form is walked bar by bar."""

    def __init__(self, plan: MusicPlan, tempo: float, seed: int) -> None:
        self.plan = plan
        self.tempo = tempo
        self.seed = seed
        self.rng = random.Random(f"score:{seed}")
        self.key = Key.parse(plan.key, plan.mode)
        self.roles: Roles = assign_roles(plan.instrumentation)
        self.groove = plan.drum_pattern
        self.progression = parse_progression(list(plan.progression), self.key)
        self.notes: dict[str, list[Note]] = {}
        self.vocal: list[SungNote] = []
        self.phrase_count = 0
        self.previous_voicing: tuple[int, ...] | None = None

    # ---------------------------------------------------------------- form walkers

    def sections(
        self, sections: Sequence[SectionPlan], lyric: Lyric, phrase_bars: int, *, sing: bool
    ) -> None:
        bar = 0
        for index, section in enumerate(sections):
            chords = self._section_chords(section, phrase_bars, last=index == len(sections) - 1)
            allowed = self._allowed(section)
            for k, chord in enumerate(chords):
                nxt = chords[k + 1] if k + 1 < len(chords) else tonic_chord(self.key)
                fill = (
                    k == len(chords) - 1
                    and index + 1 < len(sections)
                    and sections[index + 1].energy > section.energy
                )
                self._accompany(
                    bar + k,
                    chord,
                    nxt,
                    section.energy,
                    allowed,
                    crash=k == 0 and index > 0,
                    fill=fill,
                )
            self._melody(section, bar, chords, lyric, phrase_bars, sing=sing)
            bar += section.bars
        if sections and sections[-1].name != "chorus" and lyric.syllables:
            # the tag: the hook's last notes on the lead into the sting (the sonic logo's motif)
            last = sections[-1]
            chords = [dominant_chord(self.key)] * max(1, phrase_bars)
            hook = compose_hook(lyric, self.key, chords, phrase_bars, closed=True, seed=self.seed)
            self._motif(hook, end=float(bar * BEATS_PER_BAR), energy=max(0.75, last.energy))

    def bed(self, bars: int) -> None:
        chords = [self.progression[b % len(self.progression)] for b in range(bars)]
        for b, chord in enumerate(chords):
            nxt = chords[(b + 1) % bars]
            energy = 0.6 if b < bars / 2 else 0.7
            fill = bars >= 4 and b == bars - 1
            self._accompany(b, chord, nxt, energy, None, crash=False, fill=fill, lead=False)

    def logo(self, lyric: Lyric, phrase_bars: int, *, sung: bool, pickup_beats: float) -> None:
        dominant, tonic = dominant_chord(self.key), tonic_chord(self.key)
        hook = compose_hook(
            lyric, self.key, [dominant, tonic], phrase_bars, closed=True, seed=self.seed
        )
        voicing = self._voice(dominant)
        soft = P.velocity(0.6, 0.8)
        self._add("harmony", [Note(p, 0.0, pickup_beats, soft) for p in voicing])
        root = 36 + (dominant.root - 36) % 12
        self._add("bass", [Note(root if root <= 45 else root - 12, 0.0, pickup_beats, soft)])
        if not sung:
            self._motif(hook, end=pickup_beats)
            return
        # the phrase's last bar lands on the sting: keep only its final bar of pickup
        offset = pickup_beats - (phrase_bars - 1) * BEATS_PER_BAR
        kept = [n for n in hook if n.start + offset >= 0]
        for note in kept:
            start = note.start + offset
            self.vocal.append(SungNote(0, note.syllable, note.pitch, start, start + note.length))
        self._lead_line(kept, offset, double=True, energy=0.8, until=None)
        if self.groove != "none":
            self._add(
                "drums", P.drum_bar(0.0, self.groove, 0.6, crash=False, fill=False, rng=self.rng)
            )

    # ---------------------------------------------------------------- chords

    def _section_chords(self, section: SectionPlan, phrase_bars: int, *, last: bool) -> list[Chord]:
        chords = [self.progression[b % len(self.progression)] for b in range(section.bars)]
        tonic, dominant = tonic_chord(self.key), dominant_chord(self.key)
        if section.name == "chorus" and section.bars >= phrase_bars:
            for end in range(phrase_bars, section.bars + 1, phrase_bars):
                closed = end == section.bars or (end // phrase_bars) % 2 == 0
                chords[end - 1] = tonic if closed else dominant
                if closed and phrase_bars > 1:
                    chords[end - 2] = (
                        dominant
                        if self.key.mode != "mixolydian"
                        else parse_progression(["bVII"], self.key)[0]
                    )
        if last and section.name != "chorus":
            chords[-1] = (
                dominant
                if self.key.mode != "mixolydian"
                else parse_progression(["bVII"], self.key)[0]
            )
        return chords

    def _allowed(self, section: SectionPlan) -> set[int] | None:
        if not section.instruments:
            return None
        programs = {program_of(name) for name in section.instruments}
        return {p for p in programs if p is not None} or None

    # ---------------------------------------------------------------- parts

    def _add(self, role: str, notes: Sequence[Note]) -> None:
        self.notes.setdefault(role, []).extend(notes)

    def _plays(self, program: int, allowed: set[int] | None) -> bool:
        return allowed is None or program in allowed

    def _accompany(
        self,
        bar: int,
        chord: Chord,
        nxt: Chord,
        energy: float,
        allowed: set[int] | None,
        *,
        crash: bool,
        fill: bool,
        lead: bool = True,
    ) -> None:
        start = bar * BEATS_PER_BAR
        voicing = self._voice(chord)
        roles = self.roles
        if self._plays(roles.harmony, allowed) or allowed is None:
            self._add(
                "harmony",
                P.comp_bar(
                    voicing,
                    start,
                    self.groove,
                    energy,
                    guitar=24 <= roles.harmony <= 31,
                    plucked=roles.harmony <= 15 or 24 <= roles.harmony <= 31 or roles.harmony == 46,
                ),
            )
        if self._plays(roles.bass, allowed) or allowed is None:
            self._add("bass", P.bass_bar(chord, nxt, start, self.groove, energy))
        if self.groove != "none" or energy >= 0.5:
            self._add(
                "drums",
                P.drum_bar(start, self.groove, energy, crash=crash, fill=fill, rng=self.rng),
            )
        for kind, program in roles.colour:
            if not self._plays(program, allowed):
                continue
            if kind == "pad" and energy >= 0.3:
                self._add(
                    f"colour:{program}", P.pad_bar(tuple(p + 12 for p in voicing), start, energy)
                )
            elif kind == "stabs":
                self._add(f"colour:{program}", P.stab_bar(voicing, start, energy, self.groove))
            elif kind in ("bells", "counter") and not lead and energy >= 0.6:
                self._add(f"colour:{program}", _sparkle(voicing, start, energy, self.groove, kind))

    def _voice(self, chord: Chord) -> tuple[int, ...]:
        """The voicing of ``chord`` that moves least from the previous one (voice leading)."""
        if self.previous_voicing is None:
            voicing = lead_voices([chord], low=52, high=72)[0]
        else:
            previous = self.previous_voicing
            options = voicings(chord, 52, 72, min(4, len(chord.pitch_classes))) or [previous]
            voicing = min(options, key=lambda v: (movement(previous, v), sum(v)))
        self.previous_voicing = voicing
        return voicing

    # ---------------------------------------------------------------- melody

    def _melody(
        self,
        section: SectionPlan,
        bar: int,
        chords: list[Chord],
        lyric: Lyric,
        phrase_bars: int,
        *,
        sing: bool,
    ) -> None:
        if (
            not lyric.syllables
            or section.bars < phrase_bars
            or section.name not in ("chorus", "verse", "bridge", "tag", "outro")
            or (section.name in ("tag", "outro") and not section.vocal)
        ):
            return
        start = bar * BEATS_PER_BAR
        for number, first in enumerate(range(0, section.bars - phrase_bars + 1, phrase_bars)):
            phrase_chords = chords[first : first + phrase_bars]
            end_bar = first + phrase_bars
            closed = end_bar == section.bars or number % 2 == 1
            hook = compose_hook(
                lyric, self.key, phrase_chords, phrase_bars, closed=closed, seed=self.seed
            )
            offset = start + first * BEATS_PER_BAR
            # a chorus sings every phrase; elsewhere the tagline is sung once, then played
            vocal_here = sing and section.vocal and (section.name == "chorus" or number == 0)
            if vocal_here:
                self.vocal += [
                    SungNote(
                        self.phrase_count,
                        n.syllable,
                        n.pitch,
                        offset + n.start,
                        offset + n.start + n.length,
                    )
                    for n in hook
                ]
                self.phrase_count += 1
            self._lead_line(hook, offset, double=vocal_here, energy=section.energy, until=None)
            if vocal_here and section.energy >= 0.75:
                for kind, program in self.roles.colour:
                    if kind == "bells":
                        self._add(f"colour:{program}", [_shift(n, offset, 24, 0.55) for n in hook])

    def _lead_line(
        self,
        hook: Sequence[MelodyNote],
        offset: float,
        *,
        double: bool,
        energy: float,
        until: float | None,
    ) -> None:
        """The lead instrument plays the hook an octave above the voice (softer when doubling)."""
        accent = 0.6 if double else 0.95
        notes = [_shift(n, offset, 12, accent * (0.6 + 0.4 * energy)) for n in hook]
        if until is not None:
            notes = [n for n in notes if n.start < until]
        self._add("lead", notes)

    def _motif(self, hook: Sequence[MelodyNote], *, end: float, energy: float = 0.85) -> None:
        """The instrumental logo: the hook's last notes as eighths into the sting at ``end``."""
        tail = list(hook)[-5:-1]
        notes = []
        for k, note in enumerate(tail):
            t = end - 0.5 * (len(tail) - k)
            notes.append(Note(note.pitch + 12, t, t + 0.45, P.velocity(energy)))
        self._add("lead", notes)
        for kind, program in self.roles.colour:
            if kind == "bells":
                self._add(
                    f"colour:{program}",
                    [Note(n.pitch + 12, n.start, n.end, n.velocity - 10) for n in notes],
                )

    # ---------------------------------------------------------------- ending

    def sting(self, beat: float, *, ring_beats: float, sung_ending: bool = False) -> None:
        """The final tonic hit: full chord, low root, lead on the tonic, crash, then ring out."""
        tonic = tonic_chord(self.key)
        voicing = self._voice(tonic)
        end = beat + max(0.5, ring_beats - 0.6 * self.tempo / 60.0)
        loud = P.velocity(0.95)
        self._add("harmony", [Note(p, beat, end, loud) for p in voicing])
        root = 36 + (tonic.root - 36) % 12
        self._add("bass", [Note(root if root <= 45 else root - 12, beat, end, loud)])
        if self.groove != "none":
            self._add(
                "drums",
                [Note(P.KICK, beat, beat + 0.1, loud), Note(P.CRASH, beat, beat + 0.1, loud)],
            )
        top = voicing[-1]
        lead_tonic = top + ((self.key.tonic - top) % 12)
        if not sung_ending:
            self._add("lead", [Note(lead_tonic, beat, end, loud)])
        for kind, program in self.roles.colour:
            if kind in ("pad", "bells", "stabs"):
                pitches = [lead_tonic + 12] if kind == "bells" else [p + 12 for p in voicing[:3]]
                self._add(
                    f"colour:{program}", [Note(p, beat, end, P.velocity(0.8)) for p in pitches]
                )

    # ---------------------------------------------------------------- build

    def build(
        self,
        kind: str,
        bars: int,
        seconds: float,
        lyric: Lyric,
        sections: tuple[SectionPlan, ...],
        *,
        loop: bool = False,
        cutdown: float | None = None,
    ) -> Composition:
        roles = self.roles
        catalogue = {
            "lead": (roles.lead, "lead", 0.85, 0.15),
            "harmony": (roles.harmony, "music", 0.8, -0.2),
            "bass": (roles.bass, "bass", 0.9, 0.0),
            "drums": (0, "drums", 0.85, 0.0),
        }
        built: list[Part] = []
        for role, notes in sorted(self.notes.items()):
            if not notes or role.startswith("_"):
                continue
            if role.startswith("colour:"):
                program = int(role.split(":")[1])
                spec = (program, "music", 0.6, 0.35 if len(built) % 2 else -0.35)
            else:
                spec = catalogue[role]
            built.append(
                Part(
                    role,
                    spec[0],
                    role == "drums",
                    spec[1],
                    tuple(sorted(notes, key=lambda n: (n.start, n.pitch))),
                    spec[2],
                    spec[3],
                )
            )
        return Composition(
            kind=kind,
            tempo=self.tempo,
            key=self.key,
            bars=bars,
            seconds=seconds,
            parts=tuple(built),
            vocal=tuple(self.vocal),
            lyric=lyric,
            sections=sections,
            loop=loop,
            cutdown=cutdown,
            instrument_names=dict(roles.names),
        )


def _shift(note: MelodyNote, offset: float, transpose: int, accent: float) -> Note:
    return Note(
        note.pitch + transpose,
        offset + note.start,
        offset + note.start + note.length * 0.95,
        P.velocity(0.8, accent),
    )


def _sparkle(
    voicing: tuple[int, ...], start: float, energy: float, groove: str, kind: str
) -> list[Note]:
    """A light broken-chord figure for beds (bells an octave up, winds in the middle)."""
    lift = 24 if kind == "bells" else 12
    pattern = [(0.0, 0), (1.5, 1), (2.5, 2), (3.0, 1)]
    return [
        Note(
            voicing[i % len(voicing)] + lift,
            start + P.swing(t, groove),
            start + P.swing(t, groove) + 0.9,
            P.velocity(energy, 0.55),
        )
        for t, i in pattern
    ]
