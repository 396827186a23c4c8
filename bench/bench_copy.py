"""Benchmark: the copy critic over the corpus of tests/creative/briefs (issue 18).

Run: PYTHONPATH=src python bench/bench_copy.py [rerolls]
Prints, for the local writer over every brief × 4 kinds × 5 awareness stages (writer stages
only, nothing rendered): violations per rule, sentences shared between the three ideas,
distinct hooks per 100 rerolls, the brief's facts used per asset, and the writer's time per
project (target < 50 ms).
"""

from __future__ import annotations

import collections
import dataclasses
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "creative"))

from creative_corpus import KINDS, STAGES, corpus, request_for, run_project

from adloom.writer.angles import ranked_angles
from adloom.writer.context import build_context
from adloom.writer.critic import (
    RULES,
    BriefFacts,
    fact_present,
    facts_from_request,
    shared_sentences,
    specs_of,
)
from adloom.writer.critic_collect import script_texts
from adloom.writer.critic_words import norm
from adloom.writer.local import LocalWriter


def brief_facts(facts: BriefFacts) -> list[str]:
    """The facts a reader should find somewhere: offer, price, event date, specs."""
    found = [facts.offer, facts.price, facts.event.get("date", ""), *specs_of(facts)]
    return [f for f in found if f]


def violations_and_sharing(writer: LocalWriter) -> None:
    by_rule: collections.Counter[str] = collections.Counter()
    by_kind: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    shared: list[int] = []
    projects = 0
    for _, brief in corpus():
        for kind in KINDS:
            for stage in STAGES:
                project = run_project(writer, request_for(brief, kind, stage))
                projects += 1
                shared.append(shared_sentences([i.model_dump() for i in project.ideas.ideas]))
                for violation in project.violations:
                    by_rule[violation.rule] += 1
                    by_kind[kind][violation.rule] += 1
    print(
        f"violations per rule over {projects} projects ({len(corpus())} briefs × 4 kinds × 5 stages):"
    )
    print(f"  {'rule':18} {'total':>6} " + " ".join(f"{k:>7}" for k in KINDS))
    for rule in RULES:
        cells = " ".join(f"{by_kind[k][rule]:7d}" for k in KINDS)
        print(f"  {rule:18} {by_rule[rule]:6d} {cells}")
    print(f"  {'ALL':18} {sum(by_rule.values()):6d}")
    print(
        f"\nsentences shared between the three ideas: mean {statistics.mean(shared):.1f}, "
        f"max {max(shared)} per idea set; idea sets with none: {sum(s == 0 for s in shared)}/{len(shared)}"
    )


def distinct_hooks(writer: LocalWriter, rerolls: int) -> None:
    for stage in ("problem_aware", "most_aware"):
        counts, walked, angles = [], [], []
        for _, brief in corpus():
            req = request_for(brief, "video", stage)
            hooks = {
                norm(i.hook)
                for seed in range(rerolls)
                for i in writer.ideas(req, seed=seed).value.ideas
            }
            counts.append(len(hooks))
            # As the pipeline rerolls: seed + n, told every hook the project already showed.
            shown: list[str] = []
            first_angles: set[str] = set()
            for n in range(4):
                step = dataclasses.replace(req, avoid_hooks=tuple(shown))
                ideas = writer.ideas(step, seed=n).value.ideas
                shown += [i.hook for i in ideas]
                if n < 2:
                    first_angles |= {str(i.angle) for i in ideas}
            walked.append(len({norm(h) for h in shown}))
            supported = len(ranked_angles(build_context(req)))
            angles.append(len(first_angles) == min(6, supported))
        print(
            f"\ndistinct hooks per {rerolls} rerolls (video, {stage}, {3 * rerolls} hooks drawn): "
            f"median {statistics.median(counts)}, min {min(counts)}, max {max(counts)}; "
            f"first run + 3 rerolls told what was shown: median {statistics.median(walked)} "
            f"of 12 (min {min(walked)}); briefs whose first two runs show every angle they "
            f"support (up to 6): {sum(angles)}/{len(angles)}"
        )


def facts_used(writer: LocalWriter) -> None:
    print("\nfacts of the brief used per asset (offer, price, event date, specs; seed 0):")
    for kind in KINDS:
        shares = []
        for _, brief in corpus():
            for stage in STAGES:
                req = request_for(brief, kind, stage)
                facts = brief_facts(facts_from_request(req))
                if not facts:
                    continue
                project = run_project(writer, req)
                texts = script_texts(project.script)
                assets = {t.asset for t in texts}
                for asset in assets:
                    joined = " ".join(t.text for t in texts if t.asset == asset)
                    shares.append(sum(fact_present(f, joined) for f in facts) / len(facts))
        print(
            f"  {kind:7} mean {100 * statistics.mean(shares):5.1f} % of the facts per asset over {len(shares)} assets"
        )


def timing(writer: LocalWriter) -> None:
    wall, cpu = [], []
    for _, brief in corpus():
        for kind in KINDS:
            for stage in STAGES:
                req = request_for(brief, kind, stage)
                start, start_cpu = time.perf_counter(), time.process_time()
                ideas = writer.ideas(req, seed=3).value
                script = writer.script(req, ideas.ideas[0], seed=3).value
                writer.scenes(req, script, seed=3)
                wall.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    print(
        f"\nwriter time per project (ideas + script + scenes): median {statistics.median(wall):.2f} ms "
        f"wall ({statistics.median(cpu):.2f} ms CPU), p95 {wall[int(0.95 * (len(wall) - 1))]:.2f} ms, "
        f"max {wall[-1]:.2f} ms (target < 50 ms)"
    )


def main(rerolls: int = 100) -> None:
    writer = LocalWriter()
    violations_and_sharing(writer)
    distinct_hooks(writer, rerolls)
    facts_used(writer)
    timing(writer)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
