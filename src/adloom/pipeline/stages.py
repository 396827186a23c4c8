"""What each stage does: writer stages produce copy, generator stages produce media.

Pure with respect to the database: :func:`execute_stage` receives a :class:`StageInput` read
from the database beforehand and returns a :class:`StageOutcome`; the runner saves it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from adloom.assets import registry
from adloom.assets.base import AssetGenerator, JobContext, OutputFile, ProductSpec, ProgressFn
from adloom.errors import AdloomError, RenderError
from adloom.render.brand import BrandSpec
from adloom.render.footage import sharp_still
from adloom.render.palette import complete_colors
from adloom.storage import Storage
from adloom.writer.base import Writer, WriterRequest, WriterResult
from adloom.writer.critic_collect import critique_request
from adloom.writer.schemas import IdeaSet


class GeneratorMissing(AdloomError):
    status = 501
    code = "generator_missing"


def load_generator(kind: str, overrides: Mapping[str, str]) -> AssetGenerator:
    """The generator of ``kind``: the operator's override (``"module:Class"``, setting
    ``generators``) or the one the kind's spec declares."""
    spec = registry.find(kind)
    target = overrides.get(kind) or (spec.generator if spec else None)
    if target is None:
        raise GeneratorMissing(f"There is no {kind} generator.", hint="Run 'adloom doctor' to see the kinds.")
    if callable(target):
        return target()
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        cls = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise GeneratorMissing(
            f"The {kind} generator is not installed ({target}).", hint="Run 'adloom doctor' to see what is missing."
        ) from exc
    return cls()  # type: ignore[no-any-return]


def warm_up_generators(overrides: Mapping[str, str]) -> list[str]:
    """Let every installed generator load what its first job would wait for (the voice
    model); generators opt in with a ``warm_up()`` method. Returns the kinds warmed."""
    warmed = []
    for kind in registry.kinds():
        try:
            generator = load_generator(kind, overrides)
        except GeneratorMissing:
            continue
        warm = getattr(generator, "warm_up", None)
        if callable(warm):
            warm()
            warmed.append(kind)
    return warmed


def generator_available(kind: str, overrides: Mapping[str, str]) -> bool:
    try:
        load_generator(kind, overrides)
    except GeneratorMissing:
        return False
    return True


