"""The seam between the pipeline and the asset generators.

The pipeline (``adloom.pipeline``) owns the database, credits and queue. A generator owns the
media: it receives a frozen :class:`JobContext` that holds everything it needs as plain data
(brand, product, strategy, the approved script and scenes, a work folder) and returns
:class:`StageResult` objects: JSON output for the step and the files it made. Generators never
import the database, the web layer or the queue. The script and scenes arrive as the kind's
frozen models (parsed once, by the kind's spec, when the context is built), never as dicts.

Stages a generator implements (DESIGN §2): ``generate`` (voiceover, music, cutouts, backgrounds),
``render`` (per-scene or per-size outputs), ``stitch`` (final assembly). Each receives the
outputs of the stages before it in ``ctx.previous`` and writes intermediate files under
``ctx.workdir``, which persists between stages of one project. A stage must be safe to re-run
(after a crash): it overwrites its own intermediates and never appends.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from adloom.render.brand import BrandSpec


@dataclass(frozen=True)
class ProductSpec:
    name: str
    description: str
    url: str | None = None
    offer: str | None = None
    price: str | None = None
    photos: tuple[Path, ...] = ()
    clips: tuple[Path, ...] = ()  # the user's own video clips (MP4/MOV/WebM, checked on upload)
    # True when ``photos`` holds a still taken from a clip (the campaign has clips and no
    # photo): banners and flyers show it; the video shows the clip itself instead
    photos_from_clips: bool = False


@dataclass(frozen=True)
class OutputFile:
    """A file a stage produced. ``role``: final, preview, poster, captions, clip, voiceover,
    music, stem, midi, cutout, image, zip, contact_sheet, waveform, sonic_logo, bed..."""

    role: str
    path: Path
    media_type: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    label: str = ""  # e.g. "300x250", "9:16", "A4", "bed-30s"
    meta: Mapping[str, Any] = field(default_factory=dict)  # provenance: models, licences...


@dataclass(frozen=True)
class StageResult:
    output: Mapping[str, Any]
    files: tuple[OutputFile, ...] = ()
    warnings: tuple[str, ...] = ()


M = TypeVar("M", bound=BaseModel)
ProgressFn = Callable[[str, float], None]  # (detail such as "voiceover", fraction 0..1)


def _no_progress(detail: str, fraction: float) -> None:
    return None


@dataclass(frozen=True)
class JobContext:
    project_id: str
    campaign_id: str
    kind: str
    options: Mapping[str, Any]
    brand: BrandSpec
    product: ProductSpec
    strategy: Mapping[str, str]  # audience, messaging, goals
    campaign: Mapping[str, Any]  # awareness_stage, persuasion_trigger, creative_style, event, language...
    # the approved script and scenes as the kind's frozen models (assets/<kind>/models.py),
    # parsed once by the kind's spec when the context is built; scenes may be None
    script: BaseModel
    scenes: BaseModel | None
    workdir: Path
    seed: int = 0
    previous: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # stage name -> output
    progress: ProgressFn = _no_progress
    soundfont_dir: Path | None = None  # the operator's SoundFont folder (setting soundfont_dir)
    # the operator's ONNX segmentation model (ADLOOM_SEGMENTATION_MODEL); its cut-outs pass
    # the same quality gate as the classic segmenter's
    segmentation_model: Path | None = None
    voices_dir: Path | None = None  # the operator's Piper voices (setting voices_dir)

    def script_as(self, model: type[M]) -> M:
        """The script as the kind's model ``model`` (already parsed; this narrows the type)."""
        if not isinstance(self.script, model):
            raise TypeError(f"a {self.kind} job's script is {type(self.script).__name__}, not {model.__name__}")
        return self.script

    def scenes_as(self, model: type[M]) -> M:
        """The scenes as ``model``; for a kind that always has scenes."""
        if not isinstance(self.scenes, model):
            raise TypeError(f"a {self.kind} job's scenes are {type(self.scenes).__name__}, not {model.__name__}")
        return self.scenes

    def scenes_or_none(self, model: type[M]) -> M | None:
        """The scenes as ``model``, or None when the kind renders without them."""
        return None if self.scenes is None else self.scenes_as(model)

    def __post_init__(self) -> None:
        # A context built from stored JSON (tests, bench scripts) is parsed here by the same
        # spec readers the pipeline uses, so a generator never sees a raw mapping.
        if isinstance(self.script, BaseModel) and not isinstance(self.scenes, Mapping):
            return
        from adloom.assets import registry

        spec = registry.get(self.kind)
        object.__setattr__(self, "script", spec.parse_script(self.script))
        object.__setattr__(self, "scenes", spec.parse_scenes(self.scenes))


class AssetGenerator(Protocol):
    """One generator per asset kind (video, banner, flyer, jingle)."""

    kind: str

    def generate(self, ctx: JobContext) -> StageResult: ...

    def render(self, ctx: JobContext) -> StageResult: ...

    def stitch(self, ctx: JobContext) -> StageResult: ...
