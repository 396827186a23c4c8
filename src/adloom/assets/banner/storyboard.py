"""The scenes gate's storyboard for banners: one free still per layout (shape class), painted
by the render's own layout and painter before any credits are spent.

A layout's still shows every requested size of its shape class with the first copy variant,
then the other copy variants at the class's first size, side by side on a neutral sheet, so
the person sees the sizes and variants the priced render will produce. The product photo is
shown uncut (the generate stage's cut-out and framing do not exist yet at this gate; a photo
with its own transparency is used as a cut-out, as the render would). Stills are named by a
hash of everything they are painted from: an edit repaints only the layouts it changed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from adloom.assets.banner.generator import (
    BannerAssets,
    _copies,
    _options,
    banner_spec,
    fonts_for,
    render_one,
    validated_script,
)
from adloom.assets.banner.layout import CopyText, Fonts, Media
from adloom.assets.banner.media import logo_cutout
from adloom.assets.banner.models import BannerScenes
from adloom.assets.banner.paint import BannerImages
from adloom.assets.banner.sizes import ALL_SIZES, layout_family, parse_size
from adloom.assets.base import JobContext
from adloom.render.cutout import has_meaningful_alpha, read_image, tight_crop
from adloom.render.raster import to_rgba

SHEET_BOX = (720, 360)  # the still's largest size: twice what the Studio shows, for sharp screens
SHEET_COLOUR = (212, 210, 222)  # a neutral board that light and dark banners both stand out on
_GAP = 12
_PHOTO_SIDE = 900  # enough for the largest banner's photo area at storyboard scale


@dataclass(frozen=True)
class Tile:
    """One banner on a layout's still: its size and which copy variant it shows."""

    size: str
    variant: int


def layout_tiles(ctx: JobContext) -> list[list[Tile]]:
    """For each layout of the scenes, in order: every requested size of its shape class with
    variant 0, then the other variants at the class's first size. A class none of the requested
    sizes falls in shows its first standard size; a requested size whose class has no layout
    (the render gives it the default layout) joins the layout nearest its proportions, so every
    size the render will make is on a still."""
    scenes = ctx.scenes_as(BannerScenes)
    sizes, _formats, variants = _options(ctx)
    count = len(_copies(validated_script(ctx), variants))
    classes = [layout.size_class for layout in scenes.layouts]
    own: list[list[str]] = [[s for s in sizes if layout_family(*parse_size(s)) == c] for c in classes]
    for index, size_class in enumerate(classes):
        own[index] = own[index] or [s for s in ALL_SIZES if layout_family(*parse_size(s)) == size_class][:1]
    for size in sizes:
        if layout_family(*parse_size(size)) not in classes:
            own[_nearest(size, own)].append(size)
    return [[Tile(size, 0) for size in mine] + [Tile(mine[0], v) for v in range(1, count)] if mine else []
            for mine in own]


def _nearest(size: str, groups: list[list[str]]) -> int:
    """The group whose first size has the proportions closest to ``size``'s."""
    def ratio(label: str) -> float:
        width, height = parse_size(label)
        return math.log(width / height)

    return min((i for i, g in enumerate(groups) if g), key=lambda i: abs(ratio(groups[i][0]) - ratio(size)))


def _assets(ctx: JobContext) -> BannerAssets:
    """The first photo uncut (a cut-out when it carries its own transparency) and the logo."""
    media, product, photo = Media("none"), None, None
    if ctx.product.photos:
        image = read_image(Path(ctx.product.photos[0]))
        image.thumbnail((_PHOTO_SIDE, _PHOTO_SIDE))
        rgba = np.asarray(image.convert("RGBA"))
        if has_meaningful_alpha(rgba[:, :, 3]):
            product = np.ascontiguousarray(tight_crop(rgba))
            media = Media("cutout", product.shape[1], product.shape[0])
        else:
            photo = np.ascontiguousarray(rgba)
            media = Media("photo", photo.shape[1], photo.shape[0])
    logo = logo_cutout(Path(ctx.brand.logo)) if ctx.brand.logo else None
    return BannerAssets(media, BannerImages(product=product, photo=photo, logo=logo),
                        (logo.shape[1], logo.shape[0]) if logo is not None else None)


