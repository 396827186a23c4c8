"""Tracked campaign URLs and QR codes drawn as vector squares."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno
import skia

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks


def tracked_url(
    url: str, *, campaign_id: str, project_id: str, format_name: str, medium: str
) -> str:
    """``url`` with UTM parameters naming campaign, project and format (existing query kept,
    any existing utm_* replaced)."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_")
    ]
    query += [
        ("utm_source", "adloom"),
        ("utm_medium", medium),
        ("utm_campaign", campaign_id),
        ("utm_content", f"{project_id}-{format_name}"),
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class QrMatrix:
    """The dark modules of a QR symbol, without the quiet zone."""

    data: str
    size: int
    runs: tuple[tuple[int, int, int], ...]  # (row, first column, length) of dark runs

    @property
    def modules_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE


def qr_matrix(data: str) -> QrMatrix:
    """Encode ``data`` in the smallest symbol that fits at error level L, raised to the best level
    that symbol size allows (fewer, larger modules scan more reliably from print and screens)."""
    code = segno.make_qr(data, error="l", boost_error=True)
    rows = [list(row) for row in code.matrix]
    return QrMatrix(data=data, size=len(rows), runs=tuple(_dark_runs(rows)))


def _dark_runs(rows: list[list[int]]) -> list[tuple[int, int, int]]:
    runs: list[tuple[int, int, int]] = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return runs


def qr_path(matrix: QrMatrix, *, x: float, y: float, size: float) -> skia.Path:
    """One path of merged dark runs filling a ``size`` square at (x, y), quiet zone included.

    One path (rather than a rect per module) keeps the PDF small and leaves no hairline seams
    between neighbouring modules when a viewer anti-aliases.
    """
    module = size / matrix.modules_with_quiet_zone
    path = skia.Path()
    for row, col, length in matrix.runs:
        left = x + (col + QUIET_ZONE) * module
        top = y + (row + QUIET_ZONE) * module
        path.addRect(skia.Rect.MakeXYWH(left, top, length * module, module))
    return path


def draw_qr(
    canvas: skia.Canvas,
    matrix: QrMatrix,
    *,
    x: float,
    y: float,
    size: float,
    dark: int = skia.ColorBLACK,
    light: int = skia.ColorWHITE,
) -> None:
    """Draw the symbol with its white quiet zone as vector shapes."""
    canvas.drawRect(skia.Rect.MakeXYWH(x, y, size, size), skia.Paint(Color=light))
    canvas.drawPath(qr_path(matrix, x=x, y=y, size=size), skia.Paint(Color=dark, AntiAlias=True))
