"""Load test: N projects through two `adloom worker` processes on Redis + PostgreSQL (loopback only).

    python bench/bench_load.py [--projects 200] [--workers 2] [--threads 2] [--timeout 900]

Starts a throwaway redis-server on a free port and uses a throwaway schema in the PostgreSQL at
ADLOOM_TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test). Projects run on
autopilot with the small test generator (tests/support/testgens.py), so the figures measure the
queue, the database, leases and credits — not media rendering. Prints throughput, per-stage queue
wait and run time (p50/p95/max), and checks that every project completed with exact credits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUPPORT = ROOT / "tests" / "support"
BRIEF = ROOT.parent / "shared" / "briefs" / "northbound-coldbrew.yaml"
ADLOOM = str(Path(sys.executable).parent / "adloom")
STAGES = ("ideas", "script", "scenes", "generate", "render", "stitch")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    import redis

    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                             "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def make_schema(pg_url: str) -> tuple[str, Any, str]:
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    return f"{pg_url}{sep}options=-csearch_path%3D{schema}", admin, schema


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def stage_figures(rt: Any, pids: list[str]) -> dict[str, dict[str, list[float]]]:
    from sqlalchemy import select

    from adloom.projects.models import Step

    figures: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"wait": [], "run": []})
    with rt.db.session() as session:
        rows = session.execute(select(Step.name, Step.queued_at, Step.started_at, Step.finished_at)
                               .where(Step.project_id.in_(pids), Step.status == "succeeded")).all()
    for name, queued, started, finished in rows:
        figures[name]["wait"].append((started - queued).total_seconds())
        figures[name]["run"].append((finished - started).total_seconds())
    return figures


def check_credits(rt: Any, ws: str, pids: list[str]) -> str:
    from adloom.credits import service as credits

    with rt.db.session() as session:
        balance = credits.get_balance(session, workspace_id=ws)
        assert balance == credits.ledger_sum(session, workspace_id=ws), "ledger and balance disagree"
        assert balance.held == 0, "credits still held"
    return f"available {balance.available}, held {balance.held}, ledger agrees"


def run(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(SUPPORT))
    from adloom.accounts import service as accounts
    from adloom.campaigns import service as campaigns
    from adloom.campaigns.brief import parse_brief_file
    from adloom.pipeline import service as pipeline
    from adloom.pipeline.runtime import Runtime
    from adloom.projects.models import Project
    from adloom.settings import load_settings

    work = Path(tempfile.mkdtemp(prefix="adloom-bench-"))
    redis_proc, redis_url = start_redis(work)
    db_url, admin, schema = make_schema(args.database_url)
    tiny = {"banner": "testgens:TinyGenerator"}
    settings = load_settings(data_dir=work / "data", database_url=db_url, queue_url=redis_url, generators=tiny,
                             lease_seconds=30, sweep_seconds=5)
    env = {**os.environ, "PYTHONPATH": str(SUPPORT), "ADLOOM_DATA_DIR": str(work / "data"),
           "ADLOOM_DATABASE_URL": db_url, "ADLOOM_QUEUE_URL": redis_url, "ADLOOM_GENERATORS": json.dumps(tiny),
           "ADLOOM_LEASE_SECONDS": "30", "ADLOOM_SWEEP_SECONDS": "5", "ADLOOM_LOG_LEVEL": "WARNING"}
    workers: list[subprocess.Popen[bytes]] = []
    rt = Runtime(settings, migrate=True)
    try:
        with rt.db.session() as session:
            ws = accounts.create_workspace(session, name="Load", welcome_credits=args.projects * 10).id
        with rt.db.session() as session:
            cid = campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=ws,
                                                       parsed=parse_brief_file(BRIEF)).id
        for n in range(args.workers):
            workers.append(subprocess.Popen([ADLOOM, "worker", "--threads", str(args.threads)], env=env,
                                            stdout=subprocess.DEVNULL, stderr=(work / f"worker{n}.log").open("wb")))
        logs = [work / f"worker{n}.log" for n in range(args.workers)]
        deadline = time.monotonic() + 120
        while not all("Worker running" in log.read_text(errors="replace") for log in logs):
            if time.monotonic() > deadline:
                raise SystemExit("workers did not start; see " + ", ".join(map(str, logs)))
            time.sleep(0.2)
        t0 = time.monotonic()
        pids = [pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
                for _ in range(args.projects)]
        queued_in = time.monotonic() - t0
        print(f"queued {len(pids)} projects in {queued_in:.1f} s ({len(pids) / queued_in:.0f}/s)", flush=True)
        done: dict[str, int] = {}
        while time.monotonic() - t0 < args.timeout:
            with rt.db.session() as session:
                from sqlalchemy import func, select

                done = dict(session.execute(select(Project.status, func.count()).where(Project.id.in_(pids))
                                            .group_by(Project.status)).all())
            if done.get("completed", 0) + done.get("failed", 0) == len(pids):
                break
            time.sleep(1.0)
        elapsed = time.monotonic() - t0
        print(f"statuses after {elapsed:.1f} s: {done}")
        completed = done.get("completed", 0)
        print(f"throughput: {completed / elapsed * 60:.1f} projects/min, {completed * len(STAGES) / elapsed:.1f} steps/s "
              f"({args.workers} workers x {args.threads} threads)")
        figures = stage_figures(rt, pids)
        print(f"{'stage':9} {'n':>4} {'wait p50':>9} {'wait p95':>9} {'run p50':>8} {'run p95':>8} {'run max':>8}")
        for stage in STAGES:
            f = figures[stage]
            print(f"{stage:9} {len(f['run']):4d} {pct(f['wait'], .5):9.3f} {pct(f['wait'], .95):9.3f} "
                  f"{pct(f['run'], .5):8.3f} {pct(f['run'], .95):8.3f} {max(f['run'] or [0]):8.3f}")
        runs = [sum(fig["run"]) for fig in figures.values()]
        print(f"total step run time {sum(runs):.1f} s; mean per project {sum(runs) / max(1, len(pids)):.2f} s; "
              f"median stage run {statistics.median([x for fig in figures.values() for x in fig['run']] or [0]):.3f} s")
        print("credits:", check_credits(rt, ws, pids))
        return 0 if completed == len(pids) else 1
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        rt.close()
        redis_proc.kill()
        from sqlalchemy import text

        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--database-url", default=os.environ.get("ADLOOM_TEST_DATABASE_URL",
                                                                 "postgresql://postgres@127.0.0.1:5432/test"))
    raise SystemExit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
