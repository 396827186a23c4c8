"""Video: an idea -> timed beats (script) -> scenes with durations that sum to the length."""

from __future__ import annotations

import dataclasses
import functools
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adloom.assets.video.models import Beat, Scene, VideoScenes, VideoScript
from adloom.assets.video.pace import PACE_AIM, PACE_MAX, PACE_MIN
from adloom.assets.video.shot_plan import plan_shots
from adloom.writer.compose import (
    Template,
    choose,
    containment,
    copy_penalty,
    event_line,
    fill,
    has_marker,
    on_screen,
    price_line,
    slots,
    spec_line,
    tidy,
)
from adloom.writer.context import CopyContext
from adloom.writer.critic_facts import fact_present, specs_in
from adloom.writer.ideas import FIRST_PERSON_STYLES
from adloom.writer.playbooks import (
    BEAT_PLANS,
    FIRST_PERSON_LINES,
    HOOK_TEXT,
    LINES,
    STYLE_LINES,
    STYLE_VISUALS,
    TRIGGER_LINES,
)
from adloom.writer.schemas import Idea
from adloom.writer.text import (
    cap,
    clean,
    lower_first,
    sentence,
    sentences,
    strip_end,
    tokens,
    word_count,
)

CANDIDATES = 6
PURPOSE = {
    "hook": "hook",
    "problem": "problem",
    "agitate": "agitate",
    "solution": "solution",
    "benefits": "solution",
    "proof": "proof",
    "trigger": "proof",
    "outcome": "solution",
    "offer": "offer",
    "cta": "cta",
}
ROLE = {"hook": "hook", "proof": "proof", "offer": "offer", "cta": "cta"}
# Extras are added in this order until the voiceover reaches the word budget.
EXTRA_ORDER = (
    "benefits",
    "solution",
    "proof",
    "outcome",
    "agitate",
    "offer",
    "trigger",
    "cta",
    "problem",
)


@dataclass(frozen=True)
class Section:
    """One beat being written: its name, its lines and its on-screen text."""

    name: str
    lines: tuple[str, ...]
    text: str
    extras: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    name_key: str = ""
    alternatives: tuple[str, ...] = ()  # other core lines, for shortening

    @property
    def voiceover(self) -> str:
        return " ".join(self.lines)


def word_budget(length: int) -> tuple[int, int]:
    return int(length * PACE_MIN + 0.999), int(length * PACE_MAX)


def video_script(
    ctx: CopyContext, idea: Idea, *, length: int, seed: int
) -> tuple[VideoScript, list[str]]:
    """The best of a few seeded candidates, scored on budget, readability and terms."""
    rng = random.Random(seed)
    values = slots(ctx, ctx.ctas[0])
    hook = clean(idea.hook) or f"Meet {ctx.product}."
    best: tuple[float, list[Section], list[str]] | None = None
    pools: dict[str, list[tuple[str, str]]] = {}
    for _ in range(CANDIDATES):
        sections, used = _candidate(ctx, values, hook, length, rng, pools)
        score = _score(ctx, sections, length)
        if best is None or score < best[0]:
            best = (score, sections, used)
    assert best is not None
    script = _to_script(best[1], length, ctx.ctas[0])
    return script.model_copy(update={"angle": idea.angle}), best[2]


def _candidate(
    ctx: CopyContext,
    values: Mapping[str, str],
    hook: str,
    length: int,
    rng: random.Random,
    pools: dict[str, list[tuple[str, str]]],
) -> tuple[list[Section], list[str]]:
    plan = BEAT_PLANS.get(ctx.stage, BEAT_PLANS["problem_aware"])[length]
    used: set[str] = set(_sentence_keys(hook))
    used_ids: list[str] = []
    sections = []
    for name in plan:
        if name == "hook":
            sections.append(Section("hook", (hook,), _hook_text(ctx, values, hook), ids=("hook",)))
            continue
        after_problem = bool(sections) and sections[-1].name in {"problem", "agitate"}
        section = _section(ctx, values, name, used, rng, pools, after_problem=after_problem)
        if section is None:
            continue
        used_ids.extend(section.ids)
        for line in section.lines:
            used.update(_sentence_keys(line))
        sections.append(section)
    cta_line = sentence(values.get("cta_you", ctx.ctas[0]))
    # Grow to the budget, trim what overshoots, then top up what trimming took too far.
    fitted = _fit_budget(_trim_budget(_fit_budget(sections, length), length, cta_line), length)
    fitted = _carry_facts(ctx, fitted, length)
    return fitted, [f"stage={ctx.stage}", f"trigger={ctx.trigger}", f"style={ctx.style}", *used_ids]


