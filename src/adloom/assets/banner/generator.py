"""BannerGenerator: the AssetGenerator for display banners (DESIGN §2, §5; issue 5).

generate -> product cutout (or photo) and logo under ``workdir/banner/``;
render   -> every size x format x copy variant, each file within the 150 KB budget;
stitch   -> budget check, an HTML5 zip per size, a contact sheet, the final images.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from adloom.assets.banner.copy import ARRANGEMENT
from adloom.assets.banner.layout import (
    BannerPlan,
    BannerSpec,
    CopyText,
    Fonts,
    LayoutHints,
    Media,
    compute_layout,
)
from adloom.assets.banner.media import logo_cutout, product_visual
from adloom.assets.banner.models import BannerScenes, BannerScript
from adloom.assets.banner.package import (
    ZIP_MAX_BYTES,
    ZIP_MAX_FILES,
    SheetItem,
    build_zip,
    contact_sheet,
)
from adloom.assets.banner.paint import BannerImages, paint_plan
from adloom.assets.banner.sizes import ALL_FORMATS, ALL_SIZES, layout_family, parse_size
from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.errors import InvalidOption, RenderError
from adloom.render.design import palette_from_colors
from adloom.render.fonts import FontChoice, resolve_font, typeface
from adloom.render.looks import IdeaLook, idea_look
from adloom.render.palette import emphasize
from adloom.render.raster import EXTENSIONS, MEDIA_TYPES, Format, encode_within_budget

FILE_BUDGET = 150_000
_ALL_VARIANTS = 6  # BannerScript.variants holds at most 6


@dataclass(frozen=True)
class BannerAssets:
    """What ``generate`` prepared, loaded back for rendering."""

    media: Media
    images: BannerImages
    logo_size: tuple[int, int] | None


def _dir(ctx: JobContext) -> Path:
    path = Path(ctx.workdir) / "banner"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save_png(path: Path, rgba: np.ndarray) -> None:
    Image.fromarray(np.ascontiguousarray(rgba), "RGBA").save(path, format="PNG", compress_level=6)


def _load_png(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"))


def validated_script(ctx: JobContext) -> BannerScript:
    """The approved copy (parsed and checked by the kind's spec when the context was built)."""
    return ctx.script_as(BannerScript)


def scene_hints(ctx: JobContext) -> BannerScenes | None:
    """Layout hints from the scenes step, or None when they are generic/invalid."""
    return ctx.scenes_or_none(BannerScenes)


def _font_choices(ctx: JobContext) -> dict[str, FontChoice]:
    return {
        "heading": resolve_font(ctx.brand.heading_font, weight=800),
        "body": resolve_font(ctx.brand.body_font, weight=400),
        "cta": resolve_font(ctx.brand.body_font, weight=700),
    }


def fonts_for(ctx: JobContext) -> Fonts:
    choices = _font_choices(ctx)
    return Fonts(typeface(choices["heading"]), typeface(choices["body"]), typeface(choices["cta"]))


# ------------------------------------------------------------------ generate


def _visual_entry(folder: Path, index: int, photo: Path, model: str | None) -> dict[str, Any]:
    """One product photo's visual: a gated cutout or the framed photo, saved as PNG."""
    visual = product_visual(photo, model=model)
    suffix = "" if index == 0 else f"-{index + 1}"
    path = folder / (f"cutout{suffix}.png" if visual.mode == "cutout" else f"photo{suffix}.png")
    _save_png(path, visual.rgba)
    return {
        "mode": visual.mode,
        "product": str(path),
        "source": photo.name,
        "focal": list(visual.focal),
        "keep": list(visual.framing.keep) if visual.framing.keep else None,
        "faces": visual.framing.faces,
        "reason": visual.reason,
        "quality": visual.quality.to_json() if visual.quality else None,
        "product_size": [int(visual.rgba.shape[1]), int(visual.rgba.shape[0])],
    }


def generate_assets(ctx: JobContext) -> dict[str, Any]:
    """Cutout/photo per product photo and the logo; returns the JSON the step stores. The
    first photo's entry is also spread at the top level (the shape older steps stored)."""
    folder = _dir(ctx)
    out: dict[str, Any] = {"mode": "none", "product": None, "logo": None, "focal": [0.5, 0.5]}
    model = str(ctx.segmentation_model) if ctx.segmentation_model else None
    visuals = [
        _visual_entry(folder, i, Path(photo), model) for i, photo in enumerate(ctx.product.photos)
    ]
    if visuals:
        out.update(visuals[0])
    out["visuals"] = visuals
    if ctx.brand.logo:
        logo = logo_cutout(Path(ctx.brand.logo))
        _save_png(folder / "logo.png", logo)
        out["logo"] = str(folder / "logo.png")
    out["fonts"] = {
        k: {
            "requested": c.requested,
            "family": c.family,
            "weight": c.weight,
            "fallback": c.fallback,
            "note": c.note,
            "licence": "OFL-1.1",
        }
        for k, c in _font_choices(ctx).items()
    }
    out["plates"] = _background_plates(ctx, out, folder)
    (folder / "generate.json").write_text(json.dumps(out, indent=2, sort_keys=True))
    return out


def _background_plates(ctx: JobContext, info: Mapping[str, Any], folder: Path) -> dict[str, str]:
    """One background plate (colour fields and shapes, no copy or photos) per shape class among
    the requested sizes, for review in the Studio."""
    sizes, _, _ = _options(ctx)
    assets, fonts = _assets_from(info), fonts_for(ctx)
    copy = _copies(validated_script(ctx), 1)[0]
    plates: dict[str, str] = {}
    for size in sizes:
        family = layout_family(*parse_size(size))
        if family in plates:
            continue
        plan = compute_layout(banner_spec(ctx, assets, fonts, copy, size))
        bare = replace(plan, texts=(), images=(), button=None)
        path = folder / "plates" / f"{family}-{size}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode_within_budget(paint_plan(bare, assets.images), "png", FILE_BUDGET))
        plates[family] = str(path)
    return plates


def load_assets(ctx: JobContext) -> BannerAssets:
    """The first photo's intermediates (see :func:`load_asset_set`)."""
    return load_asset_set(ctx)[0]


def load_asset_set(ctx: JobContext) -> list[BannerAssets]:
    """Intermediates from the generate stage, one per product photo (at least one entry),
    re-made when missing, e.g. after a crash."""
    info: Mapping[str, Any] | None = ctx.previous.get("generate")
    entries = list((info or {}).get("visuals") or ([info] if info else []))
    if not info or any(e.get("product") and not Path(e["product"]).exists() for e in entries):
        info = generate_assets(ctx)
        entries = list(info.get("visuals") or [])
    if not entries:
        return [_assets_from(info)]
    return [_assets_from({**e, "logo": info.get("logo")}) for e in entries]


def _assets_from(info: Mapping[str, Any]) -> BannerAssets:
    mode = info.get("mode", "none")
    pixels = _load_png(Path(info["product"])) if info.get("product") else None
    logo = (
        _load_png(Path(info["logo"])) if info.get("logo") and Path(info["logo"]).exists() else None
    )
    media = Media("none")
    if pixels is not None:
        fx, fy = info.get("focal", [0.5, 0.5])
        keep = info.get("keep")
        media = Media(
            mode,
            pixels.shape[1],
            pixels.shape[0],
            (float(fx), float(fy)),
            (float(keep[0]), float(keep[1]), float(keep[2]), float(keep[3])) if keep else None,
        )
    images = BannerImages(
        product=pixels if mode == "cutout" else None,
        photo=pixels if mode == "photo" else None,
        logo=logo,
    )
    return BannerAssets(media, images, (logo.shape[1], logo.shape[0]) if logo is not None else None)


# ------------------------------------------------------------------ render


def _options(ctx: JobContext) -> tuple[list[str], list[Format], int]:
    sizes = [str(s) for s in (ctx.options.get("sizes") or ALL_SIZES)]
    for label in sizes:
        parse_size(label)
    formats = [
        str(f).lower().replace("jpg", "jpeg") for f in (ctx.options.get("formats") or ALL_FORMATS)
    ]
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown:
        raise InvalidOption(
            f"Unknown banner format(s): {', '.join(unknown)}.", hint="Use png, jpeg or webp."
        )
    # Every variant the script wrote is rendered unless fewer are asked for: the Studio shows the
    # user each scripted variant, so each must come out as files (it used to stop at two).
    variants = int(ctx.options.get("variants") or _ALL_VARIANTS)
    return sizes, formats, max(1, variants)  # type: ignore[return-value]


def hints_for(scenes: BannerScenes | None, width: int, height: int,
              look: IdeaLook | None = None) -> LayoutHints:
    """The scenes step's layout for this size's shape class (defaults when none matches).

    With an idea's look, the look's layout family (panel background, copy side) replaces the
    scenes' background and side while the layout is as the writer wrote it; a side the user
    chose (another than the writer's default for the shape) is kept with its background, and
    whether to show the product and logo, and a text-only arrangement, stay the scenes' call."""
    family = layout_family(width, height)
    hints = LayoutHints()
    edited = False
    for layout in scenes.layouts if scenes else []:
        if layout.size_class == family:
            hints = LayoutHints(layout.arrangement, layout.background, layout.product, layout.logo)
            edited = layout.arrangement != ARRANGEMENT.get(layout.size_class, layout.arrangement)
            break
    if look is None or edited:
        return hints
    side = hints.arrangement if hints.arrangement == "text_only" else look.banner_arrangement
    return replace(hints, arrangement=side, background=look.banner_background)


def banner_look(ctx: JobContext) -> IdeaLook:
    """The chosen idea's look (``render.looks``): palette emphasis and layout family."""
    return idea_look(ctx.previous.get("ideas"), ctx.brand.tone)


def banner_spec(
    ctx: JobContext, assets: BannerAssets, fonts: Fonts, copy: CopyText, size: str
) -> BannerSpec:
    width, height = parse_size(size)
    look = banner_look(ctx)
    return BannerSpec(
        width,
        height,
        copy,
        palette_from_colors(emphasize(ctx.brand.colors, look.emphasis)),
        fonts,
        assets.media,
        assets.logo_size,
        ctx.brand.name,
        replace(hints_for(scene_hints(ctx), width, height, look),
                graphic=assets.media.mode == "none"),
        ctx.product.offer or ctx.brand.tagline or "",
    )


def render_one(spec: BannerSpec, images: BannerImages) -> tuple[BannerPlan, Any]:
    plan = compute_layout(spec)
    return plan, paint_plan(plan, images)


def _copies(script: BannerScript, count: int) -> list[CopyText]:
    chosen = script.variants[: max(1, min(count, len(script.variants)))]
    return [CopyText(v.headline, v.subhead, v.cta, v.short_headline) for v in chosen]


def _write(folder: Path, size: str, variant: int, fmt: Format, data: bytes) -> Path:
    path = folder / "renders" / size / f"v{variant}.{EXTENSIONS[fmt]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _output_file(
    path: Path, size: str, variant: int, fmt: Format, plan: BannerPlan, nbytes: int
) -> OutputFile:
    return OutputFile(
        role="image",
        path=path,
        media_type=MEDIA_TYPES[fmt],
        width=plan.width,
        height=plan.height,
        label=size,
        meta={
            "variant": variant,
            "format": fmt,
            "primary": variant == 0,
            "bytes": nbytes,
            "shape": plan.shape,
            "short_headline": plan.used_short_headline,
        },
    )


