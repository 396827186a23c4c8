"""Grammar seams the copy critic catches: the joins where filled templates go wrong.

Articles are checked with ``inflect`` (its a/an rules know "an hour", "a user", "an MBA"),
not by first letter. The other checks are narrow on purpose: a doubled word, an article
before a determiner ("an every") or before a plural noun at the end of a phrase ("an expense
apps"), a past form after "to" or a modal ("has to bought"), and an article whose phrase is
left without its noun ("is a chocolatey, made for").
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator

import inflect

_TOKEN = re.compile(r"[^\W_]+(?:['’&-][^\W_]+)*|[.,;:!?…()\"“”«»]")
DETERMINERS = frozenset(
    [
        "every",
        "each",
        "all",
        "some",
        "any",
        "this",
        "that",
        "these",
        "those",
        "my",
        "your",
        "our",
        "their",
        "his",
        "its",
        "the",
        "a",
        "an",
        "no",
        "both",
        "many",
        "much",
        "most",
        "several",
    ]
)
# Words that end in -s without being plural nouns (or are plural only in form).
NOT_PLURAL = frozenset(
    [
        "bus",
        "lens",
        "canvas",
        "chaos",
        "yes",
        "its",
        "this",
        "us",
        "plus",
        "gas",
        "news",
        "series",
        "species",
        "means",
        "kudos",
        "thanks",
        "lots",
        "always",
        "perhaps",
        "has",
        "was",
        "does",
        "is",
        "his",
        "hers",
        "ours",
        "yours",
        "whereas",
        "alias",
        "atlas",
        "bias",
        "iris",
        "christmas",
        "physics",
        "mathematics",
        "analytics",
        "economics",
        "politics",
        "athletics",
        "aerobics",
        "pilates",
        "gymnastics",
        "electronics",
        "logistics",
        "diabetes",
        "crossroads",
        "headquarters",
        "odds",
        "overseas",
        "less",
        "across",
        "sometimes",
        "whereabouts",
        "gratis",
    ]
)
PHRASE_END = frozenset(
    [
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "…",
        ")",
        "that",
        "which",
        "who",
        "for",
        "with",
        "to",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "from",
        "by",
    ]
)
IRREGULAR_PAST = frozenset(
    [
        "bought",
        "made",
        "done",
        "gone",
        "taken",
        "given",
        "seen",
        "brought",
        "thought",
        "told",
        "sold",
        "found",
        "felt",
        "kept",
        "left",
        "built",
        "sent",
        "spent",
        "paid",
        "chose",
        "chosen",
        "ate",
        "eaten",
        "drove",
        "driven",
        "wrote",
        "written",
        "began",
        "begun",
        "knew",
        "known",
        "grew",
        "grown",
        "flew",
        "flown",
        "stood",
        "understood",
        "became",
        "got",
        "went",
        "came",
        "ran",
    ]
)
NOT_PAST = frozenset(
    [
        "need",
        "feed",
        "speed",
        "proceed",
        "exceed",
        "succeed",
        "bleed",
        "breed",
        "seed",
        "shred",
        "embed",
        "wed",
        "bed",
        "red",
    ]
)
MODALS = frozenset(
    ["to", "will", "can", "could", "should", "would", "must", "might", "may", "shall"]
)
DOUBLE_OK = frozenset({"had", "that", "bye", "ha", "knock", "very", "so", "no", "yes", "tick"})


@functools.lru_cache(maxsize=1)
def _engine() -> inflect.engine:
    return inflect.engine()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


@functools.lru_cache(maxsize=4096)
def expected_article(word: str) -> str:
    """'a' or 'an' for the word that follows, numbers read as words ('an 80', 'a 3-month')."""
    engine = _engine()
    lead = re.match(r"\d+", word)
    spoken = engine.number_to_words(lead.group(0)) if lead else word
    return str(engine.a(str(spoken))).split()[0].lower()


def _article_seams(toks: list[str]) -> Iterator[str]:
    for i, tok in enumerate(toks[:-1]):
        if tok.lower() not in {"a", "an"}:
            continue
        nxt = toks[i + 1]
        if nxt.lower() in DETERMINERS:
            yield f"'{tok} {nxt}': an article before a determiner"
        elif nxt[0].isalnum() and nxt[0] not in "€$£" and expected_article(nxt) != tok.lower():
            yield f"'{tok} {nxt}': should be '{expected_article(nxt)} {nxt}'"
        elif _plural_head(toks, i + 1):
            yield f"'{tok} {' '.join(toks[i + 1 : i + 3])}': an article before a plural"
        elif (
            len(toks) > i + 3
            and toks[i + 2] == ","
            and toks[i + 3].lower() in IRREGULAR_PAST | {"designed", "crafted"}
        ):
            yield f"'{tok} {nxt}, {toks[i + 3]}': the article's phrase lost its noun"


def _plural_head(toks: list[str], start: int) -> bool:
    """A plural noun within two words of the article that ends the phrase ('an expense apps')."""
    for offset in (0, 1):
        at = start + offset
        if at >= len(toks) or not toks[at][0].isalpha():
            return False
        word = toks[at]
        after = toks[at + 1].lower() if at + 1 < len(toks) else "."
        if after in PHRASE_END and _is_plural(word):
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _is_plural(word: str) -> bool:
    lowered = word.lower()
    if word[0].isupper() or lowered in NOT_PLURAL or not lowered.endswith("s"):
        return False
    if lowered.endswith(("ss", "us", "is", "'s", "’s")):
        return False
    singular = _engine().singular_noun(lowered)
    return bool(singular) and singular != lowered


def _doubled(toks: list[str]) -> Iterator[str]:
    words = [(i, t) for i, t in enumerate(toks) if t[0].isalnum() or t == ","]
    for (_, a), (_, b), (_, c) in zip(words, words[1:], words[2:], strict=False):
        if b == "," and a.lower() == c.lower() and a[0].isalpha() and a.lower() not in DOUBLE_OK:
            yield f"'{a}, {c}': a doubled word"
    for a, b in itertools.pairwise(toks):
        if a[0].isalpha() and a.lower() == b.lower() and a.lower() not in DOUBLE_OK:
            yield f"'{a} {b}': a doubled word"


def _verb_forms(toks: list[str]) -> Iterator[str]:
    for a, b in itertools.pairwise(toks):
        low = b.lower()
        past = low in IRREGULAR_PAST or (
            re.fullmatch(r"[a-z]{3,}ed", low) and low not in NOT_PAST and not low.endswith("eed")
        )
        if a.lower() in MODALS and past and not (a.lower() == "to" and low in {"used"}):
            yield f"'{a} {b}': a past form after '{a}'"


def grammar_seams(text: str) -> list[str]:
    """Every grammar seam found in ``text``, in plain words."""
    toks = tokens(text)
    return [*_doubled(toks), *_article_seams(toks), *_verb_forms(toks)]