SHORT_SPOT = 15  # seconds: one message, so only the offer (else the price) is carried


def _carry_facts(ctx: CopyContext, sections: list[Section], length: int) -> list[Section]:
    """The offer, the price, the event date and one spec of the brief are said (issue 18:
    facts dropped from the video): the offer, price and date in the offer beat (added before
    the CTA when the plan has none), a spec in the benefits or solution beat. The beats then
    give up their extra lines, and optional beats that carry no fact are dropped, until the
    voiceover fits. A 15 s spot carries the offer, else the price, and nothing more."""
    said = " ".join(f"{s.voiceover} {s.text}" for s in sections)
    money = [
        line
        for fact, line in (
            (ctx.offer, sentence(cap(strip_end(ctx.offer)))),
            (ctx.price, price_line(ctx)),
        )
        if fact and line and not fact_present(fact, said)
    ]
    when = ctx.event.get("date_text", "")
    if when and when.lower() not in said.lower():
        money.append(event_line(ctx))
    spec = spec_line(ctx)
    specs = specs_in(f"{ctx.description} {ctx.inputs.get('messaging', '')}")
    spec = "" if not spec or any(fact_present(s, said) for s in specs) else spec
    wanted = [ctx.offer, ctx.price, when, *specs]
    if length <= SHORT_SPOT:
        first = ctx.offer or ctx.price
        money, spec, wanted = money[:1] if not fact_present(first, said) else [], "", [first]
    if not money and not spec:
        return sections
    out = list(sections)
    if money:
        out = _add_lines(ctx, out, "offer", money, on_screen(ctx.offer or ctx.price, 6))
    if spec:
        home = next((s.name for s in out if s.name in {"benefits", "solution"}), "offer")
        out = _add_lines(ctx, out, home, [spec], "")
    return _trim_to_facts(out, length, tuple(f for f in wanted if f))


def _add_lines(
    ctx: CopyContext, sections: list[Section], name: str, lines: Sequence[str], text: str
) -> list[Section]:
    index = next((i for i, s in enumerate(sections) if s.name == name), None)
    if index is None:
        at = len(sections) - 1 if sections and sections[-1].name == "cta" else len(sections)
        new = Section(name, tuple(lines), text or ctx.short_product, ids=(f"{name}.facts",))
        return [*sections[:at], new, *sections[at:]]
    section = sections[index]
    updated = dataclasses.replace(
        section,
        lines=(*lines, *section.lines) if name == "offer" else (*section.lines, *lines),
        # An on-screen text with a number already shows a fact ("Live Monday 12 July").
        text=section.text if any(c.isdigit() for c in section.text) else text or section.text,
    )
    return [*sections[:index], updated, *sections[index + 1 :]]


def _trim_to_facts(sections: list[Section], length: int, facts: tuple[str, ...]) -> list[Section]:
    """Drop extra lines, then optional beats, that carry no fact, until the voiceover fits."""
    _, high = word_budget(length)

    def carries(line: str) -> bool:
        return any(fact_present(fact, line) for fact in facts)

    out = list(sections)
    for name in DROP_ORDER:
        for index, section in enumerate(out):
            if _words(out) <= high:
                return out
            if section.name != name:
                continue
            kept = tuple(line for i, line in enumerate(section.lines) if carries(line) or i == 0)
            out[index] = dataclasses.replace(section, lines=kept)
    for name in DROP_ORDER:
        if _words(out) <= high or len(out) <= 3:
            break
        out = [
            s
            for s in out
            if s.name != name or s.name in NEVER_DROP or any(carries(line) for line in s.lines)
        ]
    # Then the lines without a fact say less: the hook its first sentence, the other beats
    # their shortest option.
    for index, section in enumerate(out):
        if _words(out) <= high:
            break
        if any(carries(line) for line in section.lines):
            continue
        if section.name == "hook":
            shorter = (sentences(section.voiceover) or [section.voiceover])[0]
        else:
            options = [section.lines[0], *section.extras, *section.alternatives]
            shorter = min(options, key=word_count)
        out[index] = dataclasses.replace(section, lines=(shorter,))
    return out


def _sentence_keys(text: str) -> set[str]:
    return set(_keys(text))


