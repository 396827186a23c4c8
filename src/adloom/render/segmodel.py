"""An operator's segmentation model: a local ONNX file (nothing is downloaded).

Any salient-object or matting model with one image input and one output works: the input
size comes from the model's input shape (NCHW or NHWC, fixed or dynamic), the image is fed as
RGB floats normalised with the ImageNet mean and spread, and the first output is read as a
foreground probability map (sigmoid applied when it holds logits), resized back to the photo.
Its masks go through the same quality gate as the classic segmenter's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from adloom.errors import BadMedia

DEFAULT_SIDE = 320  # for models whose input size is dynamic
_MEAN = np.array([0.485, 0.456, 0.406], np.float32)
_STD = np.array([0.229, 0.224, 0.225], np.float32)


@dataclass(frozen=True)
class InputLayout:
    """Where the model wants channels, and the size it wants."""

    channels_first: bool
    height: int
    width: int


def input_layout(shape: list[Any]) -> InputLayout:
    """NCHW or NHWC from an ONNX input shape; dynamic sides become DEFAULT_SIDE."""
    dims = [d if isinstance(d, int) and d > 0 else None for d in shape]
    if len(dims) != 4:
        raise BadMedia(f"The segmentation model's input has shape {shape}, not an image batch.",
                       hint="Point ADLOOM_SEGMENTATION_MODEL at a model with an NCHW or NHWC "
                            "image input.")
    channels_first = dims[1] in (1, 3) or dims[3] not in (1, 3)
    h, w = (dims[2], dims[3]) if channels_first else (dims[1], dims[2])
    return InputLayout(channels_first, h or DEFAULT_SIDE, w or DEFAULT_SIDE)


def to_input(rgb: np.ndarray, layout: InputLayout) -> np.ndarray:
    """The photo as the model's float32 batch of one."""
    small = cv2.resize(rgb, (layout.width, layout.height), interpolation=cv2.INTER_AREA)
    norm = (small.astype(np.float32) / 255 - _MEAN) / _STD
    batch = norm.transpose(2, 0, 1)[None] if layout.channels_first else norm[None]
    return np.ascontiguousarray(batch, dtype=np.float32)


def to_mask(output: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A model output (any leading singleton axes) as an HxW uint8 alpha mask."""
    prob = np.squeeze(np.asarray(output, np.float32))
    if prob.ndim == 3:  # several channels: the last one is the foreground
        prob = prob[-1] if prob.shape[0] < prob.shape[-1] else prob[..., -1]
    if prob.ndim != 2:
        raise BadMedia("The segmentation model's output is not a mask.",
                       hint="Use a model whose first output is a foreground probability map.")
    if prob.min() < 0 or prob.max() > 1:
        prob = (1 / (1 + np.exp(-prob))).astype(np.float32)
    full = cv2.resize(prob, size, interpolation=cv2.INTER_LINEAR)
    return np.asarray(np.clip(full * 255 + 0.5, 0, 255), np.uint8)


class SegmentationModel:
    """One ONNX model, loaded once; ``mask(rgb)`` gives the foreground alpha of a photo."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort  # only operators who set a model need it loaded

        if not path.is_file():
            raise BadMedia(f"The segmentation model {path} does not exist.",
                           hint="Fix ADLOOM_SEGMENTATION_MODEL or leave it empty.", path=str(path))
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        try:
            self._session = ort.InferenceSession(str(path), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise BadMedia(f"The segmentation model {path.name} cannot be loaded: {exc}",
                           hint="Point ADLOOM_SEGMENTATION_MODEL at a valid ONNX file.",
                           path=str(path)) from exc
        first = self._session.get_inputs()[0]
        self._input = first.name
        self.layout = input_layout(list(first.shape))

    def mask(self, rgb: np.ndarray) -> np.ndarray:
        outputs = self._session.run(None, {self._input: to_input(rgb, self.layout)})
        return to_mask(outputs[0], (rgb.shape[1], rgb.shape[0]))


@lru_cache(maxsize=2)
def load_model(path: str) -> SegmentationModel:
    """The model at ``path``, loaded once per process."""
    return SegmentationModel(Path(path))
