"""Raster output: skia surfaces to PNG / JPEG / WebP bytes, within a file-size budget.

Encoding goes through Pillow with fixed settings, so the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import skia
from PIL import Image

from adloom.errors import RenderError

Format = Literal["png", "jpeg", "webp"]
MEDIA_TYPES: dict[str, str] = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
EXTENSIONS: dict[str, str] = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_MIN_QUALITY = 30
_MAX_QUALITY = 92


def new_surface(width: int, height: int) -> skia.Surface:
    """An RGBA raster surface (so pixel reads need no channel swap)."""
    info = skia.ImageInfo.Make(
        width, height, skia.ColorType.kRGBA_8888_ColorType, skia.AlphaType.kPremul_AlphaType
    )
    surface = skia.Surface.MakeRaster(info)
    if surface is None:
        raise RenderError(f"Could not allocate a {width}x{height} canvas.")
    return surface


def to_rgba(image: skia.Image | skia.Surface | np.ndarray) -> np.ndarray:
    """HxWx4 uint8 RGBA (unpremultiplied) from a skia image/surface or an array."""
    if isinstance(image, np.ndarray):
        return image
    if isinstance(image, skia.Surface):
        image = image.makeImageSnapshot()
    return np.asarray(
        image.toarray(
            colorType=skia.ColorType.kRGBA_8888_ColorType,
            alphaType=skia.AlphaType.kUnpremul_AlphaType,
        )
    )


def to_pil(image: skia.Image | skia.Surface | np.ndarray, *, opaque: bool = True) -> Image.Image:
    rgba = to_rgba(image)
    pil = Image.fromarray(np.ascontiguousarray(rgba), "RGBA")
    return pil.convert("RGB") if opaque else pil


def _save(pil: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    pil.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def encode(
    image: skia.Image | skia.Surface | np.ndarray, fmt: Format, *, quality: int = 88
) -> bytes:
    """Encode at a fixed quality (PNG is lossless; quality is ignored)."""
    return _encode_pil(to_pil(image, opaque=fmt == "jpeg"), fmt, quality)


def _encode_pil(pil: Image.Image, fmt: Format, quality: int) -> bytes:
    if fmt == "png":
        return _save(pil, "PNG", compress_level=6)
    if fmt == "jpeg":
        rgb = pil if pil.mode == "RGB" else pil.convert("RGB")
        return _save(
            rgb, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0"
        )
    if fmt == "webp":
        return _save(pil, "WEBP", quality=quality, method=4)
    raise RenderError(f"Unknown image format {fmt!r}.", hint="Use png, jpeg or webp.")


def _lossy_within(pil: Image.Image, fmt: Format, max_bytes: int) -> bytes | None:
    """Highest quality whose file fits (binary search over quality)."""
    first = _encode_pil(pil, fmt, _MAX_QUALITY)
    if len(first) <= max_bytes:
        return first
    lo, hi, best = _MIN_QUALITY, _MAX_QUALITY - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        data = _encode_pil(pil, fmt, mid)
        if len(data) <= max_bytes:
            best, lo = data, mid + 1
        else:
            hi = mid - 1
    return best


_PALETTE_SAMPLE_PIXELS = 40_000


def _pack(pixels: np.ndarray) -> np.ndarray:
    packed: np.ndarray = (
        (pixels[..., 0].astype(np.uint32) << 16)
        | (pixels[..., 1].astype(np.uint32) << 8)
        | pixels[..., 2]
    )
    return packed


@dataclass(frozen=True)
class _Source:
    """An RGB image with what every quantisation attempt needs, computed once."""

    rgb: Image.Image
    packed: np.ndarray  # HxW packed 0xRRGGBB
    exact: tuple[tuple[int, int, int], ...]  # dominant exact colours
    sample: Image.Image  # small copy for palette building
    palettes: dict[int, Image.Image] = field(
        default_factory=dict, compare=False
    )  # per colour count

    @classmethod
    def of(cls, rgb: Image.Image) -> _Source:
        array = np.asarray(rgb)
        packed = _pack(array)
        scale = max(1, round((rgb.width * rgb.height / _PALETTE_SAMPLE_PIXELS) ** 0.5))
        return cls(rgb, packed, _dominant_colors(packed), rgb.reduce(scale) if scale > 1 else rgb)


def _dominant_colors(packed: np.ndarray, limit: int = 16) -> tuple[tuple[int, int, int], ...]:
    """Exact colours covering at least 0.5 % of the image (flat fields, text, buttons)."""
    sample = packed[::2, ::2].ravel() if packed.size > 200_000 else packed.ravel()
    values, counts = np.unique(sample, return_counts=True)
    order = np.argsort(-counts, kind="stable")[:limit]
    keep = [int(values[i]) for i in order if counts[i] >= 0.005 * len(sample)]
    return tuple(((v >> 16) & 255, (v >> 8) & 255, v & 255) for v in keep)


def _palette(source: _Source, colors: int) -> Image.Image:
    """A palette image: the dominant exact colours (so flat brand fields stay exact) plus a
    median-cut palette of a small copy for everything else."""
    exact = source.exact
    cut = source.sample.quantize(
        colors=max(2, colors - len(exact)), method=Image.Quantize.MEDIANCUT
    )
    entries = [c for rgb3 in exact for c in rgb3] + list(cut.getpalette() or [])[
        : 3 * (colors - len(exact))
    ]
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries + [0] * (768 - len(entries)))
    return palette


def _quantise(source: _Source, colors: int, dither: bool) -> Image.Image:
    """Palette image whose flat brand colours stay exact (Pillow's palette lookup is
    approximate, so pixels that had a dominant colour are put back on its entry)."""
    palette = source.palettes.get(colors)
    if palette is None:
        palette = source.palettes[colors] = _palette(source, colors)
    mode = Image.Dither.FLOYDSTEINBERG if dither else Image.Dither.NONE
    quantised = source.rgb.quantize(palette=palette, dither=mode)
    if not source.exact:
        return quantised
    indices = np.array(quantised, dtype=np.uint8)
    for entry, key in enumerate(_pack(np.array(source.exact, dtype=np.uint8))):
        indices[source.packed == key] = entry
    fixed = Image.fromarray(indices, "P")
    fixed.putpalette(palette.getpalette() or [])
    return fixed


_FULL_PNG_MAX_PIXELS = 250_000  # above this a lossless try costs more than it usually wins
_PALETTE_PNG_LEVEL = (
    4  # zlib level for palette PNGs: level 6 costs ~60 % more time for ~2 % fewer bytes
)
# dithering hides banding but costs bytes: try it first, then flat palettes
_PALETTE_STEPS = (
    (256, True),
    (256, False),
    (128, False),
    (64, False),
    (32, False),
    (16, False),
    (8, False),
)


def _png_within(pil: Image.Image, max_bytes: int) -> bytes | None:
    if pil.width * pil.height <= _FULL_PNG_MAX_PIXELS or max_bytes > 3 * pil.width * pil.height:
        data = _encode_pil(pil, "png", 0)
        if len(data) <= max_bytes:
            return data
    source = _Source.of(pil if pil.mode == "RGB" else pil.convert("RGB"))
    for colors, dither in _PALETTE_STEPS:
        data = _save(_quantise(source, colors, dither), "PNG", compress_level=_PALETTE_PNG_LEVEL)
        if len(data) <= max_bytes:
            return data
    return None


def encode_within_budget(
    image: skia.Image | skia.Surface | np.ndarray, fmt: Format, max_bytes: int = 150_000
) -> bytes:
    """The best-quality encoding of ``image`` that is at most ``max_bytes`` long:
    quality search for JPEG/WebP, a quantised palette PNG when plain PNG is too big."""
    pil = to_pil(image, opaque=True)
    data = _png_within(pil, max_bytes) if fmt == "png" else _lossy_within(pil, fmt, max_bytes)
    if data is None:
        raise RenderError(
            f"Could not encode a {pil.width}x{pil.height} {fmt.upper()} under {max_bytes} bytes.",
            hint="Use a simpler background or a lossy format for this size.",
        )
    return data
