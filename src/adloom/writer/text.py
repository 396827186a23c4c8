"""Small, careful text tools for the local writer: input hygiene, clauses, phrase trimming.

Everything a user typed passes through :func:`clean` before it reaches a template, so markup
(``<script>``), template syntax (``{{x}}``, ``{% %}``, ``${x}``) and bidi control characters
never reach the copy. The other helpers cut user phrases to fit a slot without breaking grammar:
they cut at clause boundaries and never leave a dangling "the", "and" or "with".
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SCRIPT_BLOCK = re.compile(
    r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^<>]*>")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\$\{[^}]*\}|\{%|%\}|\{\{|\}\}|\$\{")
_MARKUP_CHARS = re.compile(r"[<>{}\[\]`\\]")
_SPACE = re.compile(r"\s+")
# Bidi overrides/isolates and zero-width characters change how text renders without being text.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "for",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "it",
        "its",
        "it's",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "you",
        "your",
        "yours",
        "you're",
        "we",
        "our",
        "us",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "him",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "not",
        "no",
        "than",
        "then",
        "too",
        "very",
        "just",
        "also",
        "only",
        "more",
        "most",
        "less",
        "some",
        "any",
        "each",
        "every",
        "all",
        "both",
        "such",
        "own",
        "same",
        "other",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "if",
        "while",
        "because",
        "until",
        "up",
        "down",
        "out",
        "off",
        "again",
        "once",
        "here",
        "get",
        "gets",
        "got",
        "make",
        "makes",
        "one",
    ]
)
# Words that must not end a trimmed phrase ("a calm first hour with" -> "a calm first hour").
_DANGLING = STOPWORDS | {
    "without",
    "between",
    "through",
    "across",
    "against",
    "around",
    "like",
    "per",
    "via",
}
# A comma, colon or dash between digits is part of a number or a range ("11,900", "8:00",
# "0–100"), not a clause break.
_CLAUSE_BREAKS = re.compile(
    r"\s*(?:(?<!\d)[,:](?!\d)|[,:](?=\s)|[;()\u2014]|(?<!\d)\u2013(?!\d)|\s-\s|\bthat\b|\bwhich\b|"
    r"\bwho\b|\bwhile\b|\bbecause\b)\s*",
    re.IGNORECASE,
)
# Words a phrase can stop before without being cut: a new phrase starts there.
PHRASE_STARTS = frozenset(
    [
        "that",
        "which",
        "who",
        "whose",
        "where",
        "when",
        "while",
        "with",
        "without",
        "for",
        "and",
        "or",
        "but",
        "so",
        "because",
        "since",
        "to",
        "in",
        "at",
        "on",
        "from",
        "by",
        "as",
        "than",
        "if",
        "via",
        "plus",
        "including",
        "like",
        "after",
        "before",
        "until",
        "during",
        "within",
    ]
)


_SOFT_BREAKS = re.compile(r"\s+(?:with|for|from|and|when|if|so|to|between|by)\s+", re.IGNORECASE)


def clean(value: object) -> str:
    """Normalise one user field: NFC, no markup, no template syntax, single spaces."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = _SCRIPT_BLOCK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _TEMPLATE.sub(" ", text)
    text = _MARKUP_CHARS.sub(" ", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"\s+([,.!?;:])", r"\1", text)


def words(text: str) -> list[str]:
    """Word tokens (letters, digits, inner apostrophes and hyphens), any script."""
    return re.findall(r"[^\W_]+(?:['\-][^\W_]+)*", text)


def tokens(text: str) -> list[str]:
    return [w.lower() for w in words(text)]


def content_words(text: str) -> list[str]:
    return [w for w in tokens(text) if w not in STOPWORDS and (len(w) > 2 or w.isdigit())]


