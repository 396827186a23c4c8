"""Concept angles: the ten ways an ad can carry one brief (issue 18, item 1).

Data, not code. An angle is a whole idea, not a template: its own structure (the beats it
tells), hook turns (the line that follows the stage's opener and says which angle this is),
a scene plan, a visual treatment and a music mood (hints the renderers may read), and a
headline family for the static kinds. An angle is only offered when the brief can carry it:
offer-led needs an offer, testimonial needs proof the brief gives (a quotation, stars, a
rating), founder story needs a founder, maker or family business named in the product's own
words, three reasons needs three things to count and myth vs. fact needs a fact. Nothing is
invented to make an angle fit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from adloom.writer.compose import Template as T
from adloom.writer.context import CopyContext


@dataclass(frozen=True)
class Angle:
    """One concept angle. Slots are those of ``compose.slots`` plus ``proof`` and ``reasons``."""

    id: str
    name: str
    stages: tuple[str, ...]  # the awareness stages it suits, best fit first
    why: str  # why it works (the reasoning's first clause)
    structure: str  # the beats, in words
    turns: tuple[T, ...]  # hook turns: the sentence after the stage's opener
    scenes: tuple[T, ...]  # scene plan steps; a step whose slots are missing is left out
    treatment: str  # visual treatment name (a hint for the renderers)
    look: str
    mood: str  # music mood name (a hint for the music generator)
    sound: str
    headlines: tuple[T, ...]  # static kinds: the headline, best first (≤ 40 characters kept)
    needs: str = ""  # "", "offer", "proof", "founder", "reasons", "fact"


ANGLES: tuple[Angle, ...] = (
    Angle(
        "problem_fix",
        "Problem, then fix",
        ("problem_aware", "solution_aware", "unaware"),
        "Naming the problem first makes the fix feel earned",
        "problem, what it costs, the fix, proof, the ask",
        (
            T("pf.fix", "Here's the fix."),
            T("pf.simpler", "There is a simpler way out."),
            T("pf.ends", "{product} ends that."),
            T("pf.way", "There's a way out."),
            T("pf.sorted", "Consider it sorted."),
        ),
        (
            T("pf.s1", "the problem as it feels, in one honest moment"),
            T("pf.s2", "{product} steps in: {promise_lc}"),
            T("pf.s3", "proof on screen: {fact1_short}"),
            T("pf.s4", "the relief, then '{cta}'"),
        ),
        "Split-tone",
        "cool, flat light for the problem, warm light the moment the fix arrives",
        "Tension to release",
        "a tense pulse that resolves into a major lift at the fix",
        (
            T("pf.h1", "{struggle_short}? Try {product}"),
            T("pf.h2", "The fix: {promise_short}"),
            T("pf.h3", "{product}: the simple fix"),
        ),
    ),
    Angle(
        "demo",
        "How it works",
        ("solution_aware", "product_aware", "most_aware", "unaware"),
        "Seeing it work answers 'does it really?' faster than any claim",
        "the job to do, the product doing it step by step, the result, the ask",
        (
            T("dm.see", "See how it works, start to finish."),
            T("dm.hands", "Here it is, doing the job."),
            T("dm.steps", "Three steps, no tricks."),
            T("dm.show", "Let us show you."),
            T("dm.inside", "Here's how it's done."),
        ),
        (
            T("dm.s1", "close-up of {product} at work"),
            T("dm.s2", "step by step, the way {promise_lc}"),
            T("dm.s3", "the detail that matters: {fact1_short}"),
            T("dm.s4", "the finished result and '{cta}'"),
        ),
        "Macro close-up",
        "tight product shots on a clean surface, hands in frame, no cut-aways",
        "Curious and bright",
        "light plucked synths and a ticking rhythm that follows each step",
        (
            T("dm.h1", "See how {product} works"),
            T("dm.h2", "How {product} works"),
            T("dm.h3", "{product}, step by step"),
        ),
    ),
    Angle(
        "testimonial",
        "In their words",
        ("product_aware", "most_aware", "solution_aware", "problem_aware"),
        "Proof the brief gives, said out loud, is worth more than any claim we could write",
        "the words of people who tried it, what it did, the product, the ask",
        (
            T("ts.words", "In their words: {proof_quote}."),
            T("ts.take", "Don't take our word for it: {proof}."),
            T("ts.said", "What people said: {proof_quote}."),
            T("ts.rating", "The verdict so far: {proof_rating}."),
        ),
        (
            T("ts.s1", "the proof on screen, in big type: {proof}"),
            T("ts.s2", "the moment it was earned, with {product}"),
            T("ts.s3", "why: {promise_lc}"),
            T("ts.s4", "a warm close on '{cta}'"),
        ),
        "Quote card",
        "the brief's proof set as a large quotation over real footage of the product",
        "Sincere and warm",
        "a soft piano bed that leaves room for the words",
        (T("ts.h1", "{proof}"), T("ts.h2", "{product}: {proof}")),
        needs="proof",
    ),
    Angle(
        "old_way",
        "Us vs. the old way",
        ("solution_aware", "problem_aware", "product_aware"),
        "Putting the old routine next to the new one lets the viewer make the comparison",
        "the old way, where it falls short, the new way, the difference, the ask",
        (
            T("ow.old", "The old way, or the new one?"),
            T("ow.out", "Out with the old routine."),
            T("ow.compare", "Put them side by side."),
            T("ow.switch", "Time to switch."),
            T("ow.newer", "There's a newer way."),
        ),
        (
            T("ow.s1", "the old routine, grey and slow"),
            T("ow.s2", "the same job with {product}: {promise_lc}"),
            T("ow.s3", "the difference in one fact: {fact1_short}"),
            T("ow.s4", "choose the new way, '{cta}'"),
        ),
        "Split screen",
        "a hard split: the old routine in muted grey on the left, {product} in brand colour on the right",
        "Upbeat contrast",
        "a dull loop that drops out for a bright, driving groove",
        (
            T("ow.h1", "The old way, or {product}"),
            T("ow.h2", "Leave the old way behind"),
            T("ow.h3", "Old way out, {product} in"),
        ),
    ),
    Angle(
        "offer",
        "Offer-led",
        ("most_aware", "product_aware"),
        "For people ready to act, the offer is the message and nothing should slow the click",
        "the offer, what you get, one reason to believe, the ask",
        (
            T("of.deal", "The deal: {offer_lc}."),
            T("of.here", "And here's the offer: {offer_lc}."),
            T("of.yours", "Yours today: {offer_lc}."),
            T("of.now", "Now: {offer_short}."),
            T("of.first", "Start with this: {offer_lc}."),
        ),
        (
            T("of.s1", "the offer in big type: {offer}"),
            T("of.s2", "what you get with {product}"),
            T("of.s3", "one reason to believe: {fact1_short}"),
            T("of.s4", "the button, '{cta}', held on screen"),
        ),
        "Bold offer card",
        "big type, brand colour, the offer as the hero and the product beside it",
        "Punchy and bright",
        "a punchy four-on-the-floor beat with a rising sting on the offer",
        (T("of.h1", "{offer_short}"), T("of.h2", "{product}: {offer_short}")),
        needs="offer",
    ),
    Angle(
        "founder",
        "The makers' story",
        ("unaware", "solution_aware", "product_aware"),
        "People buy from people: the makers' own story makes the product worth more",
        "who makes it, why they started, how it is made, the product, the ask",
        (
            T("fo.story", "Here's the story behind it."),
            T("fo.people", "Meet the people who make it."),
            T("fo.why", "It started with the people behind it."),
            T("fo.hands", "Made by hand, by people."),
            T("fo.who", "Who makes it matters."),
        ),
        (
            T("fo.s1", "the makers at work, in their own place"),
            T("fo.s2", "how it is made: {fact1_short}"),
            T("fo.s3", "what they wanted: {promise_lc}"),
            T("fo.s4", "{product} in hand, then '{cta}'"),
        ),
        "Documentary",
        "natural light, handheld, the makers' hands and workplace, real sound",
        "Heartfelt acoustic",
        "fingerpicked acoustic guitar and a warm, unhurried pulse",
        (
            T("fo.h1", "Made by the people behind {product}"),
            T("fo.h2", "The story of {product}"),
            T("fo.h3", "Meet the makers"),
        ),
        needs="founder",
    ),
    Angle(
        "reasons",
        "Three reasons",
        ("solution_aware", "product_aware", "most_aware"),
        "Numbered reasons are easy to follow with the sound off and easy to remember",
        "reason one, reason two, reason three, the ask",
        (
            T("rs.three", "Three reasons to look closer."),
            T("rs.good", "Here are three good reasons."),
            T("rs.count", "Count them: one, two, three."),
            T("rs.list", "Three reasons, in order."),
            T("rs.more", "One reason? Try three."),
        ),
        (
            T("rs.s1", "a big number one and {reason1}"),
            T("rs.s2", "number two, {reason2}"),
            T("rs.s3", "number three, {reason3}"),
            T("rs.s4", "all three on one card with {product} and '{cta}'"),
        ),
        "Numbered cards",
        "bold numbers, one reason per card, {product} on every card",
        "Snappy count",
        "a snappy beat with a hit on every number",
        (
            T("rs.h1", "3 reasons to try {product}"),
            T("rs.h2", "{product}: 3 good reasons"),
            T("rs.h3", "Three reasons, one choice"),
        ),
        needs="reasons",
    ),
    Angle(
        "myth_fact",
        "Myth vs. fact",
        ("solution_aware", "product_aware", "problem_aware"),
        "Correcting a belief with the brief's own fact is memorable and credible",
        "a common belief, the fact that answers it, the product, the ask",
        (
            T("mf.check", "Myth or fact? Let's check."),
            T("mf.fact", "Here's the fact: {fact1_short}."),
            T("mf.heard", "You may have heard otherwise."),
            T("mf.true", "True or false?"),
            T("mf.record", "Let's set the record straight."),
        ),
        (
            T("mf.s1", "the myth, stamped on screen, then crossed out"),
            T("mf.s2", "the fact: {fact1}"),
            T("mf.s3", "{product} and its promise: {promise_lc}"),
            T("mf.s4", "the verdict card and '{cta}'"),
        ),
        "Stamp and cross-out",
        "the belief in type, a red cross-out, the fact stamped beside it",
        "Playful reveal",
        "a plucky, questioning riff that lands on a confident chord",
        (
            T("mf.h1", "Myth vs. fact: {product}"),
            T("mf.h2", "Fact: {fact1_short}"),
            T("mf.h3", "The facts about {product}"),
        ),
        needs="fact",
    ),
    Angle(
        "before_after",
        "Before / after",
        ("problem_aware", "unaware", "solution_aware", "most_aware"),
        "The contrast does the selling: the viewer sees the gap close",
        "before, the change, after, the ask",
        (
            T("ba.both", "Here's the before and the after."),
            T("ba.gap", "Spot the difference."),
            T("ba.change", "One change makes the difference."),
            T("ba.then", "Then, and now."),
            T("ba.side", "Side by side, the change is clear."),
        ),
        (
            T("ba.s1", "before: the same moment, the hard way"),
            T("ba.s2", "the change: {product} arrives"),
            T("ba.s3", "after: {promise_lc}"),
            T("ba.s4", "before and after side by side, then '{cta}'"),
        ),
        "Match cut",
        "the same frame twice: before in cold tones, after in warm ones",
        "Lift",
        "a muted intro that opens into a full, warm chorus on the after",
        (
            T("ba.h1", "Before {product}, and after"),
            T("ba.h2", "After: {promise_short}"),
            T("ba.h3", "The {product} difference"),
        ),
    ),
    Angle(
        "day_with",
        "Day in the life",
        ("unaware", "problem_aware", "most_aware"),
        "A small story holds attention longer than a list of features",
        "morning, the moment it matters, evening, the ask",
        (
            T("dw.day", "Spend a day with {product}."),
            T("dw.ordinary", "Follow one ordinary day."),
            T("dw.morning", "From morning to night, it fits in."),
            T("dw.real", "A real day, start to end."),
            T("dw.life", "Here's what a day looks like."),
        ),
        (
            T("dw.s1", "morning: the day starts"),
            T("dw.s2", "the moment it matters: {product}, {promise_lc}"),
            T("dw.s3", "later that day: {benefit1}"),
            T("dw.s4", "the day ends well, and '{cta}'"),
        ),
        "Day-in-the-life",
        "warm, natural light moving from morning to evening, one person, real places",
        "Easy-going",
        "a relaxed, sunny groove with light percussion",
        (
            T("dw.h1", "A day with {product}"),
            T("dw.h2", "Every day, {product}"),
            T("dw.h3", "Your day, with {product}"),
        ),
    ),
)
BY_ID: Mapping[str, Angle] = {a.id: a for a in ANGLES}


# A second turn per angle and stage (index = the stage's place, unaware first): more hooks to
# walk through on rerolls, still one stage's own words.
MORE_TURNS: Mapping[str, tuple[T, ...]] = {
    "problem_fix": (
        T("pf.m1", "Let's fix that."),
        T("pf.m2", "No more of that."),
        T("pf.m3", "Here's the answer."),
        T("pf.m4", "That can end today."),
        T("pf.m5", "Good news: it's fixable."),
    ),
    "demo": (
        T("dm.m1", "Watch closely."),
        T("dm.m2", "See it in action."),
        T("dm.m3", "Let's walk through it."),
        T("dm.m4", "Here's the inside view."),
        T("dm.m5", "Look how simple it is."),
    ),
    "testimonial": (
        T("ts.m1", "Others put it best: {proof}."),
        T("ts.m2", "Read this: {proof}."),
        T("ts.m3", "Proof, not promises: {proof}."),
        T("ts.m4", "Their verdict: {proof}."),
        T("ts.m5", "The word is out: {proof}."),
    ),
    "old_way": (
        T("ow.m1", "Retire the old way."),
        T("ow.m2", "Why settle for the old way?"),
        T("ow.m3", "The old way had its day."),
        T("ow.m4", "Meet the upgrade."),
        T("ow.m5", "Compare for yourself."),
    ),
    "offer": (
        T("of.m1", "Claim it: {offer_lc}."),
        T("of.m2", "On the table: {offer_lc}."),
        T("of.m3", "A good start: {offer_lc}."),
        T("of.m4", "Take this: {offer_lc}."),
        T("of.m5", "Here's the offer: {offer_lc}."),
    ),
    "founder": (
        T("fo.m1", "Real people made this."),
        T("fo.m2", "How it all began."),
        T("fo.m3", "A story worth hearing."),
        T("fo.m4", "From their hands to yours."),
        T("fo.m5", "The makers explain."),
    ),
    "reasons": (
        T("rs.m1", "Reasons? We have three."),
        T("rs.m2", "Three quick reasons."),
        T("rs.m3", "Let's count the reasons."),
        T("rs.m4", "Three points, one answer."),
        T("rs.m5", "Here's the short list."),
    ),
    "myth_fact": (
        T("mf.m1", "Let's bust a myth."),
        T("mf.m2", "Fact check time."),
        T("mf.m3", "Not what you think."),
        T("mf.m4", "Time for the facts."),
        T("mf.m5", "The truth is simpler."),
    ),
    "before_after": (
        T("ba.m1", "See the change."),
        T("ba.m2", "What a difference."),
        T("ba.m3", "Night and day."),
        T("ba.m4", "From this, to this."),
        T("ba.m5", "Watch the gap close."),
    ),
    "day_with": (
        T("dw.m1", "Come along for a day."),
        T("dw.m2", "Just one day, that's all."),
        T("dw.m3", "An everyday story."),
        T("dw.m4", "Morning to evening, together."),
        T("dw.m5", "A day you'll want again."),
    ),
}

# Angles each creative style and persuasion trigger leans on (the campaign's choice first).
STYLE_ANGLES: Mapping[str, tuple[str, ...]] = {
    "ugc": ("testimonial", "day_with", "demo"),
    "testimonial": ("testimonial", "before_after", "founder"),
    "cinematic": ("day_with", "founder", "before_after"),
    "storytelling": ("founder", "day_with", "before_after"),
    "problem_solution": ("problem_fix", "old_way", "before_after"),
    "before_after": ("before_after", "problem_fix", "old_way"),
    "listicle": ("reasons", "myth_fact", "demo"),
    "demo": ("demo", "old_way", "reasons"),
    "luxury_minimal": ("founder", "day_with", "demo"),
    "direct_response": ("offer", "problem_fix", "reasons"),
}
TRIGGER_ANGLES: Mapping[str, tuple[str, ...]] = {
    "reciprocity": ("offer", "demo"),
    "commitment": ("demo", "reasons"),
    "social_proof": ("testimonial", "before_after"),
    "authority": ("myth_fact", "reasons"),
    "liking": ("day_with", "founder"),
    "scarcity": ("offer",),
    "unity": ("founder", "testimonial"),
}

_FOUNDER = re.compile(
    r"\b(?:founders?|co-founders?|founded|makers?|started by|family[- ]run|family (?:atelier|"
    r"business|bakery|farm|workshop|kitchen)|our story|since (?:18|19|20)\d\d|hand-?made by|"
    r"chef[- ]owner|owner)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"«\s*[^»]{3,60}?\s*»|“[^”]{3,60}”")
_RATING = re.compile(
    r"\b\d(?:[.,]\d)?\s*(?:stars?|★)[^.;]{0,50}|"
    r"\brated\s+[^,.;]{3,40}",
    re.IGNORECASE,
)


def product_words(ctx: CopyContext) -> str:
    """The brief's own words about the product (not the audience pillar: a 'founder' there is
    the viewer, not the maker)."""
    return " ".join([ctx.description, ctx.inputs.get("messaging", ""), ctx.tagline])


def brief_proof(ctx: CopyContext) -> str:
    """Proof the brief gives, word for word (a quotation with its marks, a rating), or ''."""
    words = product_words(ctx)
    found = _QUOTE.search(words) or _RATING.search(words)
    return found.group(0).strip() if found else ""


def reasons(ctx: CopyContext) -> list[str]:
    """Up to three things to count, from the brief's benefits and facts."""
    out: list[str] = []
    for item in (*ctx.benefits, *ctx.facts):
        if item and all(item.lower() not in o.lower() for o in out):
            out.append(item)
    return out[:3]


