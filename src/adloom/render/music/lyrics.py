"""The tagline as sung syllables: syllable counts, stresses and phrase breaks, by rule.

English heuristics good enough for short taglines: vowel groups make syllables (a silent final
"e" does not), monosyllabic function words are unstressed, content words carry stress on the
first syllable unless an unstressed prefix or a "-tion"-type suffix moves it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "for",
        "nor",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "be",
        "it",
        "its",
        "your",
        "you",
        "my",
        "our",
        "we",
        "us",
        "me",
        "i",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "their",
        "this",
        "that",
        "than",
        "so",
        "if",
        "into",
        "onto",
        "up",
        "all",
    ]
)
_UNSTRESSED_PREFIXES = ("a", "be", "de", "re", "un", "con", "com", "ex", "pre", "pro", "for")
_STRESS_BEFORE_SUFFIX = ("tion", "sion", "cian", "ic", "ity", "ial", "ious")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# A word is any run of letters (accented ones too: "Crème"), digits, apostrophes and hyphens,
# with the quotes around it ("«Olé»") and the punctuation after it; "&" is a word ("and").
_TOKEN = re.compile(r"[«“\"(]*[€$£]?(?:[^\W_]|['’\-])+[€$£%]?[»”\")]*[.,!?;:…]*|&")


@dataclass(frozen=True)
class Syllable:
    """One sung syllable: the word it belongs to and whether it carries stress."""

    word_index: int
    index_in_word: int
    syllables_in_word: int
    stressed: bool
    break_after: bool  # the word ends a phrase (punctuation): leave a breath after it


@dataclass(frozen=True)
class Lyric:
    text: str
    words: tuple[str, ...]
    syllables: tuple[Syllable, ...]

    @property
    def stressed_count(self) -> int:
        return sum(s.stressed for s in self.syllables)

    @property
    def breaks(self) -> int:
        """Phrase breaks inside the line (punctuation between words)."""
        return sum(s.break_after for s in self.syllables)


def count_syllables(word: str) -> int:
    """Vowel groups in ``word``, minus a silent final e; digits count one per digit group."""
    clean = re.sub(r"[^a-z0-9]", "", _ascii_letters(word.lower()))
    if not clean:
        return 1
    if clean.isdigit():
        return max(1, len(clean))
    groups = len(_VOWEL_GROUP.findall(clean))
    if clean.endswith("e") and not clean.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    if (
        clean.endswith("es")
        and not clean.endswith(("ses", "zes", "ches", "shes", "ges", "ces"))
        and groups > 1
    ):
        groups -= 1
    return max(1, groups)


def _ascii_letters(word: str) -> str:
    """``word`` with accents taken off its letters ("brûlée" -> "brulee") for counting."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stress_index(word: str, count: int) -> int:
    """Which syllable of ``word`` carries primary stress (0-based)."""
    lower = _ascii_letters(word.lower()).strip(".,!?;:…'’«»“”\"()")
    if count == 1:
        return 0
    for suffix in _STRESS_BEFORE_SUFFIX:
        if lower.endswith(suffix) and count >= 2:
            return max(0, count - 2)
    if (
        lower.startswith(_UNSTRESSED_PREFIXES)
        and count >= 2
        and not lower.startswith(("every", "ever"))
    ):
        return 1
    return 0


def parse_lyric(text: str) -> Lyric:
    """Split a tagline into words and syllables with stresses and phrase breaks."""
    tokens = _TOKEN.findall(text)
    words = tuple(token.rstrip(".,!?;:…") for token in tokens)
    syllables: list[Syllable] = []
    for index, (token, word) in enumerate(zip(tokens, words, strict=True)):
        count = count_syllables(word)
        stressed_at = stress_index(word, count)
        function = word.lower() in FUNCTION_WORDS and count == 1
        ends_phrase = token != word and index < len(tokens) - 1
        for i in range(count):
            syllables.append(
                Syllable(
                    word_index=index,
                    index_in_word=i,
                    syllables_in_word=count,
                    stressed=(i == stressed_at) and not function,
                    break_after=ends_phrase and i == count - 1,
                )
            )
    if syllables and not any(s.stressed for s in syllables):
        first = syllables[0]
        syllables[0] = Syllable(
            first.word_index, first.index_in_word, first.syllables_in_word, True, first.break_after
        )
    return Lyric(text=text, words=words, syllables=tuple(syllables))
