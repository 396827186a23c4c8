"""Raster output: skia surfaces to PNG / JPEG / WebP bytes, within a file-size budget.

Encoding goes through Pillow with fixed settings, so the same pixels always give the same bytes.
"""

from __future__ import annotations

import io
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


def encode(image: skia.Image | skia.Surface | np.ndarray, fmt: Format, *, quality: int = 88) -> bytes:
    """Encode at a fixed quality (PNG is lossless; quality is ignored)."""
    return _encode_pil(to_pil(image, opaque=fmt == "jpeg"), fmt, quality)


def _encode_pil(pil: Image.Image, fmt: Format, quality: int) -> bytes:
    if fmt == "png":
        return _save(pil, "PNG", compress_level=6)
    if fmt == "jpeg":
        rgb = pil.convert("RGB")
        return _save(rgb, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0")
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


def _png_within(pil: Image.Image, max_bytes: int) -> bytes | None:
    data = _encode_pil(pil, "png", 0)
    if len(data) <= max_bytes:
        return data
    rgb = pil.convert("RGB")
    for colors in (256, 128, 64, 32):
        quantised = rgb.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
        data = _save(quantised, "PNG", compress_level=9, optimize=False)
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
