"""Banner intermediates: the product visual (cutout or photo) and the logo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from adloom.errors import BadMedia
from adloom.render.cutout import has_meaningful_alpha, read_image, saliency, segment, tight_crop

_MAX_PHOTO_SIDE = 1600


@dataclass(frozen=True)
class ProductVisual:
    """A cutout when the product separates cleanly from its background, else the photo."""

    mode: str  # "cutout" | "photo"
    rgba: np.ndarray
    focal: tuple[float, float]
    reason: str


def border_touch(mask: np.ndarray) -> float:
    """Fraction of the image border covered by the mask: a clean product rarely touches it."""
    edges = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    return float(np.mean(edges >= 128))


def weak_edge_fraction(rgb: np.ndarray, mask: np.ndarray) -> float:
    """Share of the cutout's outline that runs through flat image areas: a real object's
    outline follows image edges, a wrong cut crosses sky or wall."""
    binary = (mask >= 128).astype(np.uint8)
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    grad = np.hypot(
        cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    )
    outline = cv2.morphologyEx(binary, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    if not outline.any():
        return 1.0
    near = cv2.dilate(grad, np.ones((5, 5), np.uint8))
    return float(np.mean(near[outline] < 60))


def _focal(mask: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(mask >= 128)
    if len(xs) == 0:
        return 0.5, 0.5
    h, w = mask.shape
    return float(xs.mean() / w), float(ys.mean() / h)


def saliency_focal(rgb: np.ndarray) -> tuple[float, float]:
    """Focal point of a scene photo: the saliency-weighted centre (fractions of the size)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, 320 / max(h, w))
    small = cv2.resize(
        rgb, (max(8, round(w * scale)), max(8, round(h * scale))), interpolation=cv2.INTER_AREA
    )
    weights = saliency(small)
    total = float(weights.sum())
    if total <= 0:
        return 0.5, 0.5
    ys, xs = np.mgrid[0 : weights.shape[0], 0 : weights.shape[1]]
    return float((xs * weights).sum() / total / weights.shape[1]), float(
        (ys * weights).sum() / total / weights.shape[0]
    )


def _downscaled(rgba: np.ndarray) -> np.ndarray:
    h, w = rgba.shape[:2]
    scale = _MAX_PHOTO_SIDE / max(h, w)
    if scale >= 1:
        return rgba
    return cv2.resize(rgba, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def product_visual(path: Path) -> ProductVisual:
    """Cut the product out of its photo, or keep the photo when segmentation is doubtful."""
    rgba = _downscaled(np.asarray(read_image(path)))
    if has_meaningful_alpha(rgba[:, :, 3]):
        return ProductVisual("cutout", tight_crop(rgba), (0.5, 0.5), "alpha channel")
    opaque = rgba[:, :, :3]
    if float(opaque.std()) < 3.0:
        raise BadMedia(
            f"The product photo {Path(path).name} is blank (one flat colour).",
            hint="Upload a photo that shows the product.",
            path=str(path),
        )
    try:
        mask = segment(opaque)
    except BadMedia:
        return ProductVisual("photo", rgba, saliency_focal(opaque), "no salient object")
    area = float(np.mean(mask >= 128))
    touch = border_touch(mask)
    weak = weak_edge_fraction(opaque, mask)
    focal = _focal(mask)
    if touch > 0.08 or weak > 0.05 or not 0.04 <= area <= 0.8:
        # the mask is doubtful, so it is no guide to where the subject is either
        reason = f"scene photo (border {touch:.0%}, weak outline {weak:.0%}, area {area:.0%})"
        return ProductVisual("photo", rgba, saliency_focal(opaque), reason)
    return ProductVisual(
        "cutout", tight_crop(np.dstack([opaque, mask])), focal, f"segmented (area {area:.0%})"
    )


def logo_cutout(path: Path) -> np.ndarray:
    """The logo without its flat background; solid marks (e.g. a roundel) are kept whole."""
    rgba = _downscaled(np.asarray(read_image(path)))
    if has_meaningful_alpha(rgba[:, :, 3]):
        return tight_crop(rgba)
    try:
        mask = segment(rgba[:, :, :3])
    except BadMedia:
        return rgba
    contours, _ = cv2.findContours(
        (mask >= 128).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    if contours:
        hull = cv2.convexHull(np.concatenate(contours))
        hull_mask = np.zeros(mask.shape, np.uint8)
        cv2.fillPoly(hull_mask, [hull], 255)
        solidity = float(np.mean(mask >= 128)) / max(1e-6, float(np.mean(hull_mask > 0)))
        if solidity >= 0.8:  # internal gaps belong to the mark
            mask = cv2.GaussianBlur(hull_mask, (0, 0), 0.8)
    return tight_crop(np.dstack([rgba[:, :, :3], mask]))
