"""Benchmark: ideas + script + scenes with the local writer, per project (issue 3: < 200 ms median).

Run: python bench/bench_writer.py [runs]
Prints the median and p95 per kind and stage for both shared briefs, plus quality figures
(voiceover grade, words per second, hook overlap between stages).
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from adloom.assets import registry
from adloom.assets.video.models import VideoScript
from adloom.writer.base import WriterRequest
from adloom.writer.compose import overlap
from adloom.writer.local import LocalWriter
from adloom.writer.readability import fk_grade
from adloom.writer.text import word_count

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = ROOT / "docs" / "examples" / "briefs"
STAGES = ("unaware", "problem_aware", "solution_aware", "product_aware", "most_aware")
KINDS = {"video": {"length": 30}, "banner": {}, "flyer": {}, "jingle": {}}


def request(path: Path, kind: str, **changes: Any) -> WriterRequest:
    b = yaml.safe_load(path.read_text())
    req = WriterRequest(
        kind=kind,
        product_name=b["product"]["name"],
        product_description=b["product"]["description"],
        product_url=b["product"].get("url"),
        offer=b["product"].get("offer"),
        price=b["product"].get("price"),
        brand_name=b["brand"]["name"],
        brand_tone=b["brand"].get("tone", ""),
        tagline=b["brand"].get("tagline", ""),
        audience=b["strategy"]["audience"],
        messaging=b["strategy"]["messaging"],
        goals=b["strategy"]["goals"],
        awareness_stage=b["awareness_stage"],
        persuasion_trigger=b["persuasion_trigger"],
        creative_style=b["creative_style"],
        business_type=b["business_type"],
        industry=b["industry"],
        event={k: str(v) for k, v in (b.get("event") or {}).items()} or None,
        copy=registry.get(kind).copy,
    )
    return dataclasses.replace(req, **changes)


def one_project(writer: LocalWriter, req: WriterRequest, seed: int) -> tuple[float, float]:
    """(wall ms, CPU ms) for ideas + script + scenes. CPU time is reported too because the
    shared development machine is often oversubscribed, which inflates wall time."""
    start, cpu = time.perf_counter(), time.process_time()
    ideas = writer.ideas(req, seed=seed).value
    script = writer.script(req, ideas.ideas[ideas.chosen], seed=seed).value
    writer.scenes(req, script, seed=seed)
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def main(runs: int = 50) -> None:
    writer = LocalWriter()
    all_wall: list[float] = []
    all_cpu: list[float] = []
    load = os.getloadavg()[0]
    print(
        f"local writer, {runs} runs per row (ideas + script + scenes), ms; load average {load:.1f}"
    )
    print(f"{'brief':22} {'kind':7} {'stage':15} {'median':>7} {'p95':>7} {'cpu med':>7}")
    for path in sorted(BRIEFS.glob("*.yaml")):
        for kind, options in KINDS.items():
            for stage in STAGES:
                req = request(path, kind, awareness_stage=stage, options=options)
                pairs = [one_project(writer, req, seed) for seed in range(runs)]
                wall = sorted(w for w, _ in pairs)
                cpu = [c for _, c in pairs]
                all_wall += wall
                all_cpu += cpu
                p95 = wall[int(0.95 * (len(wall) - 1))]
                print(
                    f"{path.stem:22} {kind:7} {stage:15} {statistics.median(wall):7.2f} "
                    f"{p95:7.2f} {statistics.median(cpu):7.2f}"
                )
    print(
        f"\nALL PROJECTS: median {statistics.median(all_wall):.2f} ms wall "
        f"({statistics.median(all_cpu):.2f} ms CPU), max {max(all_wall):.2f} ms, over "
        f"{len(all_wall)} projects (target < 200 ms median); load average {os.getloadavg()[0]:.1f}"
    )
    quality(writer)


def quality(writer: LocalWriter) -> None:
    print("\nquality (seed 0..9):")
    for path in sorted(BRIEFS.glob("*.yaml")):
        grades, paces, overlaps = [], [], []
        for seed in range(10):
            hooks = {}
            for stage in STAGES:
                for length in (15, 30, 60):
                    req = request(path, "video", awareness_stage=stage, options={"length": length})
                    ideas = writer.ideas(req, seed=seed).value
                    script = writer.script(req, ideas.ideas[0], seed=seed).value
                    assert isinstance(script, VideoScript)
                    grades.append(fk_grade(script.voiceover_text))
                    paces.append(word_count(script.voiceover_text) / length)
                    hooks[stage] = [i.hook for i in ideas.ideas]
            for a, b in itertools.combinations(STAGES, 2):
                overlaps += [overlap(x, y) for x in hooks[a] for y in hooks[b]]
        print(
            f"  {path.stem:22} FK grade max {max(grades):.1f} (mean {statistics.mean(grades):.1f}); "
            f"pace {min(paces):.2f}-{max(paces):.2f} words/s; "
            f"hook overlap between stages max {max(overlaps):.2f} (mean {statistics.mean(overlaps):.2f})"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