@dataclass(frozen=True)
class StageInput:
    project_id: str
    campaign_id: str
    kind: str
    step: str
    seed: int
    options: Mapping[str, Any]
    snapshot: Mapping[str, Any]
    outputs: Mapping[str, Mapping[str, Any]]  # latest successful output per stage
    workdir: Path
    # Hooks the project's earlier ideas steps showed: a reroll walks past them (issue 18).
    shown_hooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageOutcome:
    output: dict[str, Any]
    provider: str | None = None
    model: str | None = None
    prompt: str | None = None
    files: tuple[OutputFile, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class StageServices:
    writer: Writer
    storage: Storage
    generator_overrides: Mapping[str, str] = field(default_factory=dict)
    soundfont_dir: Path | None = None
    segmentation_model: Path | None = None
    voices_dir: Path | None = None


def writer_request(inp: StageInput) -> WriterRequest:
    snap, opts = inp.snapshot, inp.options
    campaign, product, brand, strategy = (snap.get(k, {}) for k in ("campaign", "product", "brand", "strategy"))
    return WriterRequest(
        kind=inp.kind,
        product_name=product.get("name", ""),
        product_description=product.get("description", ""),
        product_url=product.get("url"),
        offer=product.get("offer"),
        price=product.get("price"),
        brand_name=brand.get("name", ""),
        brand_tone=opts.get("tone") or brand.get("tone") or campaign.get("tone", ""),
        tagline=brand.get("tagline", ""),
        audience=strategy.get("audience", ""),
        messaging=strategy.get("messaging", ""),
        goals=strategy.get("goals", ""),
        awareness_stage=opts.get("awareness_stage") or campaign.get("awareness_stage", "problem_aware"),
        persuasion_trigger=opts.get("persuasion_trigger") or campaign.get("persuasion_trigger", "social_proof"),
        creative_style=opts.get("creative_style") or campaign.get("creative_style", "direct_response"),
        business_type=campaign.get("business_type", "other"),
        industry=campaign.get("industry", "other"),
        language=campaign.get("language", "en"),
        event=campaign.get("event"),
        tier=opts.get("tier", "standard"),
        options=dict(opts),
        copy=registry.get(inp.kind).copy,
        avoid_hooks=inp.shown_hooks,
    )


def _provenance(result: Any) -> dict[str, Any]:
    return {"provider": result.provider, "model": result.model, "prompt": result.prompt}


def _dump(value: BaseModel) -> dict[str, Any]:
    return value.model_dump(mode="json")


def _run_writer(inp: StageInput, services: StageServices) -> StageOutcome:
    req, writer = writer_request(inp), services.writer
    result: WriterResult[Any]
    if inp.step == "ideas":
        result = writer.ideas(req, seed=inp.seed)
    elif inp.step == "script":
        ideas = IdeaSet.model_validate(inp.outputs["ideas"])
        result = writer.script(req, ideas.ideas[ideas.chosen], seed=inp.seed)
    else:
        script = registry.get(inp.kind).script_model.model_validate(inp.outputs["script"])
        result = writer.scenes(req, script, seed=inp.seed)
    # The copy critic's findings become the step's warnings; the user sees them at the gate.
    warnings = tuple(v.as_warning() for v in critique_request(req, inp.step, result.value))
    return StageOutcome(output=_dump(result.value), warnings=warnings, **_provenance(result))


def _materialise(storage: Storage, key: str | None, folder: Path) -> Path | None:
    """A local path for a stored input file (copied down when the store is remote)."""
    if not key:
        return None
    local = storage.local_path(key)
    if local is not None:
        return local
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / key.replace("/", "_")
    if not target.exists():
        with target.open("wb") as handle:
            for chunk in storage.open_stream(key):
                handle.write(chunk)
    return target


def job_context(inp: StageInput, storage: Storage, progress: ProgressFn, *,
                soundfont_dir: Path | None = None, segmentation_model: Path | None = None,
                voices_dir: Path | None = None) -> JobContext:
    snap = inp.snapshot
    product, brand = snap.get("product", {}), snap.get("brand", {})
    inputs = inp.workdir / "inputs"
    photos = tuple(p for p in (_materialise(storage, k, inputs) for k in product.get("photos", [])) if p)
    clips = tuple(p for p in (_materialise(storage, k, inputs) for k in product.get("clips", [])) if p)
    from_clips = bool(clips) and not photos
    if from_clips:  # banners and flyers need a picture: the sharpest frame of the first clip
        still = inputs / "clip-still.png"
        photos = (still if still.exists() else sharp_still(clips[0], still),)
    spec = registry.get(inp.kind)  # the typed seam: script and scenes parsed once, here
    return JobContext(
        project_id=inp.project_id,
        campaign_id=inp.campaign_id,
        kind=inp.kind,
        options=dict(inp.options),
        brand=BrandSpec(
            name=brand.get("name", ""),
            colors=complete_colors(
                dict(brand.get("colors") or {}), name=brand.get("name") or product.get("name", ""),
                industry=str(snap.get("campaign", {}).get("industry") or ""),
                tone=inp.options.get("tone") or brand.get("tone", ""),
                photo=photos[0] if photos else None),
            heading_font=brand.get("heading_font", "Inter"),
            body_font=brand.get("body_font", "Inter"),
            tone=inp.options.get("tone") or brand.get("tone", ""),
            tagline=brand.get("tagline", ""),
            logo=_materialise(storage, brand.get("logo_key"), inputs),
            voice=str(brand.get("voice") or ""),
        ),
        product=ProductSpec(
            name=product.get("name", ""),
            description=product.get("description", ""),
            url=product.get("url"),
            offer=product.get("offer"),
            price=product.get("price"),
            photos=photos,
            clips=clips,
            photos_from_clips=from_clips,
        ),
        strategy={k: v for k, v in snap.get("strategy", {}).items() if k in ("audience", "messaging", "goals")},
        campaign=dict(snap.get("campaign", {})),
        script=spec.parse_script(dict(inp.outputs.get("script", {}))),
        scenes=spec.parse_scenes(dict(inp.outputs.get("scenes", {}))),
        workdir=inp.workdir,
        seed=inp.seed,
        previous={k: v for k, v in inp.outputs.items() if k in ("ideas", "generate", "render")},
        progress=progress,
        soundfont_dir=soundfont_dir,
        segmentation_model=segmentation_model,
        voices_dir=voices_dir,
    )


def _run_generator(inp: StageInput, services: StageServices, progress: ProgressFn) -> StageOutcome:
    generator = load_generator(inp.kind, services.generator_overrides)
    inp.workdir.mkdir(parents=True, exist_ok=True)
    ctx = job_context(inp, services.storage, progress, soundfont_dir=services.soundfont_dir,
                      segmentation_model=services.segmentation_model, voices_dir=services.voices_dir)
    method = {"generate": generator.generate, "render": generator.render, "stitch": generator.stitch}[inp.step]
    result = method(ctx)
    for item in result.files:
        if not item.path.is_file():
            raise RenderError(f"The {inp.kind} generator reported a file that does not exist: {item.path.name}.")
    return StageOutcome(
        output=dict(result.output),
        provider="local",
        model=type(generator).__name__,
        files=tuple(result.files),
        warnings=tuple(result.warnings),
    )


def execute_stage(inp: StageInput, services: StageServices, progress: ProgressFn) -> StageOutcome:
    """Run one stage and return its outcome; raises AdloomError with a user-facing message."""
    if inp.step in ("ideas", "script", "scenes"):
        return _run_writer(inp, services)
    return _run_generator(inp, services, progress)


__all__ = ["StageInput", "StageOutcome", "StageServices", "execute_stage"]