def supports(angle: Angle, ctx: CopyContext) -> bool:
    """Whether the brief can carry the angle without inventing anything."""
    need = angle.needs
    if need == "offer":
        return bool(ctx.offer)
    if need == "proof":
        return bool(brief_proof(ctx))
    if need == "founder":
        return bool(_FOUNDER.search(product_words(ctx)))
    if need == "reasons":
        return len(reasons(ctx)) >= 3
    if need == "fact":
        return bool(ctx.facts)
    return True


def fit(angle: Angle, ctx: CopyContext) -> float:
    """Higher is better: the stage's fit, the campaign's style and its trigger."""
    score = 0.0
    if ctx.stage in angle.stages:
        score += 3 - angle.stages.index(ctx.stage) * 0.5
    style = STYLE_ANGLES.get(ctx.style, ())
    if angle.id in style:
        score += 2.5 - style.index(angle.id) * 0.5
    if angle.id in TRIGGER_ANGLES.get(ctx.trigger, ()):
        score += 1
    return score


def ranked_angles(ctx: CopyContext) -> list[Angle]:
    """The angles the brief supports that suit the stage, best fit first (always three or more:
    the stage-neutral angles fill in when a stage has fewer)."""
    able = [a for a in ANGLES if supports(a, ctx)]
    suited = [a for a in able if ctx.stage in a.stages]
    if len(suited) < 3:
        suited += [a for a in able if a not in suited][: 3 - len(suited)]
    return sorted(suited, key=lambda a: -fit(a, ctx))
