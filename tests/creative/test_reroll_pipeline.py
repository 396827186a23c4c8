"""Rerolls through the pipeline service (real SQLite, and PostgreSQL when configured): each reroll is told the hooks the
project already showed and walks to hooks and angles not yet shown (issue 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from creative_corpus import BRIEFS
from factories import make_settings, make_workspace
from sqlalchemy import select

from adloom.campaigns import service as campaigns
from adloom.campaigns.brief import parse_brief_file
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.ideas import idea_key
from adloom.projects.models import Step


@pytest.fixture
def rt(tmp_path: Path, database_url: str) -> Any:
    """SQLite always; PostgreSQL too when ADLOOM_TEST_DATABASE_URL is set."""
    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    yield runtime
    runtime.close()


def ideas_steps(rt: Any, pid: str) -> list[dict[str, Any]]:
    """Every ideas step of the project, oldest first: output, prompt (provenance), credits."""
    with rt.db.session() as session:
        rows = session.scalars(
            select(Step)
            .where(Step.project_id == pid, Step.name == "ideas", Step.status == "succeeded")
            .order_by(Step.attempt)
        )
        return [{"output": s.output, "prompt": s.prompt, "credits": s.credits} for s in rows]


@pytest.mark.parametrize("brief", ["cafe-lumiere", "shiftboard-saas"])
@pytest.mark.parametrize("kind", ["video", "banner"])
def test_three_rerolls_show_twelve_hooks_and_new_angles(rt: Any, brief: str, kind: str) -> None:
    ws = make_workspace(rt)
    parsed = parse_brief_file(BRIEFS / f"{brief}.yaml")
    with rt.db.session() as session:
        cid = str(
            campaigns.create_campaign_from_brief(
                session, rt.storage, workspace_id=ws, parsed=parsed
            ).id
        )
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind=kind, options={})
    for _ in range(3):
        pipeline.regenerate(rt, workspace_id=ws, project_id=pid, stage="ideas")
    steps = ideas_steps(rt, pid)
    assert len(steps) == 4
    shown: list[str] = []
    angles: list[str] = []
    for step in steps:
        hooks = [i["hook"] for i in step["output"]["ideas"]]
        # The writer was told every hook shown before this step, and showed none of them again.
        told = json.loads(step["prompt"]).get("avoid_hooks", [])
        assert [idea_key(h) for h in told] == [idea_key(h) for h in shown]
        assert not {idea_key(h) for h in hooks} & {idea_key(h) for h in shown}
        assert step["credits"] == (2 if shown else 0)  # every reroll brought something new
        shown += hooks
        angles += [str(i.get("angle")) for i in step["output"]["ideas"]]
    assert len({idea_key(h) for h in shown}) == 12
    # New angles before new hooks of shown ones: the first reroll shows as many angles not yet
    # shown as the brief supports (every angle the four sets reach, up to six).
    assert len(set(angles[:6])) == min(6, len(set(angles))), angles
