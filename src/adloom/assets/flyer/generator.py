"""The flyer/poster generator: cutout and QR codes, then a print PDF and a PNG per format, then
a contact sheet (DESIGN §2, §5)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno
import skia

from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.assets.flyer.models import FlyerScenes, FlyerScript
from adloom.errors import BadMedia
from adloom.render.cutout import has_meaningful_alpha, read_image, tight_crop
from adloom.render.cutout_gate import cut_product
from adloom.render.design import Palette, palette_from_colors
from adloom.render.fonts import FontChoice, resolve_font, typeface
from adloom.render.framing import Framing, frame_photo
from adloom.render.layout import Box
from adloom.render.looks import idea_look
from adloom.render.palette import emphasize
from adloom.render.raster import new_surface

from .compose import FlyerImages, Fonts, fit_plan, image_from_rgba, paint_background
from .contact import write_contact_sheet
from .content import (
    choose_family,
    default_hero,
    flyer_copy,
    landing_url,
    layout_for,
)
from .formats import FlyerFormat, resolve_formats
from .layout import plan_flyer
from .output import PRINT_DPI, PdfInfo, render_raster, write_pdf, write_png
from .plan import Family, FlyerPlan, HeroKind, Visuals
from .qr import qr_matrix, tracked_url

PREVIEW_LONG_SIDE = 2000  # px: previews are about this big whatever the paper size
PREVIEW_DPI_RANGE = (100, 300)
PHOTO_FLOOR_DPI = 150  # below this a photo is placed smaller rather than stretched
SOCIAL_MAX_UPSCALE = 2.0
MIN_HERO_FILL = 0.8  # a small cutout may shrink to 80 % of its box to stay sharp in print


@dataclass(frozen=True)
class FormatJob:
    """Everything decided for one format before drawing."""

    fmt: FlyerFormat
    family: Family
    hero: HeroKind
    url: str | None


def _dir(ctx: JobContext) -> Path:
    path = ctx.workdir / "flyer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_fonts(ctx: JobContext) -> tuple[Fonts, list[FontChoice]]:
    choices = [
        resolve_font(ctx.brand.heading_font, weight=700),
        resolve_font(ctx.brand.body_font, weight=400),
        resolve_font(ctx.brand.body_font, weight=700),
    ]
    fonts: Fonts = {
        "heading": typeface(choices[0]),
        "body": typeface(choices[1]),
        "body_bold": typeface(choices[2]),
    }
    return fonts, choices


def plan_jobs(ctx: JobContext) -> list[FormatJob]:
    """Format, family, hero kind and tracked URL for every format asked."""
    script = ctx.script_as(FlyerScript)
    scenes = ctx.scenes_or_none(FlyerScenes)
    photo = ctx.product.photos[0] if ctx.product.photos else None
    alpha = _photo_has_alpha(photo) if photo else False
    url = landing_url(ctx, script)
    jobs = []
    for fmt in resolve_formats(ctx.options.get("formats")):
        layout = layout_for(fmt, scenes)
        family: Family = layout.family if layout else choose_family(ctx, script)
        hero = (
            layout.hero
            if layout
            else default_hero(family, has_photo=bool(photo), photo_has_alpha=alpha)
        )
        if photo is None:
            hero = "typographic"
        tracked = (
            tracked_url(
                url,
                campaign_id=ctx.campaign_id,
                project_id=ctx.project_id,
                format_name=fmt.name,
                medium=fmt.medium,
            )
            if url
            else None
        )
        jobs.append(FormatJob(fmt, family, hero, tracked))
    return jobs


def _photo_has_alpha(path: Path) -> bool:
    rgba = np.asarray(read_image(path))
    return has_meaningful_alpha(rgba[:, :, 3])


def cutout_solidity(rgba: np.ndarray) -> float:
    """Area of the cut-out object over the area of its convex hull (1.0 for a compact object).
    Segmentation that grabbed pieces of background gives ragged, hollow shapes."""
    mask = (rgba[:, :, 3] > 127).astype(np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    hull = cv2.convexHull(np.vstack(contours))
    return float(mask.sum()) / max(1.0, float(cv2.contourArea(hull)))


GATE_VERSION = 1  # bump when the cut-out gate changes: cached verdicts are redone


def cached_cutout(ctx: JobContext, photo: Path) -> tuple[skia.Image, dict[str, Any]]:
    """The product cutout and its quality, computed once per photo (work folder cache).

    The cut-out is usable only when it passes the quality gate (render.cutout_gate): a photo's
    own transparency always does; a segmented one must be one clean subject. When it fails,
    the formats show the photo, framed around its subject (``framing`` in the quality)."""
    out_dir = _dir(ctx)
    index = ctx.product.photos.index(photo) if photo in ctx.product.photos else 0
    stem = "cutout" if index == 0 else f"cutout-{index + 1}"
    path, info = out_dir / f"{stem}.png", out_dir / f"{stem}.json"
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    if path.exists() and info.exists():
        cached = json.loads(info.read_text())
        if cached.get("sha256") == digest and cached.get("gate_version") == GATE_VERSION:
            return _load_skia(path), cached  # same photo: reuse (segmentation takes seconds)
    rgba = np.asarray(read_image(photo))
    model = str(ctx.segmentation_model) if ctx.segmentation_model else None
    cut = cut_product(rgba, model=model)
    mask = cut.mask if cut.mask is not None else np.full(rgba.shape[:2], 255, np.uint8)
    pixels = tight_crop(np.dstack([rgba[:, :, :3], mask]))
    quality: dict[str, Any] = {
        "source": photo.name,
        "sha256": digest,
        "alpha": cut.quality.source == "alpha",
        "solidity": round(cutout_solidity(pixels), 3),
        "usable": cut.usable,
        "gate": cut.quality.to_json(),
        "gate_version": GATE_VERSION,
        "framing": None if cut.usable else frame_photo(rgba[:, :, :3].copy()).to_json(),
    }
    image = image_from_rgba(pixels)
    write_png(path, image, opaque=False)
    info.write_text(json.dumps(quality))
    return image, quality


def hero_photo(ctx: JobContext, *, wants_cutout: bool) -> Path | None:
    """The photo the flyers feature: when a format shows the product cut out, the first
    photo whose cut-out passes the gate; otherwise (or when none does) the first photo."""
    photos = [Path(p) for p in ctx.product.photos]
    if wants_cutout:
        for photo in photos:
            if cached_cutout(ctx, photo)[1]["usable"]:
                return photo
    return photos[0] if photos else None


def photo_framing(ctx: JobContext, photo: Path) -> Framing:
    """Where the subject of the photo is (faces, saliency), cached beside its cut-out."""
    framing = cached_cutout(ctx, photo)[1].get("framing")
    if framing is None:
        framing = frame_photo(np.asarray(read_image(photo))[:, :, :3].copy()).to_json()
    return Framing.from_json(framing)


def _cutout_warning(photo: Path) -> str:
    return (
        f"The product could not be cut out cleanly from {photo.name}, so the flyers show the "
        "photo instead. Upload a PNG with a transparent background for a product cutout."
    )


def _load_skia(path: Path) -> skia.Image:
    image = skia.Image.MakeFromEncoded(skia.Data.MakeFromFileName(str(path)))
    if image is None:
        raise BadMedia(
            f"Cannot read the image {path.name}.",
            hint="Upload a PNG, JPEG or WebP file.",
            path=str(path),
        )
    return image


def flyer_palette(ctx: JobContext) -> Palette:
    """The brand's palette with the chosen idea's emphasis (``render.looks``): light ground,
    deep ground or accent-led, so the three ideas of a project differ."""
    look = idea_look(ctx.previous.get("ideas"), ctx.brand.tone)
    return palette_from_colors(emphasize(ctx.brand.colors, look.emphasis))


def plan_job(
    ctx: JobContext, job: FormatJob, script: FlyerScript, palette: Palette, images: SourceImages
) -> FlyerPlan:
    """The layout of one format: its copy, family, hero and the images actually available."""
    max_w, max_h = photo_max_size(job.fmt, images.photo)
    visuals = Visuals(
        hero=job.hero if images.for_hero(job.hero) else "typographic",
        logo=images.logo is not None,
        qr=job.url is not None,
        logo_on_card=images.logo_opaque,
        photo_max_w=max_w,
        photo_max_h=max_h,
    )
    return plan_flyer(job.fmt, job.family, flyer_copy(ctx, script, job.family), palette, visuals)


def write_background(path: Path, plan: FlyerPlan, *, long_side: int = 800) -> tuple[int, int]:
    """The format's background plate (ground and brand shapes, no copy or pictures) as a small
    PNG: what the layout is built on, for review before rendering."""
    scale = long_side / max(plan.fmt.width, plan.fmt.height)
    surface = new_surface(round(plan.fmt.width * scale), round(plan.fmt.height * scale))
    canvas = surface.getCanvas()
    canvas.scale(scale, scale)
    paint_background(canvas, plan)
    return write_png(path, surface.makeImageSnapshot())


class FlyerGenerator:
    """Flyers and posters: print PDFs with bleed and PNGs from one layout per format."""

    kind = "flyer"

    # ------------------------------------------------------------------ generate

    def generate(self, ctx: JobContext) -> StageResult:
        """Product cutout (when a format shows the product), a background plate and a QR code
        (SVG) per format."""
        ctx.progress("cutout", 0.0)
        jobs = plan_jobs(ctx)
        files: list[OutputFile] = []
        out_dir = _dir(ctx)
        output: dict[str, Any] = {"formats": {}}
        warnings = []
        wants_cutout = any(job.hero == "product" for job in jobs)
        hero = hero_photo(ctx, wants_cutout=wants_cutout)
        if hero is not None and wants_cutout:
            image, quality = cached_cutout(ctx, hero)
            index = [Path(p) for p in ctx.product.photos].index(hero)
            path = out_dir / ("cutout.png" if index == 0 else f"cutout-{index + 1}.png")
            files.append(
                OutputFile(
                    "cutout",
                    path,
                    "image/png",
                    image.width(),
                    image.height(),
                    label="product",
                    meta=dict(quality),
                )
            )
            output["cutout"] = {"path": str(path), **quality}
            if not quality["usable"]:
                warnings.append(_cutout_warning(hero))
        ctx.progress("qr", 0.5)
        script, palette = ctx.script_as(FlyerScript), flyer_palette(ctx)
        images = self._images(ctx, jobs)
        for job in jobs:
            entry: dict[str, Any] = {"family": job.family, "hero": job.hero, "url": job.url}
            plate = out_dir / f"background-{job.fmt.name}.png"
            w, h = write_background(plate, plan_job(ctx, job, script, palette, images))
            files.append(
                OutputFile("image", plate, "image/png", w, h, label=f"background-{job.fmt.label}")
            )
            entry["background"] = str(plate)
            if job.url:
                svg = out_dir / f"qr-{job.fmt.name}.svg"
                segno.make_qr(job.url, error="l", boost_error=True).save(str(svg), border=4)
                files.append(OutputFile("image", svg, "image/svg+xml", label=f"qr-{job.fmt.label}"))
                entry["qr"] = str(svg)
            output["formats"][job.fmt.name] = entry
        if not jobs[0].url:
            warnings.append(
                "No campaign URL: flyers are made without a QR code. Add the product "
                "URL to the campaign to get a tracked QR code."
            )
        ctx.progress("qr", 1.0)
        return StageResult(output=output, files=tuple(files), warnings=tuple(warnings))

    # ------------------------------------------------------------------ render

    def render(self, ctx: JobContext) -> StageResult:
        """For each format: print PDF (final) + PNG preview; social formats: PNG (final)."""
        script = ctx.script_as(FlyerScript)
        palette = flyer_palette(ctx)
        fonts, choices = load_fonts(ctx)
        jobs = plan_jobs(ctx)
        images = self._images(ctx, jobs)
        files: list[OutputFile] = []
        warnings = [f"Font: {c.note}." for c in choices if c.note and c.fallback]
        if any(job.hero == "product" for job in jobs) and images.cutout is None and images.photo:
            warnings.append(_cutout_warning(Path(images.photo_path)))
            jobs = [replace(job, hero="photo") if job.hero == "product" else job for job in jobs]
        output: dict[str, Any] = {"formats": {}}
        for n, job in enumerate(jobs):
            ctx.progress(job.fmt.label, n / len(jobs))
            plan = plan_job(ctx, job, script, palette, images)
            made, meta, notes = self._render_format(ctx, job, plan, fonts, images)
            files += made
            warnings += notes
            output["formats"][job.fmt.name] = meta
        ctx.progress("done", 1.0)
        # provenance: every shipped font is under the SIL Open Font License (render/fonts/)
        output["fonts"] = [
            {"requested": c.requested, "used": c.family, "weight": c.weight, "licence": "OFL-1.1"}
            for c in choices
        ]
        return StageResult(
            output=output, files=tuple(files), warnings=tuple(dict.fromkeys(warnings))
        )

    def _images(self, ctx: JobContext, jobs: list[FormatJob]) -> SourceImages:
        """Decoded hero photo, cutout (None when it did not pass the gate), the photo's
        framing and the logo."""
        wants_cutout = any(job.hero == "product" for job in jobs)
        photo = hero_photo(ctx, wants_cutout=wants_cutout)
        cutout = None
        if photo is not None and wants_cutout:
            image, quality = cached_cutout(ctx, photo)
            cutout = image if quality["usable"] else None
        shows_photo = cutout is None or any(job.hero == "photo" for job in jobs)
        return SourceImages(
            photo=_load_skia(photo) if photo is not None else None,
            cutout=cutout,
            logo=_load_skia(ctx.brand.logo) if ctx.brand.logo else None,
            photo_name=photo.name if photo else "",
            logo_opaque=ctx.brand.logo is not None and not _photo_has_alpha(ctx.brand.logo),
            photo_path=str(photo) if photo else "",
            framing=photo_framing(ctx, photo) if photo is not None and shows_photo else None,
        )

    def _render_format(
        self, ctx: JobContext, job: FormatJob, plan: FlyerPlan, fonts: Fonts, src: SourceImages
    ) -> tuple[list[OutputFile], dict[str, Any], list[str]]:
        texts = fit_plan(plan, fonts)
        hero = src.cutout if job.hero == "product" else src.photo if job.hero == "photo" else None
        images = FlyerImages(
            hero=hero,
            logo=src.logo,
            qr=qr_matrix(job.url) if job.url else None,
            hero_min_fill=MIN_HERO_FILL,
            hero_framing=src.framing if job.hero == "photo" else None,
        )
        fmt, out_dir = job.fmt, _dir(ctx)
        stem = f"flyer-{fmt.name}"
        meta: dict[str, Any] = {
            "family": job.family,
            "hero": job.hero,
            "url": job.url,
            "headline_size": _size_of(texts, "headline"),
        }
        files: list[OutputFile] = []
        notes: list[str] = []
        if fmt.social:
            image, used = render_raster(plan, texts, images, scale=1.0, px_per_unit=1.0)
            png = out_dir / f"{stem}.png"
            w, h = write_png(png, image)
            files.append(
                OutputFile(
                    "final",
                    png,
                    "image/png",
                    w,
                    h,
                    label=fmt.label,
                    meta={"family": job.family, "url": job.url, "qr_box_px": _px_box(used, 1.0)},
                )
            )
            notes += _sharpness_notes(fmt, used, src, 1.0)
            return files, meta, notes
        pdf = out_dir / f"{stem}.pdf"
        used = write_pdf(
            pdf,
            plan,
            texts,
            images,
            crop_marks=bool(ctx.options.get("crop_marks")),
            info=PdfInfo(
                title=f"{ctx.brand.name} — {fmt.label}",
                author=ctx.brand.name,
                subject=texts_headline(texts),
            ),
        )
        files.append(
            OutputFile(
                "final",
                pdf,
                "application/pdf",
                round(fmt.width),
                round(fmt.height),
                label=fmt.label,
                meta={
                    "family": job.family,
                    "url": job.url,
                    "units": "pt",
                    "bleed_pt": fmt.bleed,
                    "crop_marks": bool(ctx.options.get("crop_marks")),
                },
            )
        )
        notes += _sharpness_notes(fmt, used, src, PRINT_DPI / 72)
        asked = ctx.options.get("preview_dpi")
        scale = preview_scale(fmt, int(asked) if asked else None)
        image, used = render_raster(plan, texts, images, scale=scale, px_per_unit=PRINT_DPI / 72)
        png = out_dir / f"{stem}.png"
        w, h = write_png(png, image)
        files.append(
            OutputFile(
                "preview",
                png,
                "image/png",
                w,
                h,
                label=fmt.label,
                meta={"dpi": round(scale * 72), "qr_box_px": _px_box(used, scale)},
            )
        )
        meta["dpi"] = {name: round(d) for name, d in _dpis(used, src).items()}
        return files, meta, notes

    # ------------------------------------------------------------------ stitch

    def stitch(self, ctx: JobContext) -> StageResult:
        """A contact sheet of every format's PNG."""
        out_dir = _dir(ctx)
        tiles: list[tuple[str, Path]] = []
        for job in plan_jobs(ctx):
            png = out_dir / f"flyer-{job.fmt.name}.png"
            if png.exists():
                tiles.append((f"{job.fmt.label} · {job.family}", png))
        if not tiles:
            raise BadMedia(
                "There are no rendered flyers to put on a contact sheet.",
                hint="Run the rendering stage first.",
            )
        sheet = out_dir / "flyer-contact-sheet.png"
        w, h = write_contact_sheet(sheet, tiles, title=ctx.brand.name)
        return StageResult(
            output={"contact_sheet": str(sheet), "formats": [label for label, _ in tiles]},
            files=(OutputFile("contact_sheet", sheet, "image/png", w, h, label="contact sheet"),),
        )


