"""Bad uploads through the dashboard's brief upload: each refused with a clear message, nothing stored."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from factories import brief_path, fixture_path, make_settings
from fastapi.testclient import TestClient
from test_scale_uploads import bomb_png, png_bytes, zip_bytes

from adloom.app import create_app
from adloom.campaigns.models import Campaign
from adloom.pipeline.runtime import Runtime

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: TestClient, url: str) -> str:
    match = CSRF.search(client.get(url).text)
    assert match, url
    return match.group(1)


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, TestClient]]:
    rt = Runtime(make_settings(tmp_path_factory.mktemp("uploads"), max_upload_mb=1), migrate=True)
    client = TestClient(create_app(rt.settings, runtime=rt, workers=False), follow_redirects=False)
    response = client.post("/signup", data={"email": "ula@example.com", "password": "correct horse battery",
                                            "name": "ula", "workspace": "", "csrf_token": csrf(client, "/signup")})
    assert response.status_code == 303
    yield rt, client
    rt.close()


def stored(rt: Runtime) -> list[str]:
    root = rt.settings.data_dir / "files"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def campaigns(rt: Runtime) -> int:
    with rt.db.session() as session:
        return len(session.query(Campaign).all())


BRIEF = brief_path("northbound-coldbrew.yaml")


@pytest.mark.parametrize(
    ("name", "data", "status", "message"),
    [
        ("coffee.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 10), 413, "larger than the 1.0 MiB upload limit"),
        ("coffee.png", bomb_png(), 422, "30000x30000 = 900 megapixels); the limit is 40 megapixels"),
        ("coffee.png", png_bytes() + zip_bytes(), 422, "hidden after the end of the PNG image (a ZIP archive)"),
        ("../../coffee.png", png_bytes(), 422, "contains a path; uploads must be plain file names"),
        ("coffee.png", b"<html><body>not a photo</body></html>", 422, "has an image extension but its content is an HTML page"),
    ],
    ids=["too-large", "bomb", "polyglot", "traversal", "not-an-image"],
)
def test_bad_image_upload_is_refused_and_nothing_is_stored(
    signed_in: tuple[Runtime, TestClient], name: str, data: bytes, status: int, message: str
) -> None:
    rt, client = signed_in
    before, count = stored(rt), campaigns(rt)
    files = [("brief", (BRIEF.name, BRIEF.read_bytes(), "text/yaml")), ("images", (name, data, "image/png")),
             ("images", ("logo.png", fixture_path("logo.png").read_bytes(), "image/png"))]
    response = client.post("/dashboard/campaigns/upload", data={"csrf_token": csrf(client, "/dashboard/campaigns/new")},
                           files=files)
    assert response.status_code == status
    assert message in html.unescape(response.text)
    assert stored(rt) == before and campaigns(rt) == count


def test_the_same_upload_with_good_files_is_accepted(signed_in: tuple[Runtime, TestClient]) -> None:
    rt, client = signed_in
    files = [("brief", (BRIEF.name, BRIEF.read_bytes(), "text/yaml")),
             ("images", ("coffee.png", fixture_path("coffee.png").read_bytes(), "image/png")),
             ("images", ("logo.png", fixture_path("logo.png").read_bytes(), "image/png"))]
    response = client.post("/dashboard/campaigns/upload", data={"csrf_token": csrf(client, "/dashboard/campaigns/new")},
                           files=files)
    assert response.status_code == 303 and campaigns(rt) == 1 and len(stored(rt)) == 2

