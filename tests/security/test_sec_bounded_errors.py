"""Items 3 and 5: list options are bounded up front and every error answer stays small; an
unexpected failure shows the user a generic message with an error id, never SQL or keys."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from factories import TINY
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from adloom.assets.base import JobContext, StageResult
from adloom.projects.options import validate_options

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from helpers_api import BRIEF, make_env

LEAK = "INSERT INTO assets (storage_key) VALUES ('ws/secret-key/banner.png')"


class LeakyGenerator:
    """Fails at render with a database error whose text holds SQL and a storage key."""

    kind = "banner"

    def __init__(self) -> None:
        from testgens import TinyGenerator

        self._tiny = TinyGenerator()

    def generate(self, ctx: JobContext) -> StageResult:
        return self._tiny.generate(ctx)

    def render(self, ctx: JobContext) -> StageResult:
        raise IntegrityError(LEAK, {"storage_key": "ws/secret-key/banner.png"}, Exception("UNIQUE failed"))

    def stitch(self, ctx: JobContext) -> StageResult:
        return self._tiny.stitch(ctx)


@pytest.fixture
def api(tmp_path: Path) -> Any:
    env = make_env(tmp_path)
    with TestClient(env.app) as client:
        headers = {"Authorization": f"Bearer {env.write_key}"}
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=headers).json()["id"]
        yield env, client, headers, campaign
    env.rt.close()


def test_a_million_sizes_get_a_small_fast_422(api: Any) -> None:
    _env, client, headers, campaign = api
    body = {"campaign_id": campaign, "kind": "banner", "options": {"sizes": ["1080x1080"] * 1_000_000}}
    started = time.perf_counter()
    response = client.post("/api/v1/credits/quote", content=json.dumps(body),
                           headers={**headers, "Content-Type": "application/json"})
    elapsed = time.perf_counter() - started
    print(f"1,000,000 sizes: {response.status_code}, {len(response.content)} bytes in {elapsed:.2f} s")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_option"
    assert "there are only 16" in response.json()["error"]["message"]
    assert len(response.content) <= 8 * 1024


def test_many_bad_items_are_listed_at_most_twenty_times(api: Any) -> None:
    _env, client, headers, campaign = api
    # one unknown option per key, and a request body with a thousand invalid values
    options = {f"unknown_{i}": "x" * 2000 for i in range(19)}
    response = client.post("/api/v1/credits/quote", headers=headers,
                           json={"campaign_id": campaign, "kind": "banner", "options": options})
    assert response.status_code == 422 and len(response.content) <= 8 * 1024
    assert "x" * 100 not in response.text  # the rejected input is not echoed
    brief = {**BRIEF, "assets": ["nope"] * 1000}
    response = client.post("/api/v1/campaigns", json=brief, headers=headers)
    assert response.status_code == 422 and len(response.content) <= 8 * 1024
    assert len(response.json()["error"]["fields"]["errors"]) <= 21
    big = {"name": "x", "product": {"name": "p", "description": "d"}, **{f"extra_{i}": i for i in range(500)}}
    response = client.post("/api/v1/campaigns", json=big, headers=headers)
    errors = response.json()["error"]["fields"]["errors"]
    assert response.status_code == 422 and len(response.content) <= 8 * 1024
    assert len(errors) == 21 and errors[-1]["message"] == "and 480 more problem(s) not listed"


def test_forty_copies_of_one_size_are_refused_before_any_render(api: Any) -> None:
    _env, client, headers, campaign = api
    options = {"sizes": ["1080x1080"] * 40}
    quote = client.post("/api/v1/credits/quote", headers=headers,
                        json={"campaign_id": campaign, "kind": "banner", "options": options})
    assert quote.status_code == 422 and quote.json()["error"]["code"] == "invalid_option"
    created = client.post("/api/v1/projects", headers=headers,
                          json={"campaign_id": campaign, "kind": "banner", "options": options, "autopilot": True})
    assert created.status_code == 422 and created.json()["error"]["code"] == "invalid_option"


def test_duplicate_list_options_are_merged() -> None:
    assert validate_options("banner", {"sizes": ["1080x1080", "1080x1080", "300x250"]})["sizes"] == \
        ["1080x1080", "300x250"]
    assert validate_options("banner", {"formats": "png,png"})["formats"] == ["png"]
    assert validate_options("flyer", {"formats": "a4,A4,Letter"})["formats"] == ["A4", "Letter"]
    assert validate_options("video", {"formats": ["1:1", "1:1"]})["formats"] == ["1:1"]


def test_an_unexpected_step_failure_shows_a_generic_message_with_an_error_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from adloom.accounts import apikeys
    from adloom.accounts import service as accounts
    from adloom.app import create_app
    from adloom.pipeline.runtime import Runtime
    from adloom.settings import load_settings

    generators = {**TINY, "banner": "test_sec_bounded_errors:LeakyGenerator"}
    settings = load_settings(data_dir=tmp_path, queue_url="immediate", generators=generators)
    rt = Runtime(settings, migrate=True)
    with rt.db.session() as s:
        ws = accounts.create_workspace(s, name="Acme", welcome_credits=100)
        _, key = apikeys.create_api_key(s, workspace_id=ws.id, name="w", scopes="write")
    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(settings, runtime=rt, workers=False)) as client, \
            caplog.at_level(logging.ERROR, logger="adloom.errors"):
        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=headers).json()["id"]
        created = client.post("/api/v1/projects", headers=headers,
                              json={"campaign_id": campaign, "kind": "banner", "autopilot": True})
        project = client.get(f"/api/v1/projects/{created.json()['id']}", headers=headers).json()
    rt.close()
    assert project["status"] == "failed"
    error = project["error"]
    shown = json.dumps(project)
    assert error["code"] == "internal_error"
    assert error["message"].startswith("Something went wrong on our side (error id ")
    assert error["error_id"] in error["message"]
    for secret in ("INSERT", "secret-key", "storage_key", "IntegrityError", "UNIQUE"):
        assert secret not in shown
    logged = [r for r in caplog.records if error["error_id"] in r.getMessage()]
    assert logged and logged[0].exc_info and "secret-key" in logged[0].getMessage()


def test_an_unexpected_request_failure_answers_500_with_an_error_id(api: Any) -> None:
    env, _client, headers, _campaign = api

    @env.app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError(LEAK)

    quiet = TestClient(env.app, raise_server_exceptions=False)
    response = quiet.get("/api/v1/_boom", headers=headers)
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and error["fields"]["error_id"] in error["message"]
    assert "secret-key" not in response.text and "INSERT" not in response.text
