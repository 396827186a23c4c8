"""Product cutouts: the product photo as a tight RGBA image, ready to composite.

A photo with a meaningful alpha channel is used as it is. Otherwise the product is segmented
from its background with classic computer vision: a saliency map (colour distance from the
colours found along the photo's border, with a mild centre prior) seeds OpenCV's GrabCut; the
mask is cleaned (largest components, holes filled), upscaled along the original edges and
feathered by about a pixel so it composites without a halo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import skia
from PIL import Image, ImageOps, UnidentifiedImageError

from adloom.errors import BadMedia
from adloom.render.layout import Box

_WORK_SIZE = 320  # segmentation runs on a copy this large (longest side)
_BORDER_CLUSTERS = 6
_GRABCUT_ITERATIONS = 5


def _to_rgba(image: Image.Image) -> Image.Image:
    """RGBA from any mode; 16-bit and float greyscale are scaled down, not clipped."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or values.max() > 255 else 255.0
        image = Image.fromarray(np.clip(values / top * 255 + 0.5, 0, 255).astype(np.uint8), "L")
    return image.convert("RGBA")


def read_image(path: Path) -> Image.Image:
    """Open an image file as RGBA, upright; BadMedia when it cannot be used."""
    try:
        with Image.open(path) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            return _to_rgba(image)
    except FileNotFoundError as exc:
        raise BadMedia(
            f"Product photo {path} does not exist.", hint="Upload the photo again.", path=str(path)
        ) from exc
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise BadMedia(
            f"{path.name} is not a readable image ({exc.__class__.__name__}).",
            hint="Upload a PNG, JPEG or WebP photo of the product.",
            path=str(path),
        ) from exc


def has_meaningful_alpha(alpha: np.ndarray) -> bool:
    """True when the alpha channel really separates an object from transparency."""
    transparent = float(np.mean(alpha < 128))
    return 0.01 <= transparent <= 0.97


def load_cutout(path: Path) -> np.ndarray:
    """The product in ``path`` as HxWx4 uint8 RGBA, tight-cropped to the object."""
    rgba = np.asarray(read_image(Path(path)))
    alpha = rgba[:, :, 3]
    mask = alpha if has_meaningful_alpha(alpha) else segment(rgba[:, :, :3])
    return tight_crop(np.dstack([rgba[:, :, :3], mask]))


def tight_crop(rgba: np.ndarray, *, threshold: int = 8) -> np.ndarray:
    ys, xs = np.nonzero(rgba[:, :, 3] > threshold)
    if len(xs) == 0:
        raise BadMedia(
            "No product could be found in the photo.",
            hint="Use a photo where the product stands out from its background.",
        )
    return np.ascontiguousarray(rgba[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1])


# ------------------------------------------------------------------ segmentation


