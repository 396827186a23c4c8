"""Hooks as (stage opener × angle turn), and the reroll walk through them.

A hook opens on the awareness stage's material (the playbook opener: the outcome for the
unaware, the struggle for the problem-aware, the offer for the most-aware…) and turns to its
angle in the next sentence ("Here's the fix.", "See how it works, start to finish."). The
stage keeps hooks of different stages apart; the angle keeps the three ideas apart.

Rerolls walk: the pool is laid out round-robin over the angles (best fit first) and cut into
triples of three different angles and three different openers; reroll ``n`` of a project
(seed ``s + n``) shows triple ``(s + n) mod T``, so no hook comes back until all ``T``
triples have been shown (the few hooks left over that cannot make a set of three angles
are left out of the walk). Hooks the caller says were already shown (``avoid``) go last, and
hooks of angles not shown yet go first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from adloom.writer.angles import MORE_TURNS, Angle
from adloom.writer.compose import Template, choose, overlap
from adloom.writer.context import CopyContext
from adloom.writer.critic_words import norm, norm_sentences
from adloom.writer.playbooks import FIRST_PERSON_HOOKS, HOOKS

STAGES = ("unaware", "problem_aware", "solution_aware", "product_aware", "most_aware")
FIRST_PERSON_STYLES = frozenset({"ugc", "testimonial"})
BARE = "bare"
HOOK_WORDS_MAX = 12
_OFFER_SLOTS = frozenset({"offer", "offer_lc", "offer_short"})


@dataclass(frozen=True)
class Hook:
    angle: Angle
    opener_id: str
    turn_id: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.angle.id}:{self.opener_id}+{self.turn_id}"


# Short openers per stage, after the playbook's: every stage's words are its own, so a
# hook keeps to its stage even when the brief fills few of the playbook openers.
STAGE_OPENERS: Mapping[str, tuple[Template, ...]] = {
    "unaware": (
        Template("u.x.imagine", "Imagine your days with {product}."),
        Template("u.x.idea", "One small idea could change your week."),
        Template("u.x.notice", "You might not have noticed this yet."),
        Template("u.x.moment", "Take a moment for yourself."),
    ),
    "problem_aware": (
        Template("p.x.hard", "It shouldn't be this hard."),
        Template("p.x.enough", "Had enough of the hassle?"),
        Template("p.x.again", "Same struggle, again and again?"),
        Template("p.x.ugh", "Ugh, not this again."),
    ),
    "solution_aware": (
        Template("s.x.options", "So many options out there."),
        Template("s.x.choose", "Choosing {category_np}?"),
        Template("s.x.compare", "Comparing your choices?"),
        Template("s.x.which", "Which one is worth it?"),
    ),
    "product_aware": (
        Template("pa.x.curious", "Curious about {product}?"),
        Template("pa.x.look", "Had a proper look at {product} yet?"),
        Template("pa.x.doubt", "Still weighing it up?"),
        Template("pa.x.question", "Got questions about {product}?"),
    ),
    "most_aware": (
        Template("m.x.ready", "Let's make it happen."),
        Template("m.x.today", "Today could be the day."),
        Template("m.x.go", "All set to go?"),
        Template("m.x.last", "One click left."),
    ),
}


def openers(ctx: CopyContext, values: Mapping[str, str]) -> list[tuple[Template, str]]:
    """The stage's opener templates that fill, first-person ones first for UGC/testimonial."""
    stage = ctx.stage if ctx.stage in HOOKS else "problem_aware"
    templates = list(HOOKS[stage]) + list(STAGE_OPENERS[stage])
    if ctx.style in FIRST_PERSON_STYLES:
        templates = list(FIRST_PERSON_HOOKS[stage]) + templates
    by_id = {t.id: t for t in templates}
    filled = [(by_id[i], line) for i, line in choose(templates, values)]
    return filled or [(Template("fallback", "Meet {product}."), f"Meet {ctx.product}.")]


