"""An operator's ONNX segmentation model: generic plumbing, and its masks still pass the gate.

The models are built by ``onnxgens`` with the ``onnx`` package: they ignore the photo's content and output
a fixed mask (logits), which is all the plumbing needs to be proven.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from onnxgens import H, W, fixed_mask_model, red_disc_mask, two_discs

from adloom.render.cutout import read_image
from adloom.render.cutout_gate import cut_product
from adloom.render.segmodel import SegmentationModel, input_layout

SET = Path(__file__).with_name("cutout_set")


def test_input_layout_comes_from_the_model_shape() -> None:
    assert input_layout([1, 3, 48, 64]).__dict__ == {"channels_first": True, "height": 48,
                                                    "width": 64}
    assert input_layout([1, 48, 64, 3]).__dict__ == {"channels_first": False, "height": 48,
                                                    "width": 64}
    assert input_layout(["batch", 3, "h", "w"]).height == 320  # dynamic sides get a default


@pytest.mark.parametrize("channels_first", [True, False], ids=["nchw", "nhwc"])
def test_a_clean_model_mask_is_used(tmp_path: Path, channels_first: bool) -> None:
    model = fixed_mask_model(tmp_path / "model.onnx", red_disc_mask(),
                             channels_first=channels_first)
    photo = np.asarray(read_image(two_discs(tmp_path / "discs.png")))
    mask = SegmentationModel(model).mask(photo[:, :, :3])
    assert mask.shape == photo.shape[:2]
    assert mask[200, 160] == 255 and mask[120, 440] == 0
    cut = cut_product(photo, model=str(model))
    assert cut.usable and cut.quality.source == "model"
    # the classic segmenter alone sees two objects and is refused
    assert not cut_product(photo).usable


def test_a_broken_model_mask_fails_the_same_gate(tmp_path: Path) -> None:
    blobs = np.zeros((H, W), np.uint8)
    blobs[10:16, 20:26] = 1  # "two floating eyes"
    blobs[10:16, 38:44] = 1
    model = fixed_mask_model(tmp_path / "eyes.onnx", blobs)
    cut = cut_product(np.asarray(read_image(SET / "astronaut.jpg")), model=str(model))
    assert not cut.usable
    assert cut.quality.source == "model" and "one subject" in cut.quality.reasons
