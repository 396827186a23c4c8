"""Caption cues from voiceover word timings: burned-in groups and SRT/VTT files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adloom.providers.tts import WordTiming

MAX_WORDS = 3
MAX_CHARS = 18


@dataclass(frozen=True)
class CaptionCue:
    """A few words shown together; ``words`` keep their own timings for the highlight."""

    words: tuple[WordTiming, ...]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def shifted(self, offset: float) -> CaptionCue:
        return CaptionCue(tuple(w.shifted(offset) for w in self.words))


def _ends_clause(word: str) -> bool:
    return word.rstrip('"”’)').endswith((".", "!", "?", ",", ";", ":", "—"))


def group_words(
    words: Sequence[WordTiming],
    *,
    max_words: int = MAX_WORDS,
    max_chars: int = MAX_CHARS,
    max_gap: float = 0.35,
) -> list[CaptionCue]:
    """Group words into short cues, breaking after punctuation, long pauses or the limits."""
    cues: list[CaptionCue] = []
    current: list[WordTiming] = []
    for word in words:
        if current:
            chars = len(" ".join(w.text for w in current)) + 1 + len(word.text)
            pause = word.start - current[-1].end
            if len(current) >= max_words or chars > max_chars or pause > max_gap:
                cues.append(CaptionCue(tuple(current)))
                current = []
        current.append(word)
        if _ends_clause(word.text):
            cues.append(CaptionCue(tuple(current)))
            current = []
    if current:
        cues.append(CaptionCue(tuple(current)))
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = max(0, round(seconds * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: Sequence[CaptionCue]) -> str:
    blocks = [
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[CaptionCue]) -> str:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)
