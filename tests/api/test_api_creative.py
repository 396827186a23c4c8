"""POST /api/v1/creative/ideas: Aytada's request and response shapes, its key header, 401/402."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers_api import Env, make_env, make_key

BODY: dict[str, Any] = {
    "product": {"name": "Northbound Cold Brew",
                "description": "Small-batch cold brew concentrate, steeped 18 hours, smooth and low in acid."},
    "avatar": {"awareness_stage": "problem_aware"},
    "config": {"adType": "video", "industry": "food_beverage"},
}
IDEA_FIELDS = {"title", "reasoning", "hook", "narrative", "visuals", "sonic"}


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[Env]:
    env = make_env(tmp_path, welcome_credits=2)
    yield env
    env.rt.close()


def test_ideas_with_the_aytada_header_then_a_paid_reroll_then_402(env: Env) -> None:
    client = TestClient(env.app)
    h = {"X-AYTADA-API-KEY": env.write_key}
    first = client.post("/api/v1/creative/ideas", json=BODY, headers=h)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["status"] == "success" and len(body["data"]["ideas"]) == 3
    for idea in body["data"]["ideas"]:
        assert set(idea) == IDEA_FIELDS and all(isinstance(v, str) and v for v in idea.values())
    assert "Northbound Cold Brew" in " ".join(i["hook"] + i["narrative"] + i["reasoning"] for i in body["data"]["ideas"])
    assert first.headers["X-Adloom-Credits-Charged"] == "0"  # the first run is free

    reroll = client.post("/api/v1/creative/ideas", json=BODY, headers={"Authorization": f"Bearer {env.write_key}"})
    assert reroll.status_code == 200 and reroll.headers["X-Adloom-Credits-Charged"] == "2"
    assert reroll.json()["data"]["ideas"] != body["data"]["ideas"]  # a reroll is a new take

    broke = client.post("/api/v1/creative/ideas", json=BODY, headers=h)
    assert broke.status_code == 402
    assert broke.json() == {"status": "error", "message": "This needs 2 credits but only 0 credits are available.",
                            "needed": 2, "available": 0}

    balance = client.get("/api/v1/credits/balance", headers=h).json()
    assert balance == {"available": 0, "held": 0}


def test_an_idempotent_retry_is_not_charged_twice(tmp_path: Path) -> None:
    env = make_env(tmp_path, welcome_credits=4)
    try:
        client = TestClient(env.app)
        h = {"X-AYTADA-API-KEY": env.write_key}
        assert client.post("/api/v1/creative/ideas", json=BODY, headers=h).status_code == 200  # free first run
        first = client.post("/api/v1/creative/ideas", json=BODY, headers={**h, "Idempotency-Key": "k1"})
        again = client.post("/api/v1/creative/ideas", json=BODY, headers={**h, "Idempotency-Key": "k1"})
        assert first.headers["X-Adloom-Credits-Charged"] == "2" and again.headers["X-Adloom-Credits-Charged"] == "0"
        assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
        assert client.get("/api/v1/credits/balance", headers=h).json()["available"] == 2
    finally:
        env.rt.close()


def test_a_different_ad_type_is_a_first_run_again(env: Env) -> None:
    client = TestClient(env.app)
    h = {"X-AYTADA-API-KEY": env.write_key}
    for ad_type in ("video", "banner", "flyer", "jingle"):
        response = client.post("/api/v1/creative/ideas", json={**BODY, "config": {"adType": ad_type, "industry": "x"}},
                               headers=h)
        assert response.status_code == 200 and response.headers["X-Adloom-Credits-Charged"] == "0"


def test_errors_in_the_aytada_shape(env: Env) -> None:
    client = TestClient(env.app)
    missing = client.post("/api/v1/creative/ideas", json=BODY)
    assert missing.status_code == 401
    assert missing.json()["status"] == "error" and "API key" in missing.json()["message"]
    bad = client.post("/api/v1/creative/ideas", json=BODY, headers={"X-AYTADA-API-KEY": "adl_wrongkey_" + "a" * 32})
    assert bad.status_code == 401 and bad.json() == {"status": "error", "message": "The API key is not valid."}
    read_only = client.post("/api/v1/creative/ideas", json=BODY, headers={"X-AYTADA-API-KEY": env.read_key})
    assert read_only.status_code == 403 and read_only.json()["status"] == "error"
    invalid = client.post("/api/v1/creative/ideas", json={**BODY, "config": {"adType": "podcast"}},
                          headers={"X-AYTADA-API-KEY": env.write_key})
    assert invalid.status_code == 422 and invalid.json()["status"] == "error"
    assert any(e["loc"] == "body.config.adType" for e in invalid.json()["errors"])
    _, limited = make_key(env.rt, rate_limit=1, workspace_id=env.workspace_id)
    assert client.post("/api/v1/creative/ideas", json=BODY, headers={"X-AYTADA-API-KEY": limited}).status_code == 200
    throttled = client.post("/api/v1/creative/ideas", json=BODY, headers={"X-AYTADA-API-KEY": limited})
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "60"
    assert throttled.json()["status"] == "error"
