"""The cut-out quality gate: a product cut-out is shown only when it is clean.

Classic segmentation (and a model the operator points to) sometimes returns half a subject:
an astronaut's suit without the head, a cat's eyes and nose, a motorcycle's tank without its
wheels. Shown as the hero, that embarrasses the brand; the framed photo never does. So every
mask is measured against its photo before it is used:

- ``components``: one connected subject (two floating eyes are two).
- ``area``: the subject covers a sensible share of the photo (not a speck, not the frame).
- ``edge_agreement``: the outline runs along the photo's strong edges, not across flat areas.
- ``clutter``: the ring around the subject is quiet. Strong edges next to the outline mean
  the photo's subject continues past it (the head above a cut-out suit) or the background is
  a scene the segmenter cannot be trusted on.
- ``borders``: the subject is not cropped by two or more image borders, unless the photo is a
  packshot (plain background), where a product may run off a side.

The thresholds were set on the labelled photos in ``tests/render/cutout_set`` (people,
animals, vehicles, food, packaged goods, devices); a test checks every verdict.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import cv2
import numpy as np

WORK_SIDE = 320
MIN_AREA, MAX_AREA = 0.03, 0.85
MIN_EDGE_AGREEMENT = 0.85
MAX_CLUTTER = 0.015
PLAIN_BACKGROUND = 0.005  # edge density of a packshot's background
BORDER_BAND = 0.02  # the strip along each border checked for the subject
BORDER_TOUCH = 0.05  # share of a border strip the subject may cover


@dataclass(frozen=True)
class CutoutQuality:
    """The gate's measures of one mask and its verdict; ``reasons`` name the failed tests."""

    source: str  # alpha | segmented | model
    usable: bool
    area: float = 0.0
    components: int = 0
    edge_agreement: float = 0.0
    clutter: float = 0.0
    borders: int = 0
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        return data

    def describe(self) -> str:
        if self.usable:
            return f"{self.source} cut-out passed the quality gate"
        return f"{self.source} cut-out failed the quality gate: {', '.join(self.reasons)}"


def _work_copies(rgb: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, w = mask.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    size = (max(8, round(w * scale)), max(8, round(h * scale)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    binary = cv2.resize(mask, size, interpolation=cv2.INTER_AREA) >= 128
    return small, binary.astype(np.uint8)


def count_components(binary: np.ndarray) -> int:
    """Connected parts holding at least 5 % of the subject (specks are not parts)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    return int((areas >= 0.05 * areas.sum()).sum()) if len(areas) else 0


def strong_edges(rgb: np.ndarray) -> np.ndarray:
    """Strong edges in lightness or in hue: a blue bottle on brown wood of the same
    lightness has no edge in grey."""
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), 1.0), cv2.COLOR_RGB2LAB)
    found = np.zeros(rgb.shape[:2], bool)
    for channel, gain in ((0, 1.0), (1, 2.0), (2, 2.0)):
        plane = np.clip((lab[:, :, channel].astype(np.float32) - 128) * gain + 128, 0, 255)
        plane = lab[:, :, 0] if channel == 0 else plane.astype(np.uint8)
        found |= cv2.Canny(np.ascontiguousarray(plane), 60, 140) > 0
    return found


def edge_agreement(edges: np.ndarray, binary: np.ndarray) -> float:
    """Share of the outline within two pixels of a strong photo edge."""
    outline = cv2.morphologyEx(binary, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    if not outline.any():
        return 0.0
    near = cv2.dilate(edges.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return float(near[outline].mean())


def ring_clutter(edges: np.ndarray, binary: np.ndarray) -> float:
    """Edge density in a ring around the subject (its outline excluded)."""
    h, w = binary.shape
    reach = max(3, round(0.12 * float(np.hypot(h, w))))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    ring = (cv2.dilate(binary, disc) > 0) & ~(cv2.dilate(binary, np.ones((7, 7), np.uint8)) > 0)
    return float(edges[ring].mean()) if ring.any() else 0.0


def background_clutter(edges: np.ndarray, binary: np.ndarray) -> float:
    outside = ~(cv2.dilate(binary, np.ones((7, 7), np.uint8)) > 0)
    return float(edges[outside].mean()) if outside.any() else 0.0


def borders_touched(binary: np.ndarray) -> int:
    """How many image borders the subject runs into."""
    h, w = binary.shape
    band = max(2, round(min(h, w) * BORDER_BAND))
    strips = (binary[:band], binary[-band:], binary[:, :band], binary[:, -band:])
    return sum(float(s.mean()) > BORDER_TOUCH for s in strips)


def assess(rgb: np.ndarray, mask: np.ndarray, *, source: str = "segmented") -> CutoutQuality:
    """Measure an alpha mask (HxW uint8) against its RGB photo and give the verdict."""
    small, binary = _work_copies(rgb, mask)
    edges = strong_edges(small)
    area = float(binary.mean())
    measures = {
        "area": round(area, 3),
        "components": count_components(binary),
        "edge_agreement": round(edge_agreement(edges, binary), 3),
        "clutter": round(ring_clutter(edges, binary), 4),
        "borders": borders_touched(binary),
    }
    plain = background_clutter(edges, binary) <= PLAIN_BACKGROUND
    failed = [
        name
        for name, ok in (
            ("one subject", measures["components"] == 1),
            ("coverage", MIN_AREA <= area <= MAX_AREA),
            ("edge agreement", measures["edge_agreement"] >= MIN_EDGE_AGREEMENT),
            ("subject continues past the outline", measures["clutter"] <= MAX_CLUTTER),
            ("cropped by the frame", measures["borders"] <= 1 or plain),
        )
        if not ok
    ]
    return CutoutQuality(source, not failed, reasons=tuple(failed), **measures)  # type: ignore[arg-type]


def alpha_quality() -> CutoutQuality:
    """A photo with its own transparency: someone already cut it out by hand."""
    return CutoutQuality("alpha", True, components=1)


@dataclass(frozen=True)
class ProductCut:
    """The verdict on one product photo: the mask to cut with (None when no mask was made)
    and the quality of the best candidate."""

    mask: np.ndarray | None
    quality: CutoutQuality

    @property
    def usable(self) -> bool:
        return self.mask is not None and self.quality.usable


def _classic(rgb: np.ndarray) -> ProductCut:
    from adloom.errors import BadMedia
    from adloom.render.cutout import segment

    try:
        mask = segment(rgb)
    except BadMedia:
        return ProductCut(None, CutoutQuality("segmented", False, reasons=("no subject found",)))
    return ProductCut(mask, assess(rgb, mask, source="segmented"))


def cut_product(rgba: np.ndarray, *, model: str | None = None) -> ProductCut:
    """Decide how the product in an RGBA photo is cut out. Its own transparency is used as it
    is; otherwise the operator's model (``model``: an ONNX file) and then the classic
    segmenter each propose a mask, and the first that passes the gate wins. When none does,
    the result is not usable and callers show the framed photo."""
    from adloom.render.cutout import has_meaningful_alpha

    if has_meaningful_alpha(rgba[:, :, 3]):
        return ProductCut(np.ascontiguousarray(rgba[:, :, 3]), alpha_quality())
    rgb = np.ascontiguousarray(rgba[:, :, :3])
    tried: list[ProductCut] = []
    if model:
        from adloom.render.segmodel import load_model

        mask = load_model(model).mask(rgb)
        tried.append(ProductCut(mask, assess(rgb, mask, source="model")))
        if tried[-1].usable:
            return tried[-1]
    tried.append(_classic(rgb))
    return next((cut for cut in tried if cut.usable), tried[0])
