"""The jingle kind, declared once: options, prices, labels, copy models, generator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from adloom.assets.jingle.copy_spec import COPY
from adloom.assets.jingle.models import read_scenes, read_script
from adloom.assets.kind import KindSpec, PriceFacts
from adloom.assets.options import CommonOptions, VoiceOption
from adloom.render.music.soundfonts import soundfont_name

NAME = "jingle"
VOCAL_LABELS = {"sung": "Sung", "spoken": "Spoken", "none": "Instrumental"}
SECTION_LABELS = {"intro": "Intro", "verse": "Verse", "chorus": "Chorus", "bridge": "Bridge",
                  "tag": "Tag", "outro": "Outro"}
DRUM_LABELS = {"four_on_floor": "Four on the floor", "backbeat": "Backbeat", "halftime": "Half-time",
               "shuffle": "Shuffle", "brushes": "Brushes"}


class JingleOptions(CommonOptions, VoiceOption):
    tone: str | None = Field(default=None, max_length=200)
    vocal: Literal["sung", "spoken", "none"] | None = None
    soundfont: str | None = Field(default=None, max_length=104,
                                  description="name of a SoundFont in the operator's SoundFont folder, or TimGM6mb")

    @field_validator("soundfont")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        # A name, never a path: the file is read whole by native code (see render/music/synth).
        if value is not None and value.strip() and soundfont_name(value) is None:
            raise ValueError("give the name of a SoundFont (e.g. FluidR3_GM), not a path; see docs/jingles.md")
        return value.strip() if value is not None else None


def stage_actions(step: str, facts: PriceFacts) -> list[tuple[str, int]]:
    return [(NAME, 1)] if step == "render" else []


def summary(options: Mapping[str, Any]) -> str:
    return VOCAL_LABELS.get(str(options.get("vocal")), "Vocal from plan")


def progression_label(chords: list[str]) -> str:
    """``["I", "V", "vi", "IV"]`` -> "I–V–vi–IV (home, tension, minor colour, lift)": the roman
    numerals a musician reads, with words for everyone else."""
    words = {"i": "home", "ii": "step up", "iii": "shade", "iv": "lift", "v": "tension",
             "vi": "minor colour", "vii": "lead back"}
    plain = [words.get(c.lower().strip("°+7"), c) for c in chords]
    return f"{'–'.join(chords)} ({', '.join(plain)})"


SPEC = KindSpec(
    name=NAME,
    label="Jingle",
    blurb="A brand jingle, a 3–5 s sonic logo and instrumental beds.",
    icon="♪",
    options=JingleOptions,
    copy=COPY,
    read_script=read_script,
    read_scenes=read_scenes,
    generator="adloom.assets.jingle:JingleGenerator",
    stage_actions=stage_actions,
    prices={NAME: 6},
    price_labels={NAME: "Jingle"},
    value_labels={**VOCAL_LABELS, **SECTION_LABELS, **DRUM_LABELS},
    field_labels={"progression": "Chord (roman numeral)"},
    field_hints={"progression": lambda chords: f"Progression: {progression_label([str(c) for c in chords])}"},
    summary=summary,
    stage_labels={"generate": "Parts and voice"},
)