def saliency(rgb: np.ndarray) -> np.ndarray:
    """Per-pixel saliency 0..1: Lab distance to the nearest border colour, with a centre prior."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    band = max(2, round(min(h, w) * 0.02))
    border = np.concatenate(
        [
            lab[:band].reshape(-1, 3),
            lab[-band:].reshape(-1, 3),
            lab[:, :band].reshape(-1, 3),
            lab[:, -band:].reshape(-1, 3),
        ]
    )
    centres = _cluster(border, _BORDER_CLUSTERS)
    distance = np.min(np.linalg.norm(lab[:, :, None, :] - centres[None, None], axis=3), axis=2)
    distance = cv2.GaussianBlur(distance, (0, 0), max(1.0, min(h, w) / 160))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    prior = np.exp(-(((xx / w - 0.5) ** 2) + ((yy / h - 0.5) ** 2)) / (2 * 0.3**2))
    score = distance * (0.55 + 0.45 * prior)
    top = float(np.percentile(score, 99.5)) or 1.0
    result: np.ndarray = np.clip(score / top, 0.0, 1.0).astype(np.float32)
    return result


def _cluster(samples: np.ndarray, k: int) -> np.ndarray:
    """Dominant border colours; rare ones (an object touching the frame) are dropped."""
    cv2.setRNGSeed(7)  # k-means++ is random: fix it so cutouts are deterministic
    k = min(k, len(samples))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(
        samples.astype(np.float32), k, None, criteria, 2, cv2.KMEANS_PP_CENTERS
    )
    share = np.bincount(labels.ravel(), minlength=k) / len(labels)
    return np.asarray(centres[share >= 0.08], dtype=np.float32)


def _grabcut_seeds(sal: np.ndarray) -> np.ndarray:
    level, _ = cv2.threshold(
        (sal * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    threshold = level / 255
    mask = np.full(sal.shape, cv2.GC_PR_BGD, np.uint8)
    mask[sal > threshold] = cv2.GC_PR_FGD
    core = cv2.erode((sal > min(0.95, threshold * 1.6)).astype(np.uint8), np.ones((5, 5), np.uint8))
    mask[core > 0] = cv2.GC_FGD
    mask[sal < threshold * 0.35] = cv2.GC_BGD
    mask[:2, :] = mask[-2:, :] = cv2.GC_BGD
    mask[:, :2] = mask[:, -2:] = cv2.GC_BGD
    return mask


def _clean(binary: np.ndarray) -> np.ndarray:
    """Keep the large components, fill their holes, smooth the outline."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if count <= 1:
        return binary
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = 1 + np.nonzero(areas >= 0.15 * areas.max())[0]
    kept = np.isin(labels, keep).astype(np.uint8)
    contours, _ = cv2.findContours(kept, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(kept)
    cv2.drawContours(filled, contours, -1, 1, thickness=cv2.FILLED)
    return filled


def plain_border(small: np.ndarray) -> bool:
    """True for a packshot: no strong edge anywhere along the photo's border."""
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_RGB2GRAY), (0, 0), 1.0)
    edges = cv2.Canny(gray, 40, 100) > 0
    band = max(3, round(min(small.shape[:2]) * 0.04))
    ring = np.ones(edges.shape, bool)
    ring[band:-band, band:-band] = False
    return float(edges[ring].mean()) < 0.002


