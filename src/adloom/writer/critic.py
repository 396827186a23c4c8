"""The copy critic: checks every text a project will show or speak against its brief.

A demanding creative director rejects copy for a handful of reasons that can be checked
mechanically: a phrase cut in the middle, event words in an ad with no event, a call to action
that contradicts the business, claims the brief never made, facts the brief gave that no asset
shows, targeting notes read to the viewer, grammar seams, symbols and accents lost on the way,
and three "ideas" that are one idea. Each reason is a rule (``RULES``); each rule is a pure
function over :class:`BriefFacts` and :class:`CopyText` items and returns :class:`Violation`
objects, so the critic runs the same way on the local writer's output, an LLM's output and
text the user edited. The rules are written to be strict about the faults named in the issue
and quiet about ordinary copy; ``tests/creative/test_critic_rules.py`` keeps both promises.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from adloom.writer.critic_facts import (
    FACT_NAMES,
    check_asset_facts,
    fact_present,
    specs_of,
)
from adloom.writer.critic_grammar import grammar_seams
from adloom.writer.critic_types import (
    RULES,
    BriefFacts,
    CopyText,
    Violation,
    facts_from_request,
    facts_from_snapshot,
    normed_sources,
)
from adloom.writer.critic_words import (
    has_phrase,
    norm,
    norm_sentences,
    word_list,
)
from adloom.writer.text import PHRASE_STARTS

# ----------------------------------------------------------------------------- (a) cut

_OPENERS = {"«": "»", "“": "”", "(": ")", "[": "]", "‹": "›", "„": "“"}
DANGLING = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "nor",
        "but",
        "&",
        "my",
        "your",
        "our",
        "their",
        "its",
        "with",
        "from",
        "than",
        "via",
        "per",
        "into",
        "onto",
        "whose",
        "is",
        "are",
        "was",
        "«",
        "“",
        "„",
        "(",
    ]
)
_UNIT = re.compile(
    r"^\s?(?:[%‰°€$£]|:\d|[–-]\s?\d|(?:km/h|km|mph|kg|g|mg|ml|l|cl|m|cm|mm|s|sec|min|mins|h|hr|"
    r"hrs|kw|kwh|w|pm|am|hours?|minutes?|seconds?|days?|weeks?|months?|years?|nights?|people|"
    r"pages|miles|litres?|liters?|euros?|dollars?|pounds?)\b)",
    re.IGNORECASE,
)
# Words a brief phrase can stop before without being cut: where the writer may end a phrase
# (``text.PHRASE_STARTS``) plus prepositions a reader also hears as a new phrase.
_BOUNDARY_WORDS = PHRASE_STARTS | frozenset(
    ["about", "across", "around", "between", "except", "near", "over", "per", "till", "under"]
)


def _unbalanced(text: str) -> str | None:
    for opener, closer in _OPENERS.items():
        if opener == "„":
            continue
        if text.count(opener) != text.count(closer):
            return f"an unmatched {opener}{closer}"
    if text.count('"') % 2:
        return 'an unmatched "'
    return None


def _dangling_end(text: str) -> str | None:
    body = text.rstrip(" .,;:!?…")
    tokens = body.split()
    if not tokens:
        return None
    last = tokens[-1].lower()
    if tokens[-1] == "A" and len(tokens) > 1 and not body.isupper():
        last = ""  # a grade or a class ("EPC rating A"), not an article
    if (
        last in DANGLING
        or body.endswith(tuple(_OPENERS))
        or body.endswith('"')
        and text.count('"') % 2
    ):
        return f"it ends on '{tokens[-1]}'"
    if text.lstrip().startswith(("…", "...")):
        return "it starts with an ellipsis, the sign of a cut"
    return None


def _number_cut(text: str, brief: str) -> str | None:
    """A number at the end of the text whose unit the brief always writes right after it."""
    match = re.search(r"(\d[\d.,]*)\W*$", text)
    if not match:
        return None
    number = match.group(1).rstrip(".,")
    following = [
        brief[m.end() : m.end() + 12]
        for m in re.finditer(rf"(?<![\d.,]){re.escape(number)}(?![\d])", brief)
    ]
    if following and all(_UNIT.match(rest) for rest in following):
        return f"'{number}' is cut from its unit ('{number}{following[0].split()[0] if following[0].strip() else ''}…' in the brief)"
    return None


def _truncated(text: str, sources: tuple[str, ...]) -> str | None:
    """The text is a proper prefix of a brief phrase, cut where the phrase does not break."""
    stem = norm(text.rstrip(" .,;:!?…\"”»'"))
    pairs = normed_sources(sources)
    if len(stem.split()) < 2 or any(full == stem for _, full in pairs):
        return None
    for source, full in pairs:
        if not full.startswith(stem) or len(full) == len(stem):
            continue
        rest = full[len(stem) :]
        if rest[0] in ":.," and rest[1:2].isdigit():
            return f"it cuts the number '{stem.split()[-1]}{rest.split()[0]}' of the brief"
        if rest[0].isalnum():
            return f"it cuts the word '{stem.split()[-1]}{rest.split()[0]}' of the brief"
        next_word = rest.split()[0] if rest.split() else ""
        if rest[0] == " " and next_word[:1].isalnum() and next_word not in _BOUNDARY_WORDS:
            return f"it stops before '{next_word}' of the brief phrase '{source.strip()[:60]}'"
    return None


def rule_cut(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    text = item.text.strip()
    for reason in (
        _unbalanced(text),
        _dangling_end(text),
        _number_cut(text, facts.all_text),
        _truncated(text, facts.source_phrases),
    ):
        if reason:
            yield Violation("cut", item.text, item.role, f"Cut mid-phrase: {reason}.", item.where)
            return


# ----------------------------------------------------------------------------- (b) event words

EVENT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("save a seat", re.compile(r"\bsave (?:my|your|a|our) (?:seat|spot|place)\b", re.IGNORECASE)),
    ("join us live", re.compile(r"\bjoin us live\b", re.IGNORECASE)),
    ("LIVE", re.compile(r"\bLIVE\b")),
    (
        "live on a day",
        re.compile(
            r"\blive (?:on |this |next )?(?:mon|tue|wed|thu|fri|sat|sun)\w*\b|\blive (?:event|session|stream|webinar|q&a|class)\b",
            re.IGNORECASE,
        ),
    ),
    ("register", re.compile(r"\bregist(?:er|ration|ered)\b", re.IGNORECASE)),
    ("rsvp", re.compile(r"\brsvp\b", re.IGNORECASE)),
    ("webinar", re.compile(r"\bwebinar\b", re.IGNORECASE)),
    ("seats left", re.compile(r"\bseats? (?:are )?(?:limited|left|going)\b", re.IGNORECASE)),
)


def rule_event_words(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    if facts.has_event:
        return
    brief = facts.claims_text
    for label, pattern in EVENT_PATTERNS:
        if pattern.search(item.text) and not pattern.search(brief):
            yield Violation(
                "event_words",
                item.text,
                item.role,
                f"Event words ('{label}') but the brief has no event.",
                item.where,
            )
            return


# ----------------------------------------------------------------------------- (c) CTA fit

_CTA_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "shop",
        re.compile(
            r"\b(?:shop|buy|add to (?:cart|basket)|order (?:now|online)|checkout)\b", re.IGNORECASE
        ),
    ),
    ("install", re.compile(r"\b(?:get the app|download|install)\b", re.IGNORECASE)),
    ("donate", re.compile(r"\b(?:donate|give now|give today)\b", re.IGNORECASE)),
    (
        "seat",
        re.compile(r"\bsave (?:my|your|a) (?:seat|spot)\b|\bregister\b|\brsvp\b", re.IGNORECASE),
    ),
    ("trial", re.compile(r"\btrial\b", re.IGNORECASE)),
    ("free", re.compile(r"\bfree\b", re.IGNORECASE)),
)
# The goal the brief states, read from the Goals pillar ("success is ..." first), most
# specific first. The critic reads it itself so that it does not inherit the writer's mistakes.
GOAL_WORDS: tuple[tuple[str, str], ...] = (
    ("donate", r"donat|sponsor|\bgift"),
    ("install", r"install|download"),
    ("trial", r"\btrial"),
    ("booking", r"\bbook|reserv|appointment|test[- ](?:ride|drive)|viewing"),
    ("lead", r"\bdemo\b|quote|consultation|scoping call|\bcalls?\b"),
    ("walk_in", r"walk-?in|footfall|through the door|visits"),
    ("tickets", r"ticket"),
    ("registration", r"registration|register|sign-?ups?\b|rsvp"),
    ("purchase", r"purchase|order|sale|buy|subscription"),
)
_WALK_IN = frozenset({"restaurant", "local_business"})
_NO_SHOP_GOALS = frozenset(
    {"donate", "install", "trial", "booking", "lead", "walk_in", "registration"}
)
_NO_SEAT_GOALS = frozenset({"walk_in", "purchase", "install", "donate", "trial", "tickets"})


def goal_class(goals: str) -> str:
    """The brief's goal: donate, install, trial, booking, lead, walk_in, tickets, registration,
    purchase, or '' when the Goals pillar says nothing the critic recognises."""
    lowered = goals.lower()
    success = re.search(r"(?:success is|goal is|measured by|kpi is)\s+(.+)", lowered)
    for text in ([success.group(1)] if success else []) + [lowered]:
        for goal, pattern in GOAL_WORDS:
            if re.search(pattern, text):
                return goal
    return ""


def _cta_problem(cta_class: str, facts: BriefFacts) -> str | None:
    brief = facts.claims_text.lower()
    goal = goal_class(facts.goals)
    online = re.search(
        r"\b(?:order online|delivery|deliver|shop|online store|webshop|e-?shop)\b", brief
    )
    if cta_class == "shop" and (goal in _NO_SHOP_GOALS or facts.business_type == "nonprofit"):
        return f"a shopping CTA but the goal is {goal.replace('_', '-') or 'a donation'}"
    if cta_class == "shop" and facts.business_type in _WALK_IN and not online:
        return "a shopping CTA for a walk-in business"
    if (
        cta_class == "install"
        and facts.business_type != "mobile_app"
        and not re.search(r"\bapp\b", brief)
    ):
        return "an app CTA but the brief sells no app"
    if cta_class == "donate" and facts.business_type != "nonprofit" and goal != "donate":
        return "a donation CTA but the brief asks for no donation"
    if cta_class == "seat" and facts.has_event and goal in _NO_SEAT_GOALS:
        return f"an event sign-up CTA but the goal is {goal.replace('_', '-')}"
    if cta_class == "trial" and not re.search(r"\b(?:trial|free)\b", brief):
        return "a trial CTA but the brief offers no trial"
    if cta_class == "free" and facts.price and not re.search(r"\bfree\b", brief):
        return f"'free' in the CTA but the brief has a price ({facts.price})"
    return None


def rule_cta_mismatch(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    if item.role != "cta":
        return
    for cta_class, pattern in _CTA_CLASSES:
        problem = pattern.search(item.text) and _cta_problem(cta_class, facts)
        if problem:
            yield Violation(
                "cta_mismatch",
                item.text,
                item.role,
                f"CTA contradicts the brief: {problem}.",
                item.where,
            )
            return


# ----------------------------------------------------------------------------- (d) invented claims

CLAIM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("NEW badge", re.compile(r"\bNEW\b|\bnew!")),
    (
        "limited offer",
        re.compile(
            r"\blimited(?:[- ]time)?(?: offer| edition| stock| spots| places)?\b", re.IGNORECASE
        ),
    ),
    (
        "social proof",
        re.compile(
            r"\b(?:plenty of|thousands of|millions of|so many) (?:people|customers|users|families)\b|\b(?:most|many|lots of|other) people like you\b|\bloved by\b|\btrusted by\b|\beveryone(?:'s| is) (?:talking|switching)\b|\bfeel exactly the same\b",
            re.IGNORECASE,
        ),
    ),
    ("no-catch claim", re.compile(r"\bthe catch\b|\bno catch\b|\bno strings\b", re.IGNORECASE)),
    (
        "guarantee",
        re.compile(
            r"\bguarantee[ds]?\b|\bmoney[- ]back\b|\brisk[- ]free\b|\bno[- ]risk\b", re.IGNORECASE
        ),
    ),
    (
        "ranking",
        re.compile(
            r"#\s?1\b|\bnumber one\b|\bno\. ?1\b|\bbest[- ]?sell(?:ing|er)s?\b|\baward[- ]winning\b|\bclinically proven\b",
            re.IGNORECASE,
        ),
    ),
    (
        "scarcity",
        re.compile(
            r"\bonly \d+ left\b|\bselling (?:out )?fast\b|\bwhile (?:stocks?|supplies) last\b|\bhurry\b|\blast chance\b|\balmost gone\b",
            re.IGNORECASE,
        ),
    ),
)


def rule_invented_claim(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    brief = facts.claims_text
    for label, pattern in CLAIM_PATTERNS:
        if (
            pattern.search(item.text)
            and not pattern.search(brief)
            and not _grounded_new(label, brief)
        ):
            yield Violation(
                "invented_claim",
                item.text,
                item.role,
                f"Invented claim ({label}): the brief does not support it.",
                item.where,
            )
            return
    if item.role == "badge" and not set(word_list(item.text)) <= set(word_list(facts.all_text)):
        yield Violation(
            "invented_claim",
            item.text,
            item.role,
            "A badge with words the brief does not give.",
            item.where,
        )


def _grounded_new(label: str, brief: str) -> bool:
    return label == "NEW badge" and bool(
        re.search(r"\b(?:new|launch\w*|just opened|introducing)\b", brief, re.IGNORECASE)
    )


# ----------------------------------------------------------------------------- (f) targeting

_DEMOGRAPHIC = (
    re.compile(r"\baged?\s+\d{1,2}\s*(?:[-–—]|to)\s*\d{1,2}\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}\s*[-–]\s*\d{1,2}[- ]year[- ]olds?\b", re.IGNORECASE),
    re.compile(
        r"\bwith\s+\d[\d,]*\s*(?:[-–]|to)\s*\d[\d,]*\s+(?:staff|employees|people|seats|workers)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bin (?:their|your) (?:early |mid |late )?(?:\d0s|twenties|thirties|forties|fifties|sixties)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bhousehold income\b|\bdemographic\b|\btarget audience\b|\bsegment\b", re.IGNORECASE
    ),
)


def audience_segment(audience: str) -> str:
    """The audience pillar's segment description: its words up to 'who', a comma or a stop."""
    first = re.split(r"[.,;:]|\bwho\b|\bthat\b|\bwhose\b", audience.strip(), maxsplit=1)[0]
    return first.strip()


