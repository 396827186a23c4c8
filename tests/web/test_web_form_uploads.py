"""Files chosen in the dashboard's file inputs are kept: the new-campaign form's product photos
and logo, and a brand kit's logo (they were silently dropped: the handlers tested the parsed
form's files against FastAPI's ``UploadFile`` subclass instead of Starlette's class)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers_web import client_for, csrf_of, shared_file, sign_up
from sqlalchemy import select

from adloom.brands.models import BrandKit
from adloom.campaigns.models import Campaign


@pytest.fixture(scope="module")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path_factory.mktemp("uploads")), migrate=True)
    yield runtime
    runtime.close()


def _read(rt: Any, key: str) -> bytes:
    return b"".join(rt.storage.open_stream(key))


def _png(name: str) -> tuple[str, bytes, str]:
    path = shared_file("fixtures", "images", name)
    return (name, path.read_bytes(), "image/png")


def test_the_new_campaign_form_keeps_every_photo_and_the_logo(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "form@example.com")
    fields = {"csrf_token": csrf_of(client, "/dashboard/campaigns/new"), "name": "Saltmarsh launch",
              "product_name": "Saltmarsh Coffee", "description": "Small-batch coffee roasted by the sea.",
              "messaging": "Coffee that tastes of where it was roasted."}
    photo = _png("coffee.png")
    same_name = ("coffee.png", shared_file("fixtures", "images", "rocket.jpg").read_bytes(), "image/jpeg")
    files = [("photos", photo), ("photos", same_name), ("photos", ("", b"", "application/octet-stream")),
             ("logo", _png("logo.png"))]
    response = client.post("/dashboard/campaigns", data=fields, files=files)
    assert response.status_code == 303, response.text[:1500]
    campaign_id = response.headers["location"].rsplit("/", 1)[-1]
    with rt.db.session() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        keys = list(campaign.product.get("photos") or [])
        brand = session.get(BrandKit, campaign.brand_kit_id)
        assert brand is not None
        logo_key = brand.logo_key
    assert len(keys) == 2, keys
    stored = [_read(rt, key) for key in keys]
    assert stored[0] == photo[1] and stored[1] != photo[1], "both photos, each with its own bytes"
    assert logo_key and _read(rt, logo_key) == _png("logo.png")[1]


def test_saving_a_brand_kit_with_a_logo_stores_the_logo(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "brand@example.com")
    fields = {"csrf_token": csrf_of(client, "/dashboard/campaigns/new"), "name": "Brandless",
              "product_name": "Tidy", "description": "Expense app for small firms."}
    assert client.post("/dashboard/campaigns", data=fields).status_code == 303
    with rt.db.session() as session:
        brand = session.scalars(select(BrandKit).where(BrandKit.name == "Tidy")).one()
        brand_id, before = brand.id, brand.logo_key
    assert before is None
    token = csrf_of(client, f"/dashboard/brands/{brand_id}")
    response = client.post(f"/dashboard/brands/{brand_id}", data={"csrf_token": token, "name": "Tidy"},
                           files=[("logo", _png("logo.png"))])
    assert response.status_code == 200 and "Saved" in response.text
    with rt.db.session() as session:
        brand = session.get(BrandKit, brand_id)
        assert brand is not None and brand.logo_key
        assert _read(rt, brand.logo_key) == _png("logo.png")[1]


def test_every_banner_downloads_under_its_own_name(tmp_path: Any) -> None:
    """Each size's file says campaign, kind, size and variant; no two downloads share a name
    (the real banner generator, not the tiny test one)."""
    import re

    from factories import make_settings

    from adloom.pipeline.runtime import Runtime
    from adloom.projects.models import Asset, Project

    rt = Runtime(make_settings(tmp_path, generators={}), migrate=True)
    client = client_for(rt)
    sign_up(client, "names@example.com")
    fields = {"csrf_token": csrf_of(client, "/dashboard/campaigns/new"), "name": "Café Olé",
              "product_name": "Olé Espresso", "description": "Espresso bar by the station, open until 22:00."}
    response = client.post("/dashboard/campaigns", data=fields, files=[("photos", _png("coffee.png"))])
    campaign_id = response.headers["location"].rsplit("/", 1)[-1]
    token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
    started = client.post(f"/dashboard/campaigns/{campaign_id}/projects",
                          data={"kind": "banner", "autopilot": "1", "confirmed": "1", "csrf_token": token})
    assert started.status_code == 303, started.text[:800]
    with rt.db.session() as session:
        project = session.scalars(select(Project).where(Project.campaign_id == campaign_id)).one()
        assert project.status == "completed", project.status
        ids = list(session.scalars(select(Asset.id).where(Asset.project_id == project.id,
                                                          Asset.role == "image")))
    names = []
    for asset_id in ids:
        header = client.get(f"/dashboard/assets/{asset_id}/download").headers["content-disposition"]
        names.append(re.search(r"filename\*=UTF-8''(.+)$", header).group(1))  # type: ignore[union-attr]
    assert len(names) >= 16 and len(set(names)) == len(names), names
    assert all(name.startswith("Caf%C3%A9-Ol%C3%A9-banner-") for name in names), names[:3]
    assert any("300x250" in name for name in names)
    rt.close()


def test_an_uploaded_brief_with_its_own_industry_word_is_kept_and_explained(rt: Any) -> None:
    client = client_for(rt)
    sign_up(client, "words@example.com")
    brief = (b"name: Whisker Club\nproduct: {name: Whisker Club, description: Cat food by subscription.}\n"
             b"industry: pets\nbusiness_type: service\n")
    token = csrf_of(client, "/dashboard/campaigns/new")
    response = client.post("/dashboard/campaigns/upload", data={"csrf_token": token},
                           files=[("brief", ("whisker.yaml", brief, "application/x-yaml"))])
    assert response.status_code == 303, response.text[:1500]
    hub = client.get(response.headers["location"]).text
    assert "industry &#39;pets&#39; is not one of Adloom&#39;s industries" in hub
    assert "<dd>pets</dd>" in hub and "<dd>service</dd>" in hub


def test_download_all_zips_every_completed_project_of_the_campaign(rt: Any) -> None:
    """The Hub's "Download all": one folder per completed project, every current file, named
    as its single download is; another workspace gets 404."""
    import io
    import zipfile

    from helpers_web import upload_northbound

    client = client_for(rt)
    sign_up(client, "zip@example.com")
    campaign_id = upload_northbound(client)
    assert "download.zip" not in client.get(f"/dashboard/campaigns/{campaign_id}").text  # nothing to zip yet
    for kind in ("banner", "flyer"):
        token = csrf_of(client, f"/dashboard/campaigns/{campaign_id}")
        made = client.post(f"/dashboard/campaigns/{campaign_id}/projects",
                           data={"kind": kind, "autopilot": "1", "confirmed": "1", "csrf_token": token})
        assert made.status_code == 303, made.text[:500]
    hub = client.get(f"/dashboard/campaigns/{campaign_id}").text
    assert f"/dashboard/campaigns/{campaign_id}/download.zip" in hub
    response = client.get(f"/dashboard/campaigns/{campaign_id}/download.zip")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    folders = {name.split("/", 1)[0] for name in names}
    assert len(folders) == 2 and len(set(names)) == len(names), names
    assert any("-banner-" in name for name in names) and any("-flyer-" in name for name in names), names
    stranger = client_for(rt)
    sign_up(stranger, "stranger-zip@example.com")
    assert stranger.get(f"/dashboard/campaigns/{campaign_id}/download.zip").status_code == 404
