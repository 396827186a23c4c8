"""A perceptual distance between two renders, and the score that ranks contact sheets.

distance(a, b) in 0..1 mixes two things a person notices first when two ads sit side by side:

- **colour** (weight 0.6): the Hellinger distance between the two images' colour histograms
  in CIE Lab (12 × 12 × 12 bins, smoothed, over the whole frame, so a shared palette is near 0 and two
  unrelated palettes near 1);
- **layout** (weight 0.4): the mean absolute difference of their edge maps (Sobel magnitude
  on a 48 × 48 greyscale thumbnail, each normalised to its own maximum), so the same boxes in
  the same places are near 0 whatever the colours.

Two renders of one brand and idea measure 0.0; the same layout in another palette about 0.3
to 0.5; see tests/creative/test_visual_distance.py for the thresholds and why.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

COLOUR_WEIGHT = 0.6
LAYOUT_WEIGHT = 0.4
_BINS = 12
_THUMB = 48


def lab_histogram(rgb: np.ndarray) -> np.ndarray:
    """A 12 × 12 × 12 CIE Lab histogram, smoothed across neighbouring bins so that a colour
    on a bin edge (or nudged by JPEG) does not jump to another bin."""
    small = cv2.resize(rgb, (96, 96), interpolation=cv2.INTER_AREA)
    lab = cv2.cvtColor(np.ascontiguousarray(small), cv2.COLOR_RGB2LAB)
    hist = cv2.calcHist([lab], [0, 1, 2], None, [_BINS] * 3, [0, 256] * 3).reshape((_BINS,) * 3)
    for axis in range(3):
        for _ in range(2):
            padded = np.pad(hist, [(1, 1) if a == axis else (0, 0) for a in range(3)], mode="edge")
            lo = np.take(padded, range(_BINS), axis=axis)
            mid = np.take(padded, range(1, _BINS + 1), axis=axis)
            hi = np.take(padded, range(2, _BINS + 2), axis=axis)
            hist = 0.25 * lo + 0.5 * mid + 0.25 * hi
    flat = hist.ravel()
    return np.asarray(flat / max(1e-9, float(flat.sum())), dtype=np.float64)


def edge_map(rgb: np.ndarray) -> np.ndarray:
    grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY).astype(np.float32)
    small = cv2.resize(grey, (_THUMB * 2, _THUMB * 2), interpolation=cv2.INTER_AREA)
    mag = np.hypot(cv2.Sobel(small, cv2.CV_32F, 1, 0), cv2.Sobel(small, cv2.CV_32F, 0, 1))
    mag = cv2.resize(mag, (_THUMB, _THUMB), interpolation=cv2.INTER_AREA)
    return np.asarray(mag / max(1e-6, float(mag.max())), dtype=np.float64)


def colour_distance(a: np.ndarray, b: np.ndarray) -> float:
    ha, hb = lab_histogram(a), lab_histogram(b)
    return float(np.sqrt(max(0.0, 1.0 - float(np.sum(np.sqrt(ha * hb))))))


def layout_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(edge_map(a) - edge_map(b))) * 4)  # edge maps are sparse


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """0 for the same picture, towards 1 for unrelated ones (see the module docstring)."""
    return COLOUR_WEIGHT * colour_distance(a, b) + LAYOUT_WEIGHT * min(1.0, layout_distance(a, b))


def set_distance(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> float:
    """Mean distance of corresponding renders (the same size, format or moment of the ad)."""
    pairs = list(zip(a, b, strict=False))
    return sum(distance(x, y) for x, y in pairs) / max(1, len(pairs))


def colourfulness(rgb: np.ndarray) -> float:
    """Hasler and Süsstrunk's colourfulness (0 for grey, ~100 for vivid), on a thumbnail."""
    small = cv2.resize(rgb, (96, 96), interpolation=cv2.INTER_AREA).astype(np.float64)
    r, g, b = small[..., 0], small[..., 1], small[..., 2]
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def empty_fraction(rgb: np.ndarray, *, cells: int = 8) -> float:
    """The share of an 8 × 8 grid of cells with no edge at all: areas left empty."""
    edges = edge_map(rgb)
    step = _THUMB // cells
    grid = edges[: step * cells, : step * cells].reshape(cells, step, cells, step).max(axis=(1, 3))
    return float(np.mean(grid < 0.04))


def _features(images: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [(lab_histogram(x), edge_map(x)) for x in images]


def _feature_distance(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    colour = float(np.sqrt(max(0.0, 1.0 - float(np.sum(np.sqrt(a[0] * b[0]))))))
    layout = float(np.mean(np.abs(a[1] - b[1])) * 4)
    return COLOUR_WEIGHT * colour + LAYOUT_WEIGHT * min(1.0, layout)


def too_similar(renders: dict[str, Sequence[np.ndarray]], threshold: float,
                ) -> list[tuple[str, str, float]]:
    """Every pair of named render sets whose :func:`set_distance` is below ``threshold``
    (closest first); each image's histogram and edge map are computed once."""
    names = sorted(renders)
    features = {name: _features(renders[name]) for name in names}
    found = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pairs = list(zip(features[a], features[b], strict=False))
            d = sum(_feature_distance(x, y) for x, y in pairs) / max(1, len(pairs))
            if d < threshold:
                found.append((a, b, round(d, 3)))
    return sorted(found, key=lambda x: x[2])
