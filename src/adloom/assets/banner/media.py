"""Banner intermediates: the product visual (a gated cutout, or the photo framed around its
subject) and the logo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from adloom.errors import BadMedia
from adloom.render.cutout import has_meaningful_alpha, read_image, segment, tight_crop
from adloom.render.cutout_gate import CutoutQuality, cut_product
from adloom.render.framing import Framing, frame_photo

_MAX_PHOTO_SIDE = 1600


@dataclass(frozen=True)
class ProductVisual:
    """A cutout when it passes the quality gate, else the photo framed around its subject."""

    mode: str  # "cutout" | "photo"
    rgba: np.ndarray
    focal: tuple[float, float]
    reason: str
    framing: Framing = field(default_factory=Framing)
    quality: CutoutQuality | None = None


def _focal(mask: np.ndarray) -> tuple[float, float]:
    ys, xs = np.nonzero(mask >= 128)
    if len(xs) == 0:
        return 0.5, 0.5
    h, w = mask.shape
    return float(xs.mean() / w), float(ys.mean() / h)


def _downscaled(rgba: np.ndarray) -> np.ndarray:
    h, w = rgba.shape[:2]
    scale = _MAX_PHOTO_SIDE / max(h, w)
    if scale >= 1:
        return rgba
    return cv2.resize(rgba, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def product_visual(path: Path, *, model: str | None = None) -> ProductVisual:
    """The product cut out when the cut-out passes the quality gate (render.cutout_gate);
    otherwise the photo, with the framing (faces, saliency) its crops are chosen by.
    ``model`` is the operator's ONNX segmentation model, if any."""
    rgba = _downscaled(np.asarray(read_image(path)))
    if float(rgba[:, :, :3].std()) < 3.0 and not has_meaningful_alpha(rgba[:, :, 3]):
        raise BadMedia(
            f"The product photo {Path(path).name} is blank (one flat colour).",
            hint="Upload a photo that shows the product.",
            path=str(path),
        )
    cut = cut_product(rgba, model=model)
    if cut.usable and cut.mask is not None:
        cutout = tight_crop(np.dstack([rgba[:, :, :3], cut.mask]))
        reason = "alpha channel" if cut.quality.source == "alpha" else (
            f"{cut.quality.source} (area {cut.quality.area:.0%}), passed the cut-out gate")
        return ProductVisual("cutout", cutout, _focal(cut.mask), reason, quality=cut.quality)
    framing = frame_photo(np.ascontiguousarray(rgba[:, :, :3]))
    return ProductVisual("photo", rgba, framing.focal, f"photo: {cut.quality.describe()}",
                         framing, cut.quality)


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