def _digest(ctx: JobContext, index: int, tiles: list[Tile]) -> str:
    facts = {"script": ctx.script.model_dump(mode="json"),
             "layout": ctx.scenes_as(BannerScenes).layouts[index].model_dump(mode="json"),
             "tiles": [(t.size, t.variant) for t in tiles], "colors": ctx.brand.colors,
             "fonts": [ctx.brand.heading_font, ctx.brand.body_font], "name": ctx.brand.name,
             "offer": ctx.product.offer or ctx.brand.tagline or "",
             "files": [_stamp(p) for p in (*ctx.product.photos[:1], ctx.brand.logo) if p]}
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _stamp(path: Path | str) -> str:
    stat = Path(path).stat()
    return f"{Path(path).name}:{stat.st_size}:{stat.st_mtime_ns}"


def _sheet(images: list[np.ndarray]) -> Image.Image:
    """The banners on a neutral sheet that fits SHEET_BOX: side by side at one height, or one
    under another at one width (strips such as leaderboards), whichever shows them larger. Sizes are
    shown at a common height so a 200x200 reads as well as a 1080x1080 beside it."""
    tiles = [Image.fromarray(np.ascontiguousarray(i[:, :, :3])) for i in images]
    gaps = _GAP * (len(tiles) + 1)
    ratios = [t.width / t.height for t in tiles]
    row_height = min(SHEET_BOX[1] - 2 * _GAP, (SHEET_BOX[0] - gaps) / sum(ratios))
    column_width = min(SHEET_BOX[0] - 2 * _GAP, (SHEET_BOX[1] - gaps) / sum(1 / r for r in ratios))
    stacked = column_width / max(ratios) > row_height  # the arrangement that shows them larger
    if stacked:
        common = min(SHEET_BOX[0] - 2 * _GAP, (SHEET_BOX[1] - gaps) / sum(t.height / t.width for t in tiles))
        tiles = [t.resize((round(common), max(1, round(common * t.height / t.width))), Image.Resampling.LANCZOS)
                 for t in tiles]
        size = (round(common) + 2 * _GAP, sum(t.height for t in tiles) + gaps)
    else:
        common = min(SHEET_BOX[1] - 2 * _GAP, (SHEET_BOX[0] - gaps) / sum(t.width / t.height for t in tiles))
        tiles = [t.resize((max(1, round(common * t.width / t.height)), round(common)), Image.Resampling.LANCZOS)
                 for t in tiles]
        size = (sum(t.width for t in tiles) + gaps, round(common) + 2 * _GAP)
    sheet = Image.new("RGB", size, SHEET_COLOUR)
    offset = _GAP
    for tile in tiles:
        sheet.paste(tile, (_GAP, offset) if stacked else (offset, _GAP))
        offset += (tile.height if stacked else tile.width) + _GAP
    return sheet


_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(folder: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(folder, threading.Lock())


def paint_storyboard(ctx: JobContext, folder: Path) -> list[Path]:
    """Every layout's still (painted only when missing). Concurrent requests for the stills of
    one project wait for the first, which paints them all, then read the cache."""
    with _lock_for(folder):
        return _paint_missing(ctx, folder)


def _paint_missing(ctx: JobContext, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    layouts = layout_tiles(ctx)
    wanted = [folder / f"layout{i:02d}-{_digest(ctx, i, tiles)}.jpg" for i, tiles in enumerate(layouts)]
    missing = [(path, tiles) for path, tiles in zip(wanted, layouts, strict=True) if not path.exists()]
    if missing:
        assets, fonts = _assets(ctx), fonts_for(ctx)
        copies = _copies(validated_script(ctx), max(t.variant for _, tiles in missing for t in tiles) + 1)
        for path, tiles in missing:
            _save(_sheet([_paint(ctx, assets, fonts, copies[t.variant], t.size) for t in tiles]), path)
    return wanted


def _paint(ctx: JobContext, assets: BannerAssets, fonts: Fonts, copy: CopyText, size: str) -> np.ndarray:
    _plan, image = render_one(banner_spec(ctx, assets, fonts, copy, size), assets.images)
    return to_rgba(image)


def _save(image: Image.Image, path: Path) -> None:
    """Write through a temporary name, so a request never reads a half-written still."""
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    image.save(scratch, format="JPEG", quality=85)
    scratch.replace(path)
