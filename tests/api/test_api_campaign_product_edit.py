"""PATCH /api/v1/campaigns/{id} changes the product facts (offer, price, URL, photo order) under
the brief's rules, through the same service as the dashboard's edit page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers_api import BRIEF, BRIEFS, FIXTURES, Env, auth, make_env


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Iterator[Env]:
    env = make_env(tmp_path, database_url=database_url)
    yield env
    env.rt.close()


def _campaign_with_two_photos(client: TestClient, h: dict[str, str]) -> dict[str, object]:
    brief = (BRIEFS / "launchpad-webinar.yaml").read_text().replace("../fixtures/images/rocket.jpg", "rocket.jpg")
    brief = brief.replace("photos: [rocket.jpg]", "photos: [rocket.jpg, coffee.png]")
    files = [("brief", ("launchpad.yaml", brief.encode(), "application/yaml")),
             ("files", ("rocket.jpg", (FIXTURES / "rocket.jpg").read_bytes(), "image/jpeg")),
             ("files", ("coffee.png", (FIXTURES / "coffee.png").read_bytes(), "image/png"))]
    r = client.post("/api/v1/campaigns/brief", headers=h, files=files)
    assert r.status_code == 201, r.text
    body: dict[str, object] = r.json()
    return body


def test_patch_changes_offer_price_url_and_photo_order(env: Env) -> None:
    client, h = TestClient(env.app), auth(env.write_key)
    created = _campaign_with_two_photos(client, h)
    cid, photos = created["id"], created["product"]["photos"]  # type: ignore[index]
    assert len(photos) == 2
    r = client.patch(f"/api/v1/campaigns/{cid}", headers=h, json={
        "product": {"offer": "Free replay", "price": "$49", "url": "https://launch.example/live",
                    "photos": [photos[1]]},
        "awareness_stage": "most_aware"})
    assert r.status_code == 200, r.text
    product = r.json()["product"]
    assert (product["offer"], product["price"], product["url"]) == ("Free replay", "$49", "https://launch.example/live")
    assert product["photos"] == [photos[1]] and r.json()["awareness_stage"] == "most_aware"
    r = client.patch(f"/api/v1/campaigns/{cid}", headers=h, json={"product": {"offer": ""}})
    assert r.status_code == 200 and r.json()["product"]["offer"] is None
    assert client.patch(f"/api/v1/campaigns/{cid}", headers=h, json={"tone": "calm"}).json()["product"]["price"] == "$49"


def test_patch_refuses_a_bad_url_and_a_photo_of_another_campaign(env: Env) -> None:
    client, h = TestClient(env.app), auth(env.write_key)
    cid = client.post("/api/v1/campaigns", json=BRIEF, headers=h).json()["id"]
    r = client.patch(f"/api/v1/campaigns/{cid}", headers=h, json={"product": {"url": "ftp://nope"}})
    assert r.status_code == 422 and any(p["loc"] == "product.url" for p in r.json()["error"]["fields"]["problems"])
    r = client.patch(f"/api/v1/campaigns/{cid}", headers=h, json={"product": {"photos": ["ab/elsewhere.png"]}})
    assert r.status_code == 422, r.text
    assert client.get(f"/api/v1/campaigns/{cid}", headers=h).json()["product"]["url"] == BRIEF["product"]["url"]
