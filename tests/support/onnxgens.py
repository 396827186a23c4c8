"""Tiny ONNX segmentation models and photos for them (importable as ``onnxgens``)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

H, W = 48, 64  # the models' own input size


def fixed_mask_model(path: Path, mask: np.ndarray, *, channels_first: bool = True) -> Path:
    """A model whose output is ``mask`` (H x W, 0..1) as logits, whatever the input."""
    shape = [1, 3, H, W] if channels_first else [1, H, W, 3]
    prob = np.clip(mask.astype(np.float64), 1e-4, 1 - 1e-4)
    logits = np.log(prob / (1 - prob)).astype(np.float32)[None, None]
    nodes = [
        helper.make_node("ReduceMean", ["image"], ["mean"], keepdims=0),
        helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
        helper.make_node("Add", ["logits", "nothing"], ["foreground"]),
    ]
    graph = helper.make_graph(
        nodes,
        "fixed-mask",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("foreground", TensorProto.FLOAT, [1, 1, H, W])],
        [numpy_helper.from_array(logits, "logits"),
         numpy_helper.from_array(np.zeros((), np.float32), "zero")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return path


def two_discs(path: Path) -> Path:
    """A red disc (the product) and a smaller blue one far from it, on a plain ground."""
    image = np.full((H * 8, W * 8, 3), 240, np.uint8)
    cv2.circle(image, (164, 204), 100, (200, 40, 40), -1)  # the model's disc, x8
    cv2.circle(image, (440, 120), 55, (40, 60, 200), -1)
    Image.fromarray(image).save(path)
    return path




def red_disc_mask() -> np.ndarray:
    """The red disc of :func:`two_discs` at the models' scale (1/8), with soft edges as a
    real model's probabilities have."""
    ys, xs = np.mgrid[0:H, 0:W]
    distance = np.hypot(xs - 20, ys - 25)
    return np.clip(12.5 - distance + 0.5, 0.0, 1.0)