def rule_targeting_quoted(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    for pattern in _DEMOGRAPHIC:
        found = pattern.search(item.text)
        if found and not pattern.search(facts.claims_text):
            yield Violation(
                "targeting_quoted",
                item.text,
                item.role,
                f"Targeting note read to the viewer ('{found.group(0)}').",
                item.where,
            )
            return
    segment = word_list(audience_segment(facts.audience))
    made_for = re.search(
        r"\b(?:made|built|designed) for ((?:\S+\s*){1,6})", item.text, re.IGNORECASE
    )
    if len(segment) >= 3 and (
        has_phrase(item.text, segment) or made_for and _segmentish(made_for.group(1), segment)
    ):
        yield Violation(
            "targeting_quoted",
            item.text,
            item.role,
            "The audience pillar's segment description is quoted to the viewer.",
            item.where,
        )


def _segmentish(tail: str, segment: Sequence[str]) -> bool:
    words = word_list(tail)
    return len(words) >= 2 and words[:2] == list(segment[:2])


# ----------------------------------------------------------------------------- (g) grammar


def rule_grammar(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    for reason in grammar_seams(item.text):
        yield Violation("grammar", item.text, item.role, f"Grammar seam: {reason}.", item.where)
        return


# ----------------------------------------------------------------------------- (h) symbols lost


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=64)
def special_tokens(brief: str) -> tuple[tuple[str, str], ...]:
    """(original, folded) for accented words and '&' or «» phrases of the brief."""
    out: list[tuple[str, str]] = []
    for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", brief):
        if _fold(word) != word:
            out.append((word, _fold(word)))
    for left, right in re.findall(r"([^\W\d_]+)\s*&\s*([^\W\d_]+)", brief):
        out.append((f"{left} & {right}", f"{left} {right}"))
    for quoted in re.findall(r"«\s*([^»]{2,80}?)\s*»", brief):
        out.append((f"«{quoted}»", quoted))
    return tuple(out)


def rule_symbol_lost(facts: BriefFacts, item: CopyText) -> Iterable[Violation]:
    text = unicodedata.normalize("NFC", item.text)
    plain = re.sub(r"\s*(?:&|\band\b|[«»“”\"])\s*", " ", _fold(text).lower())
    for original, folded in special_tokens(unicodedata.normalize("NFC", facts.all_text)):
        spaced = r"\s+".join(re.escape(w) for w in re.findall(r"[^\W_]+", folded.lower()))
        if _kept(original, text):
            continue
        if re.search(rf"(?<!\w){spaced}(?!\w)", plain):
            yield Violation(
                "symbol_lost",
                item.text,
                item.role,
                f"The brief writes '{original}'; this text lost its symbol or accent.",
                item.where,
            )
            return


def _kept(original: str, text: str) -> bool:
    if original.startswith("«"):
        inner = original[1:-1]
        return f"«{inner}»" in text or f"« {inner} »" in text or (inner in text and "«" in text)
    if "&" in original:
        return re.sub(r"\s*&\s*", "&", original) in re.sub(r"\s*&\s*", "&", text)
    return original.lower() in text.lower()


# ----------------------------------------------------------------------------- (i) same idea


def check_ideas(ideas: Sequence[Mapping[str, str]]) -> list[Violation]:
    """Rule (i): no identical hooks, and no sentence shared between two ideas (one violation
    per pair of ideas, naming how many sentences they share and the first of them)."""
    out: list[Violation] = []
    hooks = [norm(i.get("hook", "")) for i in ideas]
    for index, hook in enumerate(hooks):
        if hook and hook in hooks[:index]:
            out.append(
                Violation(
                    "same_idea",
                    ideas[index]["hook"],
                    "hook",
                    "Two ideas open on the same hook.",
                    f"ideas[{index}].hook",
                )
            )
    keys = [_idea_sentences(idea) for idea in ideas]
    for a in range(len(ideas)):
        for b in range(a + 1, len(ideas)):
            shared = sorted(keys[a] & keys[b])
            if shared:
                out.append(
                    Violation(
                        "same_idea",
                        shared[0],
                        "idea",
                        f"Ideas {a + 1} and {b + 1} share {len(shared)} sentence(s).",
                        f"ideas[{b}]",
                    )
                )
    return out


def _idea_sentences(idea: Mapping[str, str]) -> set[str]:
    fields = ("hook", "reasoning", "narrative", "visuals", "sonic")
    return {s for f in fields for s in norm_sentences(idea.get(f, "")) if len(s.split()) >= 3}


def shared_sentences(ideas: Sequence[Mapping[str, str]]) -> int:
    """How many sentences appear in more than one idea (the bench's figure)."""
    counts: dict[str, int] = {}
    for idea in ideas:
        for sentence in _idea_sentences(idea):
            counts[sentence] = counts.get(sentence, 0) + 1
    return sum(1 for n in counts.values() if n > 1)


# ----------------------------------------------------------------------------- running it

TextRule = Callable[[BriefFacts, CopyText], Iterable[Violation]]
TEXT_RULES: Mapping[str, TextRule] = {
    "cut": rule_cut,
    "event_words": rule_event_words,
    "cta_mismatch": rule_cta_mismatch,
    "invented_claim": rule_invented_claim,
    "targeting_quoted": rule_targeting_quoted,
    "grammar": rule_grammar,
    "symbol_lost": rule_symbol_lost,
}


def check_texts(facts: BriefFacts, texts: Iterable[CopyText]) -> list[Violation]:
    """Every text rule on every text."""
    return [
        v
        for item in texts
        if item.text.strip()
        for rule in TEXT_RULES.values()
        for v in rule(facts, item)
    ]


def check_kind(facts: BriefFacts, wants: Sequence[str], texts: Sequence[CopyText]) -> list[Violation]:
    """Text rules plus the per-asset fact check (the facts ``wants`` names, the kind's
    ``KindCopy.facts``) for each asset the texts belong to."""
    out = check_texts(facts, texts)
    for asset in dict.fromkeys(t.asset for t in texts if t.asset):
        out += check_asset_facts(facts, wants, asset, [t for t in texts if t.asset == asset])
    return out


__all__ = [
    "FACT_NAMES",
    "RULES",
    "BriefFacts",
    "CopyText",
    "Violation",
    "check_asset_facts",
    "check_ideas",
    "check_kind",
    "check_texts",
    "fact_present",
    "facts_from_request",
    "facts_from_snapshot",
    "shared_sentences",
    "specs_of",
]
