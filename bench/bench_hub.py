"""Campaign Hub render time with 200 projects (issue 8: median under 100 ms).

Wall time includes waiting for a CPU, so on a busy machine the CPU time per request (this process
only; the embedded workers are not started) is printed too.

Builds a workspace with the Northbound campaign and 200 completed projects (every kind, each with a
final file, a preview image and a poster), signs in, and times ``GET /dashboard/campaigns/{id}``.

    python bench/bench_hub.py [--projects 200] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "web"), str(ROOT / "tests" / "support")]

from helpers_web import client_for, sign_up, upload_northbound

from adloom.db import utcnow
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Asset, Project, Step
from adloom.settings import load_settings

KINDS = ("video", "banner", "flyer", "jingle")
FILES = {"video": [("final", "video/mp4", "ad.mp4"), ("poster", "image/jpeg", "poster.jpg"), ("captions", "text/vtt", "c.vtt")],
         "banner": [("final", "image/png", "300x250.png"), ("contact_sheet", "image/png", "sheet.png"), ("zip", "application/zip", "html5.zip")],
         "flyer": [("final", "application/pdf", "a4.pdf"), ("preview", "image/png", "a4.png"), ("image", "image/png", "post.png")],
         "jingle": [("final", "audio/mpeg", "jingle.mp3"), ("sonic_logo", "audio/wav", "logo.wav"), ("midi", "audio/midi", "j.mid")]}


def seed_projects(rt: Runtime, campaign_id: str, count: int) -> None:
    key = rt.storage.put_bytes(b"x" * 1024, suffix=".bin").key
    with rt.db.session() as session:
        from adloom.campaigns.models import Campaign

        campaign = session.get(Campaign, campaign_id)
        assert campaign is not None
        for n in range(count):
            kind = KINDS[n % 4]
            project = Project(workspace_id=campaign.workspace_id, campaign_id=campaign_id, kind=kind,
                              title=f"Northbound — {kind} #{n}", status="completed", progress=1.0,
                              options={"length": 30, "formats": ["9:16"]} if kind == "video" else {},
                              snapshot={"strategy": {"version": 1, "messaging": "m"}, "campaign": {}})
            session.add(project)
            session.flush()
            for name in ("ideas", "script", "scenes", "generate", "render", "stitch"):
                step = Step(project_id=project.id, name=name, status="succeeded", output={}, credits=1,
                            started_at=utcnow(), finished_at=utcnow())
                session.add(step)
                session.flush()
                if name == "stitch":
                    for role, media, filename in FILES[kind]:
                        session.add(Asset(workspace_id=project.workspace_id, project_id=project.id, step_id=step.id,
                                          role=role, name=filename, media_type=media, bytes=1024,
                                          checksum="0" * 64, storage_key=key))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rt = Runtime(load_settings(data_dir=Path(tmp), queue_url="immediate"), migrate=True)
        client = client_for(rt)
        sign_up(client, "bench@example.com")
        campaign_id = upload_northbound(client)
        seed_projects(rt, campaign_id, args.projects)
        url = f"/dashboard/campaigns/{campaign_id}"
        for _ in range(3):  # warm up templates and caches
            assert client.get(url).status_code == 200
        timings, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
        tiles = response.text.count('class="card asset-tile"')
        rt.close()
    median = statistics.median(timings)
    p95 = sorted(timings)[int(0.95 * (len(timings) - 1))]
    print(f"Campaign Hub, {args.projects} projects ({tiles} tiles, {len(response.content) // 1024} KB HTML): "
          f"median {median:.1f} ms, p95 {p95:.1f} ms, min {min(timings):.1f} ms over {args.runs} requests; "
          f"CPU time per request: median {statistics.median(cpu):.1f} ms")
    print(f"machine load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("PASS (< 100 ms median)" if median < 100 else "FAIL (median >= 100 ms)")


if __name__ == "__main__":
    main()
