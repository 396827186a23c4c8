"""Numbers in a line of copy: which ones a counter may animate, and what a counting number
reads part-way (its thousands separator, decimals and unit kept).

Pure text functions, shared by the writer (which scenes get a counter) and the video painter.
Clock times, fractions, "24/7" and years are not counted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

COUNT_TIME = 0.9  # seconds a number takes to count up

# a number: digits with optional thousands groups and decimals ("11,900", "3.9", "1 200")
_NUMBER = re.compile(r"(?<![\d:/.,])(\d{1,3}(?:[,\u202f\u00a0]\d{3})+|\d+)([.,]\d+)?(?![\d:/])")
_YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class NumberSpan:
    start: int
    end: int
    value: float
    decimals: int
    group: str  # thousands separator used ("" when none)
    point: str  # decimal mark used


def number_spans(word: str) -> list[NumberSpan]:
    """The countable numbers in one word of a line (clock times, fractions and years left out)."""
    if re.search(r"\d[:/]\d|\d/\d", word) or re.search(r"\d+\s*(a\.?m|p\.?m)\b", word, re.IGNORECASE):
        return []
    spans = []
    for match in _NUMBER.finditer(word):
        whole, frac = match.group(1), match.group(2) or ""
        if _YEAR.match(whole) and not frac:
            continue
        group = next((c for c in whole if not c.isdigit()), "")
        digits = re.sub(r"\D", "", whole)
        value = float(digits + ("." + frac[1:] if frac else ""))
        spans.append(NumberSpan(match.start(), match.end(), value, len(frac) - 1 if frac else 0,
                                group, frac[:1]))
    return spans


_UNIT_AFTER = re.compile(r"(\d)\s+(%|‰|°[CF]?|[^\W\d_]{1,4}(?:/[^\W\d_]{1,2})?\b)", re.UNICODE)
_SIGN_BEFORE = re.compile(r"([€$£¥₹])\s+(\d)")


def attach_units(text: str) -> str:
    """Bind a number to its unit and currency sign with no-break spaces ("80 %", "35 min",
    "€ 5"), so a line never breaks between them and the counter keeps them together."""
    text = _SIGN_BEFORE.sub("\\1\u00a0\\2", text)
    return _UNIT_AFTER.sub("\\1\u00a0\\2", text)


_MONTHS = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?!\w)|\b{_MONTHS}\s+\d{{1,2}}"
                   r"(?:st|nd|rd|th)?\b", re.IGNORECASE)


def has_number(text: str) -> bool:
    """Whether the line has a number to count (a date's day is not one: "17 April")."""
    return any(number_spans(word) for word in _DATE.sub(" ", text).split())


def _format(span: NumberSpan, value: float) -> str:
    text = f"{value:.{span.decimals}f}"
    whole, _, frac = text.partition(".")
    if span.group and len(whole) > 3:
        head = len(whole) % 3 or 3
        groups = [whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)]
        whole = span.group.join(groups)
    return whole + (span.point + frac if frac else "")


def counting_text(word: str, progress: float) -> str:
    """``word`` with each of its numbers at ``progress`` (0..1) of its value; at 1 the word
    itself, character for character."""
    spans = number_spans(word)
    if not spans or progress >= 1:
        return word
    out, last = [], 0
    for span in spans:
        out.append(word[last:span.start])
        value = span.value * progress
        if span.decimals == 0:
            value = math.floor(value)
        out.append(_format(span, value))
        last = span.end
    out.append(word[last:])
    return "".join(out)


def count_progress(t: float, appears: float) -> float:
    """How far a number has counted ``t`` s into the scene when its word appears at
    ``appears``: an ease-out, so the last digits settle slowly as a counter does."""
    p = min(1.0, max(0.0, (t - appears) / COUNT_TIME))
    return 1 - (1 - p) ** 3
