"""Webhooks: signed per Standard Webhooks (checked by an independent verifier), retried after a
500 from a real receiver on 127.0.0.1, with every attempt in the delivery log.

The receiver is on loopback, so these environments allow private receivers
(``webhook_allow_private``, the on-premises setting); tests/security has the default's refusals."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers_api import BRIEF, PG_URL, Env, auth, make_env, make_key, pg_schema_url

from adloom.webhooks.service import dispatcher_of, record_event


def verify_standard_webhook(secret: str, headers: dict[str, str], body: bytes, *, tolerance: int = 300) -> dict[str, Any]:
    """An independent reading of https://www.standardwebhooks.com/ — not Adloom's code."""
    msg_id, stamp, signatures = headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]
    if abs(time.time() - int(stamp)) > tolerance:
        raise ValueError("timestamp outside tolerance")
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
    for candidate in signatures.split(" "):
        version, _, sig = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(sig.encode(), expected):
            return dict(json.loads(body))
    raise ValueError("no valid signature")


class Receiver:
    """A real HTTP receiver; answers 500 to the first ``failures`` requests, then 200."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                status = 500 if len(receiver.received) < receiver.failures else 200
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"oops" if status == 500 else b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=2)
    yield r
    r.close()


def wait_until(predicate: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    with ExitStack() as stack:
        url = ""
        if request.param == "postgres":
            if not PG_URL:
                pytest.skip("ADLOOM_TEST_DATABASE_URL is not set")
            url = stack.enter_context(pg_schema_url())
        env = make_env(tmp_path, queue_url="memory", database_url=url, webhook_allow_private=True)
        dispatcher = dispatcher_of(env.rt)
        dispatcher.backoff, dispatcher.pump_seconds = (0.3, 0.6, 1.0), 0.1
        env.rt.worker.start(2)
        yield env
        env.rt.close()


def test_status_changes_are_signed_and_retried_after_500(env: Env, receiver: Receiver) -> None:
    client = TestClient(env.app)
    h = auth(env.write_key)
    sub = client.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["project.completed"]}, headers=h)
    assert sub.status_code == 201 and sub.json()["secret"].startswith("whsec_")
    secret, sub_id = sub.json()["secret"], sub.json()["id"]
    campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=h).json()["id"]
    project = client.post("/api/v1/projects", json={"campaign_id": campaign, "kind": "banner", "autopilot": True,
                                                    "options": {"sizes": ["300x250"]}}, headers=h).json()["id"]
    wait_until(lambda: any(status == 200 for _, _, status in receiver.received))

    assert [status for _, _, status in receiver.received] == [500, 500, 200]
    ids = {headers["webhook-id"] for headers, _, _ in receiver.received}
    assert len(ids) == 1  # a retry is the same message
    headers, body, _ = receiver.received[-1]
    event = verify_standard_webhook(secret, headers, body)
    assert event["type"] == "project.completed"
    assert event["data"]["project"]["id"] == project and event["data"]["project"]["status"] == "completed"
    assert event["data"]["project"]["assets"][0]["download_url"].endswith("/download")
    with pytest.raises(ValueError):
        verify_standard_webhook(secret, headers, body.replace(b"completed", b"cancelled"))
    with pytest.raises(ValueError):
        verify_standard_webhook("whsec_" + base64.b64encode(b"x" * 24).decode(), headers, body)

    wait_until(lambda: client.get(f"/api/v1/webhooks/{sub_id}/deliveries", headers=h).json()[0]["state"] == "succeeded")
    log = client.get(f"/api/v1/webhooks/{sub_id}/deliveries", headers=h).json()
    assert len(log) == 1  # only project.completed was subscribed to
    delivery = log[0]
    assert delivery["attempts"] == 3 and delivery["last_status_code"] == 200
    assert [(a["attempt"], a["status_code"]) for a in delivery["attempt_log"]] == [(1, 500), (2, 500), (3, 200)]
    one = client.get(f"/api/v1/webhooks/{sub_id}/deliveries/{delivery['id']}", headers=h)
    assert one.status_code == 200 and one.json()["msg_id"] == delivery["msg_id"]


def test_gives_up_after_the_last_backoff_and_logs_every_attempt(env: Env) -> None:
    always = Receiver(failures=100)
    try:
        client = TestClient(env.app)
        h = auth(env.write_key)
        sub_id = client.post("/api/v1/webhooks", json={"url": always.url}, headers=h).json()["id"]
        delivery_id = client.post(f"/api/v1/webhooks/{sub_id}/test", headers=h).json()["delivery_id"]
        path = f"/api/v1/webhooks/{sub_id}/deliveries/{delivery_id}"
        wait_until(lambda: client.get(path, headers=h).json()["state"] == "failed")
        delivery = client.get(path, headers=h).json()
        assert delivery["attempts"] == 4 and len(always.received) == 4  # 1 + len(backoff)
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500] * 4
        assert delivery["next_attempt_at"] is None
    finally:
        always.close()


def test_subscriptions_crud_and_isolation(env: Env) -> None:
    client = TestClient(env.app)
    h = auth(env.write_key)
    created = client.post("/api/v1/webhooks", json={"url": "https://example.com/a"}, headers=h).json()
    assert created["events"] == ["project.*"] and created["active"] is True
    patched = client.patch(f"/api/v1/webhooks/{created['id']}", json={"active": False, "rotate_secret": True},
                           headers=h).json()
    assert patched["active"] is False and patched["secret"] != created["secret"]
    with env.rt.db.session() as session:  # a paused subscription gets no deliveries
        assert record_event(session, workspace_id=env.workspace_id, event="project.completed", data={}) == []
    client.patch(f"/api/v1/webhooks/{created['id']}", json={"active": True, "events": ["project.failed"]}, headers=h)
    with env.rt.db.session() as session:  # nor events it did not subscribe to
        assert record_event(session, workspace_id=env.workspace_id, event="project.completed", data={}) == []
        assert len(record_event(session, workspace_id=env.workspace_id, event="project.failed", data={})) == 1
    bad = client.post("/api/v1/webhooks", json={"url": "ftp://example.com/a"}, headers=h)
    assert bad.status_code == 422
    _, other = make_key(env.rt)
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=auth(other)).status_code == 404
    assert client.get("/api/v1/webhooks", headers=auth(other)).json() == []
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=h).status_code == 204
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=h).status_code == 404
