"""Spine benchmark: 1,000 hold/capture cycles, and the embedded queue's latency from enqueue to
start (median, p95). Run: python bench/bench_spine.py"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from adloom.accounts import service as accounts
from adloom.credits import service as credits
from adloom.pipeline.runtime import Runtime
from adloom.settings import load_settings


def hold_capture_cycles(rt: Runtime, n: int = 1000) -> float:
    with rt.db.session() as session:
        ws = accounts.create_workspace(session, name="bench", welcome_credits=n * 3).id
    start = time.perf_counter()
    for i in range(n):
        with rt.db.session() as session:  # one transaction per cycle, as the runner does
            entry = credits.hold(session, workspace_id=ws, amount=3, idempotency_key=f"bench:{i}")
            credits.capture(session, hold_id=entry.id)
    elapsed = time.perf_counter() - start
    with rt.db.session() as session:
        assert credits.get_balance(session, workspace_id=ws) == credits.ledger_sum(session, workspace_id=ws)
    return elapsed


def queue_latency(rt: Runtime, n: int = 200) -> list[float]:
    started: dict[int, float] = {}
    events = {i: threading.Event() for i in range(n)}

    @rt.huey.task(name="bench.ping")
    def ping(i: int) -> None:
        started[i] = time.perf_counter()
        events[i].set()

    rt.worker.start()
    latencies = []
    try:
        for i in range(n):
            time.sleep(0.005 * (i % 7))  # vary the idle time before each enqueue
            t0 = time.perf_counter()
            ping(i)
            events[i].wait(10)
            latencies.append(started[i] - t0)
    finally:
        rt.worker.stop()
    return latencies


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(load_settings(data_dir=Path(tmp)), migrate=True)
        cycles = hold_capture_cycles(rt)
        latencies = queue_latency(rt)
        rt.close()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print("embedded default (SQLite database, SQLite Huey queue, in-process worker threads)")
    print(f"1,000 hold/capture cycles: {cycles:.2f} s ({cycles:.3f} ms per cycle)")
    print(f"queue latency enqueue→start: median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms over {len(latencies)} tasks")


if __name__ == "__main__":
    main()