@functools.lru_cache(maxsize=4096)
def _keys(text: str) -> frozenset[str]:
    """One key per sentence, plus the whole line (catches a list restated in other words)."""
    keys = {" ".join(tokens(s)) for s in sentences(text) if tokens(s)}
    return frozenset(keys | {" ".join(tokens(text))} if tokens(text) else keys)


# A sentence with half or more of its content words inside another one says it twice.
NEAR_DUPLICATE = 0.5


def _fresh(line: str, used: set[str], ignore: str = "") -> bool:
    """No sentence of ``line`` repeats a used one (the product's own name does not count)."""

    return all(
        containment(_without(new, ignore), _without(old, ignore)) < NEAR_DUPLICATE
        for new in _keys(line)
        for old in used
    )


@functools.lru_cache(maxsize=8192)
def _without(text: str, name: str) -> str:
    return text.replace(name, " ") if name else text


def _filled(
    ctx: CopyContext, values: Mapping[str, str], name: str, pools: dict[str, list[tuple[str, str]]]
) -> list[tuple[str, str]]:
    if name not in pools:
        pools[name] = choose(_pool(ctx, name), values)
    return pools[name]


def _pool(ctx: CopyContext, name: str) -> list[Template]:
    if name == "trigger":
        return list(TRIGGER_LINES.get(ctx.trigger, ()))
    base = list(STYLE_LINES.get(ctx.style, {}).get(name, ())) + list(LINES.get(name, ()))
    if ctx.style in FIRST_PERSON_STYLES:
        base = list(FIRST_PERSON_LINES.get(name, ())) + base
    return base


# Lines that answer a problem ("X changes that") only make sense right after one.
ANSWERS_PROBLEM = frozenset({"b.solution.made", "b.solution.changes"})
# "Then I found X" is a discovery story; a viewer who already knows X gets an honest take.
STAGE_ONLY: Mapping[str, frozenset[str]] = {
    "b.solution.i.found": frozenset({"unaware", "problem_aware", "solution_aware"}),
    "b.solution.i.take": frozenset({"product_aware", "most_aware"}),
}


def _section(
    ctx: CopyContext,
    values: Mapping[str, str],
    name: str,
    used: set[str],
    rng: random.Random,
    pools: dict[str, list[tuple[str, str]]],
    *,
    after_problem: bool = False,
) -> Section | None:
    name_key = " ".join(tokens(ctx.product))
    filled = [
        (tid, line)
        for tid, line in _filled(ctx, values, name, pools)
        # The CTA line is always said, even if the offer line already named the action.
        if (name == "cta" or _fresh(line, used, name_key))
        and (after_problem or tid not in ANSWERS_PROBLEM)
        and ctx.stage in STAGE_ONLY.get(tid, frozenset({ctx.stage}))
    ]
    if name in {"offer", "proof"} and "trigger" not in BEAT_PLANS.get(ctx.stage, {}).get(60, ()):
        # Trigger lines back the offer or the proof up; they never replace them.
        filled += [
            (f"{tid}.x.", line)
            for tid, line in _filled(ctx, values, "trigger", pools)
            if _fresh(line, used, name_key)
        ]
    # Generic lines (".x.") only add to a beat; a beat made of nothing else is padding. The
    # agitate beat is dropped then (it would say "It costs you focus" of a linen duvet).
    core_pool = [f for f in filled if ".x." not in f[0]] or (filled[:1] if name != "agitate" else [])
    if not core_pool:
        return _fallback_section(ctx, values, name, used)
    # The creator's own words (UGC, testimonial) and the live event lead when they exist.
    first = core_pool[0]
    core = (
        first if any(mark in first[0] for mark in (".i.", ".e.", ".s.")) else rng.choice(core_pool)
    )
    core_keys = _sentence_keys(core[1])
    extras = tuple(
        line for tid, line in filled if tid != core[0] and _fresh(line, core_keys, name_key)
    )
    text = _section_text(ctx, values, name, core[1])
    alternatives = tuple(line for _, line in core_pool)
    return Section(name, (core[1],), text, extras, (core[0],), name_key, alternatives)


def _fallback_section(
    ctx: CopyContext, values: Mapping[str, str], name: str, used: set[str]
) -> Section | None:
    if name not in {"solution", "cta"}:
        return None  # an optional beat with nothing new to say is dropped, never padded
    line = _fallback_line(ctx, name)
    return Section(name, (line,), _section_text(ctx, values, name, line), ids=(f"{name}.fallback",))


