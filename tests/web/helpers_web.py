"""Helpers for the dashboard tests: an app on a runtime, signed-in clients, CSRF tokens."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from adloom.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"


def shared_file(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    folder = "briefs" if parts[0] == "briefs" else "fixtures"
    return ROOT / "src" / "adloom" / "demo_data" / folder / Path(*parts[1:]) if folder == "briefs" else \
        ROOT / "src" / "adloom" / "demo_data" / Path(*parts)


def client_for(rt: Any) -> TestClient:
    app = create_app(rt.settings, runtime=rt, workers=False)
    return TestClient(app, follow_redirects=False)


def csrf_of(client: TestClient, url: str = "/login") -> str:
    page = client.get(url)
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def sign_up(client: TestClient, email: str, *, password: str = "correct horse battery", workspace: str = "") -> None:
    token = csrf_of(client, "/signup")
    response = client.post("/signup", data={"email": email, "password": password, "name": email.split("@")[0],
                                            "workspace": workspace, "csrf_token": token})
    assert response.status_code == 303, response.text[:500]


def post(client: TestClient, url: str, data: dict[str, Any] | None = None, *, page: str = "/dashboard",
         **kw: Any) -> Any:
    """POST with this session's CSRF token (read from ``page``)."""
    values = dict(data or {})
    values.setdefault("csrf_token", csrf_of(client, page))
    return client.post(url, data=values, **kw)


def upload_northbound(client: TestClient) -> str:
    """Upload the Northbound brief with its photo and logo; returns the campaign id."""
    brief = shared_file("briefs", "northbound-coldbrew.yaml")
    images = [shared_file("fixtures", "images", "coffee.png"), shared_file("fixtures", "images", "logo.png")]
    files = [("brief", (brief.name, brief.read_bytes(), "application/x-yaml"))]
    files += [("images", (p.name, p.read_bytes(), "image/png")) for p in images]
    token = csrf_of(client, "/dashboard/campaigns/new")
    response = client.post("/dashboard/campaigns/upload", data={"csrf_token": token}, files=files)
    assert response.status_code == 303, response.text[:2000]
    return str(response.headers["location"].rsplit("/", 1)[-1])