@dataclass(frozen=True)
class SourceImages:
    photo: skia.Image | None
    cutout: skia.Image | None
    logo: skia.Image | None
    photo_name: str = ""
    logo_opaque: bool = False
    photo_path: str = ""
    framing: Framing | None = None

    def for_hero(self, hero: HeroKind) -> skia.Image | None:
        return {"product": self.cutout, "photo": self.photo}.get(hero)


def photo_max_size(fmt: FlyerFormat, photo: skia.Image | None) -> tuple[float, float]:
    """The largest box (layout units) the photo covers at PHOTO_FLOOR_DPI in print, or at most
    SOCIAL_MAX_UPSCALE times enlarged on a social canvas; (0, 0) without a photo."""
    if photo is None:
        return 0.0, 0.0
    per_px = SOCIAL_MAX_UPSCALE if fmt.social else 72 / PHOTO_FLOOR_DPI
    return float(photo.width() * per_px), float(photo.height() * per_px)


def preview_scale(fmt: FlyerFormat, dpi: int | None = None) -> float:
    """Pixels per point for a print preview: ``dpi`` when given, else the dpi that makes the
    long side about 2000 px (A5 at 242 dpi, 18×24 in at 100 dpi)."""
    if dpi is None:
        inches = max(fmt.width, fmt.height) / 72
        lo, hi = PREVIEW_DPI_RANGE
        dpi = round(min(hi, max(lo, PREVIEW_LONG_SIDE / inches)))
    return dpi / 72


