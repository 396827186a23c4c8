"""REST API figures on this machine: request latency, parallel idempotent creates, webhook latency.

Run: ``python bench/bench_api.py`` (a temporary data folder, a real uvicorn server on 127.0.0.1,
the embedded SQLite queue with worker threads, the local writer and the test banner generator).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "api"))
from helpers_api import BRIEF, auth, make_env, serve


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def receiver() -> tuple[ThreadingHTTPServer, dict[str, float]]:
    arrivals: dict[str, float] = {}  # project id -> when its project.completed arrived

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            event = json.loads(self.rfile.read(int(self.headers["content-length"])))
            arrivals[event["data"]["project"]["id"]] = time.monotonic()
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, arrivals


def main() -> None:
    env = make_env(Path(tempfile.mkdtemp(prefix="adloom-bench-api-")), queue_url="", welcome_credits=100_000,
                   rate_limit=1_000_000)
    env.rt.worker.start(2)
    hook_server, arrivals = receiver()
    h = auth(env.write_key)
    with serve(env.app) as base, httpx.Client(base_url=base, timeout=120) as client:
        latencies = []
        for _ in range(200):
            t = time.perf_counter()
            assert client.get("/api/v1/me", headers=h).status_code == 200
            latencies.append((time.perf_counter() - t) * 1000)
        print(f"GET /me: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms (200 requests)")

        campaign = client.post("/api/v1/campaigns", json=BRIEF, headers=h).json()["id"]
        client.post("/api/v1/webhooks", json={"url": f"http://127.0.0.1:{hook_server.server_address[1]}/",
                                              "events": ["project.completed"]}, headers=h)
        body = {"campaign_id": campaign, "kind": "banner", "autopilot": True, "options": {"sizes": ["300x250"]}}
        for concurrency in (10, 20):
            headers = {**h, "Idempotency-Key": f"bench-{concurrency}"}
            t = time.perf_counter()
            with ThreadPoolExecutor(concurrency) as pool:
                futures = [pool.submit(client.post, "/api/v1/projects", json=body, headers=headers)
                           for _ in range(concurrency)]
                responses = [f.result() for f in futures]
            elapsed = time.perf_counter() - t
            ids = {r.json()["id"] for r in responses}
            replays = sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses)
            print(f"{concurrency} parallel identical creates: {elapsed * 1000:.0f} ms, {len(ids)} project, "
                  f"{replays} replays, statuses {sorted({r.status_code for r in responses})}")

        t0 = time.monotonic()
        pid = client.post("/api/v1/projects", json=body, headers=h).json()["id"]
        while client.get(f"/api/v1/projects/{pid}", headers=h).json()["status"] != "completed":
            time.sleep(0.05)
        done = time.monotonic()
        while pid not in arrivals:
            time.sleep(0.01)
        print(f"autopilot banner (test generator) create -> completed seen by polling: {(done - t0) * 1000:.0f} ms; "
              f"create -> project.completed webhook received: {(arrivals[pid] - t0) * 1000:.0f} ms")
    hook_server.shutdown()
    env.rt.close()


if __name__ == "__main__":
    main()