def render_set(ctx: JobContext) -> StageResult:
    script = validated_script(ctx)
    sizes, formats, variants = _options(ctx)
    asset_set, fonts, folder = load_asset_set(ctx), fonts_for(ctx), _dir(ctx)
    files: list[OutputFile] = []
    summary: dict[str, Any] = {}
    total = len(sizes) * len(_copies(script, variants))
    for s_index, size in enumerate(sizes):
        summary[size] = []
        for v_index, copy in enumerate(_copies(script, variants)):
            # every product photo is used: variant n shows photo n (cycling)
            assets = asset_set[v_index % len(asset_set)]
            plan, image = render_one(banner_spec(ctx, assets, fonts, copy, size), assets.images)
            entry: dict[str, Any] = {
                "variant": v_index,
                "photo": v_index % len(asset_set),
                "visual": assets.media.mode,
                "shape": plan.shape,
                "short_headline": plan.used_short_headline,
                "files": {},
            }
            for fmt in formats:
                data = encode_within_budget(image, fmt, FILE_BUDGET)
                path = _write(folder, size, v_index, fmt, data)
                files.append(_output_file(path, size, v_index, fmt, plan, len(data)))
                entry["files"][fmt] = {"path": str(path), "bytes": len(data)}
            summary[size].append(entry)
            ctx.progress(
                "rendering", (s_index * len(_copies(script, variants)) + v_index + 1) / total
            )
    warnings = [
        f"{size}: headline did not fit; used the short headline"
        for size, e in summary.items()
        if e[0]["short_headline"]
    ]
    return StageResult(
        output={"sizes": summary, "formats": formats, "variants": len(_copies(script, variants))},
        files=tuple(files),
        warnings=tuple(warnings),
    )


