"""Social flyers and posters: print-ready PDFs with bleed and PNGs from the campaign (issue 6).

Public seams: :class:`FlyerGenerator` (the pipeline's generator), :func:`plan_flyer` and
:func:`fit_plan` (the pure layout: format + copy + palette -> boxes), the formats table.
"""

from .compose import fit_plan
from .formats import FORMATS, FlyerFormat, get_format, page_geometry
from .generator import FlyerGenerator
from .layout import plan_flyer
from .plan import FAMILIES, FlyerCopy, FlyerPlan, Visuals
from .qr import tracked_url

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
