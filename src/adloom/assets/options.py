"""The options every kind understands, and the list helpers each kind's own options use.

Options arrive as strings from the CLI (``--option key=value``) or as JSON from the API; a kind's
options model (declared in its ``spec.py``) extends :class:`CommonOptions`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from adloom.errors import clip
from adloom.textcheck import NulFree
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger


def split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def bounded_list(value: Any, known: tuple[str, ...], noun: str) -> Any:
    """Split a comma list and refuse more items than there are known values, before any item
    is looked at: a million-item list costs one length check, not a million errors."""
    value = split_list(value)
    if isinstance(value, list | tuple) and len(value) > len(known):
        raise ValueError(f"lists {len(value)} {noun}; there are only {len(known)} different ones "
                         f"({', '.join(known)})")
    return value


def unique(values: list[str]) -> list[str]:
    """Duplicates merged, first occurrence kept: two identical sizes would render (and store)
    the same file twice."""
    return list(dict.fromkeys(values))


def unknown_values(values: list[str], known: Any, noun: str, choices: tuple[str, ...]) -> ValueError | None:
    unknown = unique([v for v in values if v not in known])
    if not unknown:
        return None
    listed = ", ".join(clip(v, 40) for v in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    return ValueError(f"unknown {noun}(s) {listed}; choose from {', '.join(choices)}")


class CommonOptions(NulFree):
    model_config = ConfigDict(extra="forbid")

    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    tier: Literal["standard", "premium"] = "standard"
    awareness_stage: AwarenessStage | None = None
    persuasion_trigger: PersuasionTrigger | None = None
    creative_style: CreativeStyle | None = None
    title: str | None = Field(default=None, max_length=200)


class VoiceOption(NulFree):
    """The ``voice`` option of kinds that speak or sing: a Piper voice by name."""

    voice: str | None = Field(default=None, max_length=100,
                              description="name of a Piper voice in the operator's voices folder; empty for the shipped one")

    @field_validator("voice")
    @classmethod
    def _voice_name(cls, value: str | None) -> str | None:
        # A name, never a path: the model is loaded by native code (see providers/tts).
        from adloom.providers.tts import VOICE_NAME

        if value is not None and value.strip() and not VOICE_NAME.match(value.strip()):
            raise ValueError("give the name of a voice (e.g. en_GB-alba-medium), not a path; see docs/jingles.md")
        return value.strip() or None if value is not None else None