# ------------------------------------------------------------------ stitch


def _rendered(ctx: JobContext) -> Mapping[str, Any]:
    info = ctx.previous.get("render")
    if not info or "sizes" not in info:
        raise RenderError(
            "Stitching banners needs the render stage's output.", hint="Run the render stage first."
        )
    sizes: Mapping[str, Any] = info["sizes"]
    return sizes


def _zip_for(ctx: JobContext, size: str, entry: Mapping[str, Any], folder: Path) -> Path:
    width, height = parse_size(size)
    candidates = sorted(entry["files"].items(), key=lambda kv: kv[1]["bytes"])
    fmt, best = candidates[0]
    image_name = f"banner.{EXTENSIONS[fmt]}"
    data = build_zip(
        width=width,
        height=height,
        image_name=image_name,
        image=Path(best["path"]).read_bytes(),
        alt=f"{ctx.product.name} — {ctx.brand.name}",
        click_url=ctx.product.url or "https://example.com",
    )
    if len(data) > ZIP_MAX_BYTES:
        raise RenderError(
            f"The {size} HTML5 zip is {len(data)} bytes, over the {ZIP_MAX_BYTES} limit."
        )
    path = folder / "zips" / f"{_slug(ctx.product.name)}-{size}.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "banner"


def stitch_set(ctx: JobContext) -> StageResult:
    sizes = _rendered(ctx)
    folder = _dir(ctx)
    over = [
        f["path"]
        for entries in sizes.values()
        for e in entries
        for f in e["files"].values()
        if f["bytes"] > FILE_BUDGET
    ]
    if over:
        raise RenderError(
            f"{len(over)} banner file(s) exceed {FILE_BUDGET} bytes.", hint="Re-render the set."
        )
    files: list[OutputFile] = []
    sheet_items: list[SheetItem] = []
    for size, entries in sizes.items():
        width, height = parse_size(size)
        primary = entries[0]
        zpath = _zip_for(ctx, size, primary, folder)
        files.append(
            OutputFile(
                "zip",
                zpath,
                "application/zip",
                width,
                height,
                label=size,
                meta={"files": 2, "bytes": zpath.stat().st_size},
            )
        )
        best = primary["files"].get("png") or next(iter(primary["files"].values()))
        fmt = "png" if "png" in primary["files"] else next(iter(primary["files"]))
        files.append(
            OutputFile(
                "final",
                Path(best["path"]),
                MEDIA_TYPES[fmt],
                width,
                height,
                label=size,
                meta={"variant": 0, "format": fmt},
            )
        )
        sheet_items.append(SheetItem(size, Path(best["path"])))
    sheet = folder / "contact-sheet.png"
    sheet.write_bytes(
        contact_sheet(
            sheet_items, title=f"{ctx.brand.name} · {ctx.product.name} · {len(sizes)} sizes"
        )
    )
    files.append(OutputFile("contact_sheet", sheet, "image/png", label="contact sheet"))
    return StageResult(
        output={"zips": len(sizes), "contact_sheet": str(sheet), "max_zip_files": ZIP_MAX_FILES},
        files=tuple(files),
    )


class BannerGenerator:
    """Display banners: every IAB/social size from one design (issue 5)."""

    kind = "banner"

    def generate(self, ctx: JobContext) -> StageResult:
        validated_script(ctx)
        out = generate_assets(ctx)
        files = []
        for visual in out.get("visuals") or []:
            w, h = visual["product_size"]
            files.append(
                OutputFile(
                    "cutout",
                    Path(visual["product"]),
                    "image/png",
                    w,
                    h,
                    label=visual["mode"],
                    meta={"reason": visual.get("reason", ""), "source": visual["source"]},
                )
            )
        hints = scene_hints(ctx)
        out["scene_hints"] = hints is not None
        notes = tuple(f["note"] for f in out["fonts"].values() if f["note"])
        return StageResult(output=out, files=tuple(files), warnings=tuple(sorted(set(notes))))

    def render(self, ctx: JobContext) -> StageResult:
        return render_set(ctx)

    def stitch(self, ctx: JobContext) -> StageResult:
        return stitch_set(ctx)


def sizes_for(labels: Sequence[str]) -> list[tuple[int, int]]:
    return [parse_size(label) for label in labels]