def _fallback_line(ctx: CopyContext, name: str) -> str:
    fallbacks = {
        "cta": f"{ctx.ctas[0]}.",
        "offer": f"{ctx.ctas[0]} today.",
        "solution": f"{sentence(ctx.promise)}",
        "proof": sentence(ctx.promise),
    }
    return tidy(fallbacks.get(name, sentence(ctx.promise)))


_SECTION_TEXT: Mapping[str, tuple[Template, ...]] = {
    "problem": (Template("t.problem", "{struggle_short}?"),),
    # no fixed line: the agitate beat shows its own spoken words, which come from the brief
    "solution": (Template("t.solution", "{promise_short}"),),
    "benefits": (Template("t.benefits", "{benefit_lines}"),),
    "outcome": (Template("t.outcome", "{outcome_short}"),),
    "offer": (
        Template("t.offer.event", "Live {event_when_short}"),
        Template("t.offer", "{offer_short}"),
    ),
    "cta": (Template("t.cta", "{cta}"),),
}


def _section_text(ctx: CopyContext, values: Mapping[str, str], name: str, line: str) -> str:
    for template in _SECTION_TEXT.get(name, ()):
        text = fill(template, values)
        if text and len(text.split()) <= 7:
            return text
    return on_screen(line, 6) or ctx.short_product


def _hook_text(ctx: CopyContext, values: Mapping[str, str], hook: str) -> str:
    """The hook's own first sentence when it is short enough, else the stage's short form."""
    first = (sentences(hook) or [hook])[0]
    if len(first.split()) <= 7 and not has_marker(first):
        return first
    options = [
        line for _, line in choose(HOOK_TEXT.get(ctx.stage, ()), values) if len(line.split()) <= 7
    ]
    return options[0] if options else on_screen(hook, 6) or ctx.short_product


def _fit_budget(sections: list[Section], length: int) -> list[Section]:
    low, high = word_budget(length)
    current = list(sections)
    for name in EXTRA_ORDER:
        for index, section in enumerate(current):
            if section.name != name:
                continue
            current[index] = _grow(section, current, low, high)
    return current


def _grow(section: Section, all_sections: Sequence[Section], low: int, high: int) -> Section:
    lines, extras = list(section.lines), list(section.extras)
    total = sum(word_count(s.voiceover) for s in all_sections)
    present = set().union(*(_sentence_keys(s.voiceover) for s in all_sections))
    while extras and total < low:
        extra = extras.pop(0)
        if not _fresh(extra, present, section.name_key) or total + word_count(extra) > high:
            continue
        lines.append(extra)
        present |= _sentence_keys(extra)
        total += word_count(extra)
    return dataclasses.replace(section, lines=tuple(lines), extras=tuple(extras))


# Beats dropped first when the voiceover is too long for the length (15 s spots especially).
DROP_ORDER = ("trigger", "proof", "benefits", "outcome", "agitate", "problem", "offer", "solution")
NEVER_DROP = frozenset({"solution"})  # shortened if need be, never removed


def _trim_budget(sections: list[Section], length: int, cta_line: str) -> list[Section]:
    """Drop optional beats, then shorten the CTA line, then the hook, until the voiceover fits."""
    _, high = word_budget(length)
    current = list(sections)
    for name in DROP_ORDER:
        if _words(current) <= high:
            break
        if len(current) > 3 or name in NEVER_DROP:
            current = _shorten_or_drop(current, name, high)
    if _words(current) > high:
        current = [
            dataclasses.replace(s, lines=(cta_line,)) if s.name == "cta" else s for s in current
        ]
    if _words(current) > high and len(sentences(current[0].voiceover)) > 1:
        current[0] = dataclasses.replace(current[0], lines=(sentences(current[0].voiceover)[0],))
    return current


def _shorten_or_drop(sections: list[Section], name: str, high: int) -> list[Section]:
    """Swap the beat's lines for its shortest single option that fits, else drop the beat."""
    out = []
    for section in sections:
        if section.name != name:
            out.append(section)
            continue
        others = _words(sections) - word_count(section.voiceover)
        options = sorted({section.lines[0], *section.extras, *section.alternatives}, key=word_count)
        fitting = [o for o in options if others + word_count(o) <= high]
        if fitting:
            out.append(dataclasses.replace(section, lines=(fitting[-1],)))
        elif name in NEVER_DROP:
            out.append(dataclasses.replace(section, lines=(options[0],)))
    return out


