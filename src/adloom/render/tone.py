"""A brand's tone words, mapped to the nearest of five visual tone families.

Briefs describe tone in their own words ("thrilling", "cosy", "clinical", "luxurious"); the
renderers know five families. Each family is a word list (stems, matched at the start of a
word), and a tone goes to the family with the most hits, earlier words weighing more (a brief
lists its main tone first). Words that match no list do not vote.
"""

from __future__ import annotations

import re
from typing import Literal

ToneFamily = Literal["bold", "elegant", "calm", "confident", "playful"]

TONE_WORDS: dict[ToneFamily, tuple[str, ...]] = {
    "bold": (
        "bold", "energetic", "energis", "energiz", "loud", "punch", "urgent", "thrill", "exciting",
        "excit", "dynamic", "fierce", "gritty", "intense", "powerful", "edgy", "daring", "sudden",
        "fast", "electric", "rebel", "raw", "no-nonsense", "hype", "adventur", "vibrant", "sporty",
        "athletic", "high-energy", "unapologetic", "provocative", "festive",
    ),
    "elegant": (
        "elegan", "premium", "refined", "luxur", "lux", "minimal", "sophisticat", "exclusive",
        "understated", "timeless", "classic", "chic", "polished", "sleek", "artisan", "crafted",
        "sensory", "effortless", "romantic", "poetic", "quiet", "precise", "tasteful", "discreet",
        "aspirational", "french", "couture", "curated",
    ),
    "calm": (
        "calm", "warm", "gentle", "caring", "soft", "unhurried", "reassur", "cosy", "cozy",
        "comfort", "soothing", "peace", "serene", "tender", "nurtur", "kind", "heartfelt",
        "hopeful", "sincere", "nostalg", "homely", "grounded", "mindful", "relax", "patient",
        "compassion", "affectionate", "airy", "sunlit", "coastal", "natural", "honest", "local",
    ),
    "confident": (
        "confident", "professional", "expert", "trust", "clear", "technical", "clinical",
        "science", "scientific", "data", "numbers", "practical", "plain", "direct", "steady",
        "authoritative", "reliable", "efficient", "crisp", "sharp", "modern", "smart", "safety",
        "secure", "precise", "rational", "straightforward", "dry", "serious", "corporate",
    ),
    "playful": (
        "playful", "fun", "cheer", "witty", "quirky", "cheeky", "bright", "light", "joy",
        "upbeat", "friendly", "curious", "silly", "whimsical", "sunny", "happy", "family",
        "encouraging", "easy", "lively", "colourful", "colorful", "youthful", "muddy", "outdoorsy",
        "generous",
    ),
}

_WORD = re.compile(r"[a-z][a-z-]*")


def tone_words(tone: str) -> list[str]:
    return _WORD.findall(tone.lower())


def family_scores(tone: str) -> dict[ToneFamily, float]:
    """Votes per family: each tone word votes for every family whose list has a stem of it;
    the first word weighs 3, the second 2, the rest 1."""
    scores: dict[ToneFamily, float] = {}
    for position, word in enumerate(tone_words(tone)):
        weight = max(1.0, 3.0 - position)
        for family, stems in TONE_WORDS.items():
            if any(word.startswith(stem) for stem in stems):
                scores[family] = scores.get(family, 0.0) + weight
    return scores


def tone_family(tone: str) -> ToneFamily | None:
    """The family a tone is nearest to; None when no word of it is known."""
    scores = family_scores(tone)
    if not scores:
        return None
    order = tuple(TONE_WORDS)
    return max(scores, key=lambda f: (scores[f], -order.index(f)))
