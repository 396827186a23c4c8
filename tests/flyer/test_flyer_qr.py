from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import skia

from adloom.assets.flyer.qr import draw_qr, qr_matrix, qr_path, tracked_url


def test_tracked_url_names_campaign_project_and_format() -> None:
    url = tracked_url(
        "https://launchpad.example/webinar?ref=x&utm_source=old",
        campaign_id="c7",
        project_id="p42",
        format_name="A4",
        medium="flyer",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "launchpad.example", "/webinar")
    assert parse_qs(parts.query) == {
        "ref": ["x"],
        "utm_source": ["adloom"],
        "utm_medium": ["flyer"],
        "utm_campaign": ["c7"],
        "utm_content": ["p42-A4"],
    }


def test_qr_is_vector_runs_and_decodes() -> None:
    data = "https://launchpad.example/webinar?utm_source=adloom&utm_medium=poster"
    matrix = qr_matrix(data)
    path = qr_path(matrix, x=0, y=0, size=float(matrix.modules_with_quiet_zone * 4))
    assert path.countVerbs() > 0 and len(matrix.runs) > matrix.size  # merged runs, not pixels
    side = matrix.modules_with_quiet_zone * 4
    surface = skia.Surface(side, side)
    draw_qr(surface.getCanvas(), matrix, x=0, y=0, size=float(side))
    gray = cv2.cvtColor(np.asarray(surface.makeImageSnapshot().toarray()), cv2.COLOR_BGRA2GRAY)
    decoded, _, _ = cv2.QRCodeDetector().detectAndDecode(gray)
    assert decoded == data
