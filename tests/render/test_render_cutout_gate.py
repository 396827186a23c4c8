"""The cut-out quality gate against the labelled photos in ``cutout_set/`` (labels.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from adloom.render.cutout import read_image
from adloom.render.cutout_gate import assess, cut_product

SET = Path(__file__).with_name("cutout_set")
LABELS = list(csv.DictReader((SET / "labels.csv").open(encoding="utf-8")))


def test_the_labelled_set_is_broad_and_small() -> None:
    files = [SET / row["image"] for row in LABELS]
    assert len(files) >= 12 and all(f.exists() for f in files)
    assert all(f.stat().st_size <= 150_000 for f in files)
    assert sum(f.stat().st_size for f in files) <= 3_000_000
    verdicts = {(row["category"], row["verdict"]) for row in LABELS}
    both = {c for c, _ in verdicts if (c, "cutout") in verdicts and (c, "photo") in verdicts}
    assert len(both) >= 4, both
    assert all(row["licence"] in ("CC0", "public domain") for row in LABELS)


@pytest.mark.parametrize("row", LABELS, ids=[row["image"] for row in LABELS])
def test_gate_verdict_matches_the_label(row: dict[str, str]) -> None:
    cut = cut_product(np.asarray(read_image(SET / row["image"])))
    verdict = "cutout" if cut.usable else "photo"
    assert verdict == row["verdict"], cut.quality.describe()


def test_a_mask_of_two_blobs_fails_even_on_a_packshot() -> None:
    rgb = np.asarray(read_image(SET / "phone-packshot.jpg"))[:, :, :3]
    mask = np.zeros(rgb.shape[:2], np.uint8)
    mask[100:160, 100:160] = 255
    mask[300:360, 220:280] = 255
    quality = assess(rgb, mask)
    assert not quality.usable and "one subject" in quality.reasons
