"""Normalised words, sentences and numbers for the copy critic's comparisons.

The critic compares copy with the brief after both are normalised the same way (Unicode NFC,
one kind of dash, quote and space, lower case), so that a typographic difference is never
mistaken for a changed fact, and a changed fact is never hidden by typography.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_DASHES = str.maketrans(
    {"–": "-", "—": "-", "‑": "-", "’": "'", "‘": "'", "\u00a0": " ", "\u202f": " "}
)
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]*\s+(?=[\"“«(]*[A-Z0-9À-Ý])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def norm(text: str) -> str:
    """Lower-case, NFC, plain dashes/quotes, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES).lower()
    return re.sub(r"\s+", " ", text).strip()


def word_list(text: str) -> list[str]:
    return _WORD.findall(norm(text))


def sentences_of(text: str) -> list[str]:
    """Sentences of a brief field, split after . ! ? or … followed by a capital."""
    flat = re.sub(r"\s+", " ", text).strip()
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def norm_sentences(text: str) -> list[str]:
    """Sentences as comparable keys: words only, so punctuation does not hide a repeat."""
    out = []
    for part in re.split(r"[.!?;…]+", text):
        words = word_list(part)
        if words:
            out.append(" ".join(words))
    return out


def numbers_in(text: str) -> set[str]:
    """Numbers as written values: '11,900' and '11 900' both give '11900'; '3.9' stays."""
    flat = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", text)
    out = set()
    for raw in _NUMBER.findall(flat):
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
            raw = raw.replace(",", "")
        out.add(raw.replace(",", ".").rstrip("."))
    return out


def has_phrase(text: str, phrase: Sequence[str]) -> bool:
    """Whether the words of ``phrase`` occur in ``text`` in a row."""
    words, size = word_list(text), len(phrase)
    return any(words[i : i + size] == list(phrase) for i in range(len(words) - size + 1))
