"""Readability: a syllable counter and the Flesch-Kincaid grade level.

Voiceover must read at or below US grade 8 (issue 3). The syllable counter is the usual
vowel-group heuristic with English corrections (silent final e, -le, -ed, -es); it is within
one syllable of a dictionary for almost all common words, which is all a grade needs.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from adloom.writer.text import sentences, words

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    """Estimated syllables in one English word (at least 1)."""
    folded = unicodedata.normalize("NFKD", word.lower())
    w = re.sub(r"[^a-z]", "", folded)
    if not w:
        return 1 if any(ch.isdigit() for ch in word) else 0
    if len(w) <= 3:
        return 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        count -= 1  # silent e: "make", "smooth-e"
    if w.endswith(("ed", "es")) and not w.endswith(
        ("ted", "ded", "ses", "zes", "ces", "ges", "xes", "shes", "ches")
    ):
        count -= 1 if len(_VOWEL_GROUPS.findall(w[:-2])) >= 1 and count > 1 else 0
    if re.search(r"[^aeiou]le$", w):
        count += 0 if count > 1 else 1
    if re.search(r"(ia|eo|ua|iet|crea)", w):
        count += 1  # two vowels, two syllables: "reliable", "create", "media", "quiet"
    return max(1, count)


def fk_grade(text: str) -> float:
    """Flesch-Kincaid grade level of ``text`` (0 for empty text)."""
    sents = [s for s in sentences(text) if words(s)]
    tokens = words(text)
    if not sents or not tokens:
        return 0.0
    syll = sum(_token_syllables(t) for t in tokens)
    return 0.39 * (len(tokens) / len(sents)) + 11.8 * (syll / len(tokens)) - 15.59


def _token_syllables(token: str) -> int:
    # "café-quality" counts as its parts; digits read as roughly one syllable per digit group.
    parts = [p for p in re.split(r"[-']", token) if p]
    return sum(syllables(p) for p in parts) or 1
