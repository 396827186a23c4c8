"""Framing a photo: where its subject is, and the crop of a given shape that keeps it whole.

When a product cannot be cut out cleanly the photo itself is shown, cropped to the slot it
fills. A centred crop cuts heads off portraits, so the crop is chosen around the subject: the
faces OpenCV's cascade finds (kept whole, with hair and chin) and otherwise the saliency
centre. The analysis (:func:`frame_photo`) runs once per photo; the crop itself
(:func:`subject_crop`) is pure geometry, run per slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from adloom.render.cutout import saliency
from adloom.render.faces import detect_faces
from adloom.render.layout import Box

_WORK_SIDE = 320
# a face box covers brows to mouth: hair, a helmet or the chin reach further
_FACE_GROW = (0.3, 0.5, 0.3, 0.35)  # left, top, right, bottom, as fractions of its size


@dataclass(frozen=True)
class Framing:
    """Where the subject of a photo is, in fractions of its width and height."""

    focal: tuple[float, float] = (0.5, 0.5)
    keep: tuple[float, float, float, float] | None = None  # x, y, w, h that a crop keeps whole
    faces: int = 0

    def to_json(self) -> dict[str, object]:
        return {"focal": list(self.focal), "keep": list(self.keep) if self.keep else None,
                "faces": self.faces}

    @classmethod
    def from_json(cls, data: dict[str, object] | None) -> Framing:
        if not data:
            return cls()
        focal = data.get("focal") or (0.5, 0.5)
        keep = data.get("keep")
        fx, fy = (float(v) for v in focal)  # type: ignore[attr-defined]
        return cls(
            (fx, fy),
            tuple(float(v) for v in keep) if keep else None,  # type: ignore[arg-type, attr-defined]
            int(data.get("faces") or 0),  # type: ignore[call-overload]
        )


def _grown(face: Box, width: int, height: int) -> Box:
    left, top, right, bottom = _FACE_GROW
    x0 = max(0.0, face.x - face.w * left)
    y0 = max(0.0, face.y - face.h * top)
    x1 = min(float(width), face.right + face.w * right)
    y1 = min(float(height), face.bottom + face.h * bottom)
    return Box(x0, y0, x1 - x0, y1 - y0)


def saliency_centre(rgb: np.ndarray) -> tuple[float, float]:
    """The saliency-weighted centre of a photo (fractions of its size)."""
    h, w = rgb.shape[:2]
    scale = min(1.0, _WORK_SIDE / max(h, w))
    small = cv2.resize(rgb, (max(8, round(w * scale)), max(8, round(h * scale))),
                       interpolation=cv2.INTER_AREA)
    weights = saliency(small)
    total = float(weights.sum())
    if total <= 0:
        return 0.5, 0.5
    ys, xs = np.mgrid[0 : weights.shape[0], 0 : weights.shape[1]]
    return (float((xs * weights).sum() / total / weights.shape[1]),
            float((ys * weights).sum() / total / weights.shape[0]))


def frame_photo(rgb: np.ndarray) -> Framing:
    """Faces (kept whole) and the saliency centre of an RGB photo."""
    h, w = rgb.shape[:2]
    faces = detect_faces(rgb)
    if not faces:
        return Framing(saliency_centre(rgb))
    keep = _grown(faces[0], w, h)  # the largest face: the one a crop must never cut
    return Framing(
        (keep.cx / w, keep.cy / h),
        (keep.x / w, keep.y / h, keep.w / w, keep.h / h),
        len(faces),
    )


def _place(start: float, length: float, total: float, keep: tuple[float, float] | None) -> float:
    """The crop's start on one axis: around the focal start, moved to hold ``keep`` whole."""
    if keep is not None:
        lo, hi = keep
        start = min(max(start, hi - length), lo)
    return min(max(start, 0.0), total - length)


def subject_crop(src_w: float, src_h: float, box_w: float, box_h: float,
                 framing: Framing | None = None) -> Box | None:
    """The largest crop of the photo with the box's shape that keeps the subject whole, in
    source pixels; None when even that crop would cut the face (show the whole photo)."""
    framing = framing or Framing()
    scale = max(box_w / src_w, box_h / src_h)
    crop_w, crop_h = min(src_w, box_w / scale), min(src_h, box_h / scale)
    keep = None
    if framing.keep is not None:
        kx, ky, kw, kh = framing.keep
        keep = Box(kx * src_w, ky * src_h, kw * src_w, kh * src_h)
        if keep.w > crop_w + 0.5 or keep.h > crop_h + 0.5:
            return None
    x = _place(framing.focal[0] * src_w - crop_w / 2, crop_w, src_w,
               (keep.x, keep.right) if keep else None)
    y = _place(framing.focal[1] * src_h - crop_h / 2, crop_h, src_h,
               (keep.y, keep.bottom) if keep else None)
    return Box(x, y, crop_w, crop_h)
