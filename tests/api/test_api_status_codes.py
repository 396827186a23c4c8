"""Every error status of the API: 401, 402, 403, 404, 409, 416, 422, 429 — with the shared shape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers_api import BRIEF, Env, auth, make_env, make_key

from adloom.accounts import apikeys


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    env = make_env(tmp_path_factory.mktemp("status"))
    yield env
    env.rt.close()


@pytest.fixture(scope="module")
def client(env: Env) -> TestClient:
    return TestClient(env.app)


def error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert set(body) <= {"code", "message", "hint", "fields"} and body["message"]
    if code:
        assert body["code"] == code
    return dict(body)


def campaign(client: TestClient, key: str) -> str:
    response = client.post("/api/v1/campaigns", json=BRIEF, headers=auth(key))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_401_for_missing_malformed_unknown_and_revoked_keys(env: Env, client: TestClient) -> None:
    _, secret = make_key(env.rt, workspace_id=env.workspace_id)
    error(client.get("/api/v1/campaigns"), 401, "unauthorized")
    error(client.get("/api/v1/campaigns", headers={"Authorization": "Basic abc"}), 401)
    error(client.get("/api/v1/campaigns", headers=auth("adl_nothere1_" + "x" * 32)), 401)
    error(client.get("/api/v1/campaigns", headers=auth(secret[:-2] + ("zz" if secret[-2:] != "zz" else "yy"))), 401)
    assert client.get("/api/v1/campaigns", headers=auth(secret)).status_code == 200
    with env.rt.db.session() as s:
        key = apikeys.verify_api_key(s, secret)
        apikeys.revoke_api_key(s, workspace_id=env.workspace_id, key_id=key.id)
    body = error(client.get("/api/v1/campaigns", headers=auth(secret)), 401)
    assert "revoked" in body["message"]


def test_403_read_key_cannot_create_or_change(env: Env, client: TestClient) -> None:
    cid = campaign(client, env.write_key)
    assert client.get(f"/api/v1/campaigns/{cid}", headers=auth(env.read_key)).status_code == 200
    error(client.post("/api/v1/campaigns", json=BRIEF, headers=auth(env.read_key)), 403, "forbidden")
    error(client.patch(f"/api/v1/campaigns/{cid}/strategy", json={"goals": "x"}, headers=auth(env.read_key)), 403)
    error(client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner"},
                      headers=auth(env.read_key)), 403)


def test_404_for_another_workspaces_objects(env: Env, client: TestClient) -> None:
    cid = campaign(client, env.write_key)
    pid = client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner", "autopilot": True,
                                                "options": {"sizes": ["300x250"]}},
                      headers=auth(env.write_key)).json()["id"]
    asset_id = client.get(f"/api/v1/projects/{pid}/assets", headers=auth(env.write_key)).json()[0]["id"]
    _, other = make_key(env.rt)
    for path in (f"/api/v1/campaigns/{cid}", f"/api/v1/projects/{pid}", f"/api/v1/assets/{asset_id}",
                 f"/api/v1/assets/{asset_id}/download", f"/api/v1/projects/{pid}/quote"):
        error(client.get(path, headers=auth(other)), 404)
    error(client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner"}, headers=auth(other)), 404)
    error(client.post(f"/api/v1/projects/{pid}/cancel", headers=auth(other)), 404)


def test_402_with_needed_and_available_credits(env: Env, client: TestClient) -> None:
    _, poor = make_key(env.rt, welcome_credits=3)
    cid = campaign(client, poor)
    body = error(client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner", "autopilot": True},
                             headers=auth(poor)), 402, "insufficient_credits")
    assert body["fields"] == {"needed": 7, "available": 3}  # script 2 + banner set 5
    assert client.get("/api/v1/projects", headers=auth(poor)).json() == []  # nothing was created
    assert client.get("/api/v1/credits/balance", headers=auth(poor)).json() == {"available": 3, "held": 0}


def test_409_for_an_illegal_transition(env: Env, client: TestClient) -> None:
    cid = campaign(client, env.write_key)
    pid = client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner", "autopilot": True},
                      headers=auth(env.write_key)).json()["id"]
    error(client.post(f"/api/v1/projects/{pid}/retry", headers=auth(env.write_key)), 409, "illegal_transition")


def test_422_lists_every_invalid_field(env: Env, client: TestClient) -> None:
    bad = {"name": "", "product": {"name": "X"}, "awareness_stage": "sleepy"}
    body = error(client.post("/api/v1/campaigns", json=bad, headers=auth(env.write_key)), 422, "invalid")
    locs = {p["loc"] for p in body["fields"]["errors"]}
    assert {"body.name", "body.product.description", "body.awareness_stage"} <= locs
    cid = campaign(client, env.write_key)
    body = error(client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner",
                                                       "options": {"sizes": ["301x250"]}},
                             headers=auth(env.write_key)), 422)
    assert "301x250" in body["message"]
    body = error(client.post("/api/v1/campaigns/brief", content=b"name: [unclosed",
                             headers={**auth(env.write_key), "Content-Type": "application/yaml"}), 422)
    assert body["code"] == "invalid_brief"


def test_429_with_retry_after_when_a_key_exceeds_its_rate(env: Env, client: TestClient) -> None:
    _, key = make_key(env.rt, rate_limit=3, workspace_id=env.workspace_id)
    for _ in range(3):
        assert client.get("/api/v1/me", headers=auth(key)).status_code == 200
    response = client.get("/api/v1/me", headers=auth(key))
    body = error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) == 20  # 3 per minute: one token every 20 s
    assert body["fields"]["retry_after"] == 20
    assert client.get("/api/v1/me", headers=auth(env.write_key)).status_code == 200  # per key


def test_416_for_a_range_outside_the_file(env: Env, client: TestClient) -> None:
    cid = campaign(client, env.write_key)
    pid = client.post("/api/v1/projects", json={"campaign_id": cid, "kind": "banner", "autopilot": True},
                      headers=auth(env.write_key)).json()["id"]
    asset = client.get(f"/api/v1/projects/{pid}/assets", headers=auth(env.write_key)).json()[0]
    response = client.get(asset["download_url"], headers={**auth(env.write_key), "Range": f"bytes={asset['bytes']}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{asset['bytes']}"
