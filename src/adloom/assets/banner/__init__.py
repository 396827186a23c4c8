"""Display banners (issue 5): :class:`BannerGenerator`, imported on first use so reading the
kind's ``spec`` does not load the renderers."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .generator import BannerGenerator


def __getattr__(name: str) -> Any:
    if name == "BannerGenerator":
        return importlib.import_module(".generator", __name__).BannerGenerator
    raise AttributeError(name)


__all__ = ["BannerGenerator"]