def sentences(text: str) -> list[str]:
    """Split prose into sentences (keeps decimals such as 2.5 together)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[^\W\d_]|\d)", text.strip())
    return [p.strip() for p in parts if p.strip()]


def strip_end(text: str) -> str:
    """Drop trailing punctuation and whitespace: 'Slow coffee.' -> 'Slow coffee'."""
    return re.sub(r"[\s.,;:!?\-\u2014\u2013]+$", "", text.strip())


def strip_dangling(text: str) -> str:
    """Remove trailing function words so a cut phrase ends on a content word."""
    parts = strip_end(text).split()
    while parts and strip_end(parts[-1]).lower() in _DANGLING:
        parts.pop()
    return strip_end(" ".join(parts))


def cap(text: str) -> str:
    """Capitalise the first letter only (keeps 'LaunchPad', 'iPhone' intact elsewhere)."""
    return text[:1].upper() + text[1:] if text else text


# Words English always capitalises, wherever they stand ("Trattoria: Sunday lunch £32").
_ALWAYS_CAPITAL = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "i",
    ]
)


def lower_first(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Lower-case the first word when it is an ordinary capitalised word ('Remote workers')."""
    if not text:
        return text
    first = text.split(" ", 1)[0]
    core = strip_end(first)
    ordinary_single = core in {"A"}
    if (
        core in keep
        or core.lower() in _ALWAYS_CAPITAL
        or (core.upper() == core and not ordinary_single)
        or any(ch.isupper() for ch in core[1:])
    ):
        return text
    return first[:1].lower() + text[1:]


def sentence(text: str, end: str = ".") -> str:
    """Make a clean sentence: capitalised, one terminal mark."""
    body = strip_end(text)
    return f"{cap(body)}{end}" if body else ""


def first_clause(text: str) -> str:
    parts = [p for p in _CLAUSE_BREAKS.split(text) if p and p.strip()]
    return strip_dangling(parts[0]) if parts else ""


def short_phrase(text: str, max_words: int = 6, longest: int | None = None) -> str:
    """Cut a phrase to at most ``max_words`` words, preferring a clause boundary; a whole
    phrase of up to ``longest`` words (default ``max_words`` + 2) rather than a cut one, and
    empty when there is none."""
    body = strip_end(text)
    if len(body.split()) <= max_words:
        return body
    clause = first_clause(body)
    if clause and 2 <= len(clause.split()) <= max_words:
        return clause
    base = clause or body
    for match in reversed(list(_SOFT_BREAKS.finditer(base))):
        prefix = strip_end(base[: match.start()])
        if prefix != strip_dangling(prefix):
            continue  # "A rack when you want it" is whole; without "it" it is cut
        if 2 <= len(prefix.split()) <= max_words:
            return prefix
    safe = safe_prefix(body, max_words)
    if safe:
        return safe
    # No phrase ends inside the limit: a phrase one or two words longer reads better than a
    # cut one ("20 % off all duvet sets", not "20 % off all duvet"); past that, nothing, and
    # the caller writes the line from another phrase (issue 18: never truncate).
    for size in range(max_words + 1, (max_words + 2 if longest is None else longest) + 1):
        if clause and len(clause.split()) <= size and _balanced(clause):
            return clause
        safe = safe_prefix(body, size)
        if safe:
            return safe
    return ""


def safe_prefix(text: str, max_words: int) -> str:
    """The longest prefix of at most ``max_words`` words that ends where a phrase may end:
    before a word that starts a new phrase, with quotes and brackets closed, not on a number
    or a function word. Empty when there is none of two words or more."""
    parts = text.split()
    for size in range(min(max_words, len(parts) - 1), 1, -1):
        prefix, following = " ".join(parts[:size]), parts[size].lower()
        last = strip_end(parts[size - 1])
        if (
            following in PHRASE_STARTS
            and _balanced(prefix)
            and not last[-1:].isdigit()
            and last.lower() not in _DANGLING
        ):
            return strip_end(prefix)
    return ""


def _balanced(text: str) -> bool:
    pairs = (("«", "»"), ("“", "”"), ("(", ")"), ("[", "]"))
    return text.count('"') % 2 == 0 and all(text.count(a) == text.count(b) for a, b in pairs)


def fit_chars(text: str, limit: int) -> str:
    """Cut at a word boundary to ``limit`` characters, never mid-word unless one word is longer."""
    body = strip_end(text)
    if len(body) <= limit:
        return body
    clause = first_clause(body)
    if clause and len(clause) <= limit and len(clause.split()) >= 2:
        return clause
    words_that_fit = len(fit_words(body, limit))
    safe = safe_prefix(body, words_that_fit) if words_that_fit >= 2 else ""
    if safe:
        return safe
    return ""  # no phrase of the text fits: the caller says it another way, never cut


def fit_words(text: str, limit: int) -> list[str]:
    """The leading words of ``text`` that fit in ``limit`` characters."""
    kept: list[str] = []
    for word in text.split():
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    return kept


@functools.lru_cache(maxsize=16384)
def word_count(text: str) -> int:
    return len(words(text))


def join_list(items: list[str]) -> str:
    """'a', 'b', 'c' -> 'a, b and c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