def _words(sections: Sequence[Section]) -> int:
    return sum(word_count(s.voiceover) for s in sections)


def _score(ctx: CopyContext, sections: Sequence[Section], length: int) -> float:
    text = " ".join(s.voiceover for s in sections)
    low, high = word_budget(length)
    count = word_count(text)
    miss = max(0, low - count) + max(0, count - high)
    return copy_penalty(text, ctx) + miss * 2 + abs(count - length * PACE_AIM) * 0.05


def _to_script(sections: Sequence[Section], length: int, cta: str) -> VideoScript:
    durations = allocate([word_count(s.voiceover) for s in sections], length)
    beats, start = [], 0.0
    for section, duration in zip(sections, durations, strict=True):
        end = round(start + duration, 2)
        beats.append(
            Beat.model_validate(
                {
                    "start": round(start, 2),
                    "end": end,
                    "voiceover": section.voiceover,
                    "on_screen_text": section.text,
                    "purpose": PURPOSE.get(section.name, "solution"),
                }
            )
        )
        start = end
    return VideoScript.model_validate({"length": length, "beats": beats, "cta": cta})


def allocate(
    weights: Sequence[int], length: float, *, end_hold: float = 1.0, floor: float = 1.5
) -> list[float]:
    """Split ``length`` seconds by word weight, in tenths, summing exactly; the end card holds longer."""
    count = len(weights)
    floor = min(floor, length / max(count, 1))
    spare = (
        length
        - floor * count
        - (end_hold if count > 1 and length - floor * count > end_hold else 0)
    )
    total = sum(max(w, 1) for w in weights)
    raw = [floor + spare * max(w, 1) / total for w in weights]
    raw[-1] += length - sum(raw)
    tenths = [int(r * 10) for r in raw]
    order = sorted(range(count), key=lambda i: raw[i] * 10 - tenths[i], reverse=True)
    for i in order[: round(length * 10) - sum(tenths)]:
        tenths[i] += 1
    return [t / 10 for t in tenths]


# ----------------------------------------------------------------------------- scenes

MOTIONS = ("push_in", "pan_right", "pull_out", "pan_left", "parallax", "push_in")


def video_scenes(ctx: CopyContext, script: VideoScript, *, seed: int) -> VideoScenes:
    """One scene per beat: hook first, CTA end scene with logo, product in >= 2 scenes."""
    rng = random.Random(seed)
    beats = _split_for_count(list(script.beats), script.length)
    values = {**slots(ctx, script.cta), **_visual_slots(ctx)}
    seen: dict[str, int] = {}
    scenes = [
        _scene(ctx, beat, index, len(beats), rng, values, seen) for index, beat in enumerate(beats)
    ]
    return VideoScenes(length=script.length,
                       scenes=plan_shots(ctx, _ensure_product(scenes), script.angle))


MAX_SCENE = 20.0  # seconds, the schema's limit for one scene


def scene_range(length: int) -> tuple[int, int]:
    return {15: (3, 5), 30: (4, 8), 60: (7, 12)}.get(length, (4, 8))


def _split_for_count(beats: list[Beat], length: int) -> list[Beat]:
    low, high = scene_range(length)

    def longest() -> int:
        return max(range(len(beats)), key=lambda i: beats[i].end - beats[i].start)

    while len(beats) < low or beats[longest()].end - beats[longest()].start > MAX_SCENE:
        index = longest()
        beats[index : index + 1] = _halve(beats[index])
    while len(beats) > high:
        index = min(range(1, len(beats) - 1), key=lambda i: beats[i].end - beats[i].start)
        merged = beats[index].model_copy(
            update={
                "end": beats[index + 1].end,
                "voiceover": f"{beats[index].voiceover} {beats[index + 1].voiceover}",
            }
        )
        beats[index : index + 2] = [merged]
    return beats


def _halve(beat: Beat) -> list[Beat]:
    middle = round((beat.start + beat.end) / 2, 1)
    first = beat.model_copy(update={"end": middle})
    second = beat.model_copy(update={"start": middle, "on_screen_text": beat.on_screen_text})
    return [first, second]