def _px_box(used: dict[str, tuple[Box, Box]], scale: float) -> list[int] | None:
    """Where the QR code sits in a PNG, as [x, y, w, h] pixels (for checks and the UI)."""
    if "qr" not in used:
        return None
    box = used["qr"][1]
    return [round(box.x * scale), round(box.y * scale), round(box.w * scale), round(box.h * scale)]


def _size_of(texts: tuple[Any, ...], name: str) -> float | None:
    return next((t.fitted.size for t in texts if t.slot.name == name), None)


def texts_headline(texts: tuple[Any, ...]) -> str:
    return next((" ".join(t.fitted.lines) for t in texts if t.slot.name == "headline"), "")


def _dpis(used: dict[str, tuple[Box, Box]], src: SourceImages) -> dict[str, float]:
    """Effective print resolution of each placed raster image (source px per placed inch)."""
    return {
        name: crop.w / (dst.w / 72)
        for name, (crop, dst) in used.items()
        if name != "qr" and dst.w > 0
    }


def _sharpness_notes(
    fmt: FlyerFormat, used: dict[str, tuple[Box, Box]], src: SourceImages, px_per_unit: float
) -> list[str]:
    notes = []
    for name, (crop, dst) in used.items():
        if name == "qr" or dst.w <= 0:
            continue
        ratio = crop.w / (dst.w * px_per_unit)
        if ratio >= 0.999:
            continue
        what = f"product photo {src.photo_name}" if name == "hero" else "logo"
        # the source file is larger than what is placed when it is cropped or cut out
        source_w = (
            src.logo.width()
            if name == "logo" and src.logo
            else (src.photo.width() if src.photo else crop.w)
        )
        need = round(dst.w * px_per_unit * source_w / crop.w) if name == "hero" else None
        need = need or round(dst.w * px_per_unit)
        if fmt.social:
            notes.append(
                f"{fmt.label}: the {what} is enlarged {1 / ratio:.1f}× and may look soft; "
                f"upload one at least {need} px wide."
            )
        else:
            dpi = ratio * PRINT_DPI
            notes.append(
                f"{fmt.label}: the {what} prints at {dpi:.0f} dpi (below {PRINT_DPI}); "
                f"upload one at least {need} px wide for a sharp print."
            )
    return notes