def angle_hooks(
    angle: Angle,
    opens: Sequence[tuple[Template, str]],
    values: Mapping[str, str],
    offset: int,
    bare: bool = False,
    stage: str = "problem_aware",
) -> list[Hook]:
    """Every opener × turn of one angle, openers rotated by ``offset`` so that neighbouring
    angles in a round start on different openers."""
    out: list[Hook] = []
    turns = stage_turns(angle, stage)
    for turn_id, turn in choose(turns, values):
        turn_slots = set(next(t for t in turns if t.id == turn_id).fields)
        for k in range(len(opens)):
            template, line = opens[(k + offset) % len(opens)]
            if turn_slots & _OFFER_SLOTS and set(template.fields) & _OFFER_SLOTS:
                continue  # the opener already says the offer
            if overlap(line, turn) > 0.3:
                continue  # "You know the old way" + "Out with the old routine"
            if len(f"{line} {turn}".split()) > HOOK_WORDS_MAX:
                continue  # the video's hook beat must leave words for the offer and the price
            out.append(Hook(angle, template.id, turn_id, f"{line} {turn}"))
    if not bare:
        return out
    # The turn alone only when the stage's openers cannot make three different ideas.
    return out + [
        Hook(angle, BARE, turn_id, turn)
        for turn_id, turn in choose(stage_turns(angle, stage), values)
    ]


def stage_turns(angle: Angle, stage: str) -> tuple[Template, ...]:
    """The angle's turn for this stage: each stage its own, so that one angle's hooks in two
    stages never share their angle sentence (stages must read apart)."""
    index = STAGES.index(stage) if stage in STAGES else 1
    more = MORE_TURNS.get(angle.id, ())
    return (angle.turns[index % len(angle.turns)], *more[index : index + 1])


def pool(
    ctx: CopyContext, values: Mapping[str, str], angles: Sequence[Angle], bare: bool = False
) -> list[Hook]:
    """The whole pool, round-robin over the angles (best first), one hook per angle a round."""
    opens = openers(ctx, values)
    per_angle = [angle_hooks(a, opens, values, i, bare, ctx.stage) for i, a in enumerate(angles)]
    out: list[Hook] = []
    for round_ in range(max((len(h) for h in per_angle), default=0)):
        out += [hooks[round_] for hooks in per_angle if round_ < len(hooks)]
    return out


def triples(hooks: Sequence[Hook], avoid: Iterable[str] = ()) -> list[list[Hook]]:
    """The pool cut into sets of three different angles and openers, in walk order. Hooks in
    ``avoid`` (already shown) are kept for the end. Hooks left over that cannot make a set
    of three angles are not shown in the walk, so a cycle of rerolls never repeats a hook."""
    shown = {norm(a) for a in avoid}
    fresh = [h for h in hooks if norm(h.text) not in shown]
    # Angles already shown go after the ones not yet shown: a reroll walks to new angles
    # first, then to new hooks of shown angles (stable, so the best fit still leads).
    seen_angles = {h.angle.id for h in hooks if norm(h.text) in shown}
    fresh.sort(key=lambda h: h.angle.id in seen_angles)
    rest = fresh + [h for h in hooks if norm(h.text) in shown]
    out: list[list[Hook]] = []
    while rest:
        chosen = _take_three(rest, [])
        if len(chosen) < 3 and not out:  # a tiny pool: one set, whatever it takes
            chosen = _take_three([h for h in hooks if h not in chosen], chosen)
        if len(chosen) < 3:
            break  # the leftovers share an angle or an opener: a cycle never repeats a hook
        out.append(chosen)
        rest = [h for h in rest if h not in chosen]
    return out


def _take_three(candidates: Sequence[Hook], chosen: list[Hook]) -> list[Hook]:
    chosen = list(chosen)
    for hook in candidates:
        if len(chosen) == 3:
            break
        if all(
            hook.angle.id != c.angle.id
            and (hook.opener_id != c.opener_id or hook.opener_id == BARE)
            and not _sentences(hook.text) & _sentences(c.text)
            for c in chosen
        ):
            chosen.append(hook)
    return chosen


def _sentences(text: str) -> set[str]:
    """The hook's sentences as the critic compares them (three words or more)."""
    return {s for s in norm_sentences(text) if len(s.split()) >= 3}


def pick(hooks: Sequence[Hook], seed: int, avoid: Iterable[str] = ()) -> list[Hook]:
    """The three hooks for this seed: triple ``seed mod T`` of the walk, or the first set not
    yet shown when the caller passes what was shown."""
    avoid = list(avoid)
    walk = triples(hooks, avoid)
    if not walk:
        return []
    return walk[0] if avoid else walk[seed % len(walk)]