def _visual_slots(ctx: CopyContext) -> dict[str, str]:
    """Third-person phrasings for directions ('someone rushing a bitter drip coffee')."""
    values = {
        f"fact{i}_lc": lower_first(strip_end(f)) for i, f in enumerate(ctx.facts[:2], start=1)
    }
    if ctx.struggle:
        verb = "is " if ctx.struggle_kind == "state" else "who has to "
        values["struggle_3p"] = re.sub(r"\byour\b", "their", f"{verb}{ctx.struggle}")
    return values


def _scene(
    ctx: CopyContext,
    beat: Beat,
    index: int,
    count: int,
    rng: random.Random,
    values: Mapping[str, str],
    seen: dict[str, int],
) -> Scene:
    look = STYLE_VISUALS.get(ctx.style, STYLE_VISUALS["direct_response"])
    last = index == count - 1
    role = "hook" if index == 0 else "cta" if last else ROLE.get(beat.purpose, "body")
    return Scene(
        index=index,
        duration=round(beat.end - beat.start, 2),
        on_screen_text=beat.on_screen_text,
        voiceover=beat.voiceover,
        visual=_visual(ctx, role, beat, look["look"], values, seen),
        motion="static"
        if last
        else look["motion"]
        if index == 0
        else MOTIONS[(index + rng.randrange(2)) % len(MOTIONS)],  # type: ignore[arg-type]
        product=_product_placement(role, beat.purpose, ctx.stage),  # type: ignore[arg-type]
        logo=last,
        transition="crossfade" if last else look["transition"],  # type: ignore[arg-type]
        role=role,  # type: ignore[arg-type]
    )


def _product_placement(role: str, purpose: str, stage: str) -> str:
    if role == "cta" or purpose in {"solution", "offer"}:
        return "hero"
    if purpose == "proof" or (role == "hook" and stage in {"product_aware", "most_aware"}):
        return "inset"
    return "none"


# Visual direction per beat purpose; the n-th beat with the same purpose takes the n-th entry.
VISUALS: Mapping[str, tuple[Template, ...]] = {
    "hook": (
        Template("v.hook.struggle", "Open on a real moment: someone {struggle_3p}"),
        Template("v.hook.outcome", "Open on the payoff: {outcome_np}, shown not told"),
        Template("v.hook.product", "Open tight on {product} in a real setting"),
    ),
    "problem": (
        Template("v.problem", "The struggle as it really looks: {struggle_3p}; no product yet"),
    ),
    "agitate": (Template("v.agitate", "Close-ups of the friction: the clock, the sigh, the mess"),),
    "solution": (
        Template(
            "v.solution.reveal",
            "Reveal {product}: hero shot, clean background, the promise in type",
        ),
        Template("v.solution.benefits", "Quick cuts, one per point: {benefit_list}"),
        Template("v.solution.payoff", "The payoff: {outcome_np}, with {product} in frame"),
        Template("v.solution.use", "{product} in use, close up, in the customer's own space"),
    ),
    "proof": (
        Template("v.proof.fact1", "Detail shots that prove it: {fact1_lc}"),
        Template("v.proof.fact2", "Detail shots that prove it: {fact2_lc}"),
        Template("v.proof.craft", "Macro shots of how it is made"),
    ),
    "offer": (
        Template("v.offer", "{product} front and centre, the offer in bold type: {offer_short}"),
    ),
    "cta": (Template("v.cta", "End card: logo, {product} and the button '{cta}' on brand colour"),),
}
GENERIC_VISUAL = "{product} in frame, clean background, the line in bold type"


def _visual(
    ctx: CopyContext,
    role: str,
    beat: Beat,
    look: str,
    values: Mapping[str, str],
    seen: dict[str, int],
) -> str:
    key = "cta" if role == "cta" else "hook" if role == "hook" else beat.purpose
    options = [line for _, line in choose(VISUALS.get(key, ()), values)]
    if key == "hook" and ctx.stage not in {"unaware", "problem_aware"}:
        options = options[::-1]  # later stages open on the product, earlier ones on the person
    count = seen.get(key, 0)
    seen[key] = count + 1
    text = options[count % len(options)] if options else GENERIC_VISUAL.format(product=ctx.product)
    return f"{strip_end(text)}. Style: {look}."


def _ensure_product(scenes: list[Scene]) -> list[Scene]:
    if sum(1 for s in scenes if s.product != "none") >= 2:
        return scenes
    for index in range(len(scenes) - 2, 0, -1):
        if scenes[index].product == "none":
            scenes[index] = scenes[index].model_copy(update={"product": "inset"})
            break
    return scenes
