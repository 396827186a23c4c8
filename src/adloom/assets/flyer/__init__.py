"""Social flyers and posters: print-ready PDFs with bleed and PNGs from the campaign (issue 6).

Public seams: :class:`FlyerGenerator` (the pipeline's generator), :func:`plan_flyer` and
:func:`fit_plan` (the pure layout: format + copy + palette -> boxes), the formats table. Each is
imported on first use, so reading the kind's ``spec`` does not load the renderers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compose import fit_plan
    from .formats import FORMATS, FlyerFormat, get_format, page_geometry
    from .generator import FlyerGenerator
    from .layout import plan_flyer
    from .plan import FAMILIES, FlyerCopy, FlyerPlan, Visuals
    from .qr import tracked_url

_LAZY = {
    "fit_plan": ".compose",
    "FORMATS": ".formats", "FlyerFormat": ".formats", "get_format": ".formats", "page_geometry": ".formats",
    "FlyerGenerator": ".generator",
    "plan_flyer": ".layout",
    "FAMILIES": ".plan", "FlyerCopy": ".plan", "FlyerPlan": ".plan", "Visuals": ".plan",
    "tracked_url": ".qr",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(name)


__all__ = [
    "FAMILIES",
    "FORMATS",
    "FlyerCopy",
    "FlyerFormat",
    "FlyerGenerator",
    "FlyerPlan",
    "Visuals",
    "fit_plan",
    "get_format",
    "page_geometry",
    "plan_flyer",
    "tracked_url",
]