def _background_fill(small: np.ndarray) -> np.ndarray:
    """On a plain ground, the object is whatever the border's colour cannot flood into:
    a label or a white cap inside the product stays part of it, which colour distance from
    the ground would drop."""
    blurred = cv2.GaussianBlur(small, (0, 0), 1.2)
    h, w = blurred.shape[:2]
    flood = np.zeros((h + 2, w + 2), np.uint8)
    tolerance = (6, 6, 6)
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    step = max(1, min(h, w) // 40)
    seeds = [(x, y) for x in range(0, w, step) for y in (0, h - 1)]
    seeds += [(x, y) for y in range(0, h, step) for x in (0, w - 1)]
    for x, y in seeds:
        if not flood[y + 1, x + 1]:
            cv2.floodFill(blurred, flood, (x, y), (0, 0, 0), tolerance, tolerance, flags)
    return _clean((flood[1:-1, 1:-1] == 0).astype(np.uint8))


def segment(rgb: np.ndarray) -> np.ndarray:
    """Alpha mask (HxW uint8) of the salient object in an RGB photo."""
    h, w = rgb.shape[:2]
    scale = min(1.0, _WORK_SIZE / max(h, w))
    small = cv2.resize(
        rgb, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    if plain_border(small):
        filled = _background_fill(small)
        if filled.any():
            return _upscale_mask(filled, (w, h), 1 / scale)
    mask = _grabcut_seeds(saliency(small))
    if not np.any((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)):
        raise BadMedia(
            "No product could be found in the photo.",
            hint="Use a photo where the product stands out from its background.",
        )
    cv2.setRNGSeed(7)
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(  # type: ignore[call-overload]
        cv2.cvtColor(small, cv2.COLOR_RGB2BGR),
        mask,
        None,
        bgd,
        fgd,
        _GRABCUT_ITERATIONS,
        cv2.GC_INIT_WITH_MASK,
    )
    binary = _clean(((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8))
    return _upscale_mask(binary, (w, h), 1 / scale)


def _upscale_mask(binary: np.ndarray, size: tuple[int, int], factor: float) -> np.ndarray:
    soft = cv2.resize(binary.astype(np.float32), size, interpolation=cv2.INTER_LINEAR)
    soft = cv2.GaussianBlur(soft, (0, 0), max(0.8, factor * 0.5))
    hard = (soft >= 0.5).astype(np.float32)
    feather = max(0.7, min(size) / 600)
    return np.asarray(
        np.clip(cv2.GaussianBlur(hard, (0, 0), feather) * 255 + 0.5, 0, 255), np.uint8
    )


def mask_iou(a: np.ndarray, b: np.ndarray, *, threshold: int = 128) -> float:
    """Intersection over union of two alpha masks."""
    fa, fb = a >= threshold, b >= threshold
    union = np.logical_or(fa, fb).sum()
    return float(np.logical_and(fa, fb).sum() / union) if union else 1.0


# ------------------------------------------------------------------ compositing


@dataclass(frozen=True)
class Shadow:
    """A soft drop shadow: offset and blur as fractions of the drawn height."""

    color: str = "#000000"
    opacity: float = 0.28
    blur: float = 0.035
    offset_y: float = 0.03
    offset_x: float = 0.0


def resized(rgba: np.ndarray, width: int, height: int) -> np.ndarray:
    """Resample an RGBA array (area filter when shrinking, so small sizes stay crisp)."""
    h, w = rgba.shape[:2]
    if (w, h) == (width, height):
        return rgba
    method = cv2.INTER_AREA if width < w else cv2.INTER_CUBIC
    if rgba[:, :, 3].min() == 255:  # opaque (photos): no premultiplication needed
        return np.ascontiguousarray(cv2.resize(rgba, (width, height), interpolation=method))
    # premultiply so transparent pixels do not bleed their colour into the edge
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255
    premul = np.concatenate([rgba[:, :, :3] * alpha, alpha * 255], axis=2)
    out = cv2.resize(premul, (width, height), interpolation=method)
    out = np.clip(out, 0, 255)
    a = out[:, :, 3:4] / 255
    rgb = np.where(a > 1e-3, out[:, :, :3] / np.maximum(a, 1e-3), 0)
    return np.ascontiguousarray(
        np.concatenate([rgb, out[:, :, 3:4]], axis=2).round().clip(0, 255).astype(np.uint8)
    )


def skia_image(rgba: np.ndarray) -> skia.Image:
    return skia.Image.fromarray(
        np.ascontiguousarray(rgba),
        colorType=skia.ColorType.kRGBA_8888_ColorType,
        alphaType=skia.AlphaType.kUnpremul_AlphaType,
    )


def composite_with_shadow(
    canvas: skia.Canvas, cutout: np.ndarray, dst: Box, *, shadow: Shadow | None = Shadow()
) -> None:
    """Draw ``cutout`` (RGBA) into ``dst`` (whole pixels) with a soft drop shadow beneath it."""
    box = dst.rounded()
    image = skia_image(resized(cutout, max(1, int(box.w)), max(1, int(box.h))))
    paint = skia.Paint(AntiAlias=True)
    if shadow is not None:
        r, g, b = (int(shadow.color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        color = skia.ColorSetARGB(round(255 * shadow.opacity), r, g, b)
        sigma = max(0.5, shadow.blur * box.h)
        paint.setImageFilter(
            skia.ImageFilters.DropShadow(
                shadow.offset_x * box.h, shadow.offset_y * box.h, sigma, sigma, color
            )
        )
    canvas.drawImage(image, box.x, box.y, skia.SamplingOptions(), paint)
