"""Print PDFs embed every font as TrueType or CFF (never Type 3, which preflight rejects), and
flyer text in Arabic, Devanagari or Japanese is drawn with real glyphs."""

from __future__ import annotations

from collections.abc import Callable

import pypdf
import pytest

from adloom.assets.base import JobContext
from adloom.assets.flyer import FlyerGenerator
from conftest import LAUNCHPAD_SCRIPT

MakeCtx = Callable[..., JobContext]


def _pdf_fonts(path: object) -> list[tuple[str, str | None, list[str]]]:
    """(subtype, descendant subtype, font-file keys) of every font on every page."""
    found = []
    for page in pypdf.PdfReader(str(path)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
            inner = descendants[0] if descendants else font
            descriptor = inner.get("/FontDescriptor")
            keys = [k for k in descriptor.get_object() if k.startswith("/FontFile")] if descriptor else []
            found.append((str(font["/Subtype"]), str(inner["/Subtype"]) if descendants else None, keys))
    return found


@pytest.mark.parametrize("headline", [
    "From idea to seed round in 90 days",
    "من الفكرة إلى التمويل في 90 يومًا",
    "विचार से निवेश तक 90 दिनों में",
    "アイデアから資金調達まで90日",
])
def test_every_pdf_font_is_truetype_or_cff(make_flyer_ctx: MakeCtx, headline: str) -> None:
    ctx = make_flyer_ctx(formats=["A5"], script={**LAUNCHPAD_SCRIPT, "headline": headline})
    generator = FlyerGenerator()
    generator.generate(ctx)
    pdfs = [f for f in generator.render(ctx).files if f.media_type == "application/pdf"]
    assert pdfs
    for pdf in pdfs:
        fonts = _pdf_fonts(pdf.path)
        assert fonts
        for subtype, descendant, keys in fonts:
            assert subtype != "/Type3", fonts
            assert (subtype, descendant) in {("/TrueType", None), ("/Type0", "/CIDFontType2"),
                                             ("/Type0", "/CIDFontType0")}, fonts
            assert set(keys) & {"/FontFile2", "/FontFile3"}, fonts
