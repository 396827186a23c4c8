"""The copy critic inside the product: after each writer stage and after a user's edit, its
findings are the step's warnings (issue 18, item 8). SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace

from adloom.assets import registry
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects import service as projects
from adloom.writer.critic import facts_from_snapshot
from adloom.writer.critic_collect import critique_step


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Any:
    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    ws = make_workspace(runtime)
    yield runtime, ws, make_campaign(runtime, ws)
    runtime.close()


def steps(rt: Any, pid: str) -> dict[str, dict[str, Any]]:
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, pid, workspace_id=None)
        data = projects.project_dict(session, project, rt.storage)
        return {s["name"]: {**s, "snapshot": project.snapshot} for s in data["steps"]}


def test_writer_steps_carry_the_critics_findings_as_warnings(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="flyer", options={})
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    for name in ("ideas", "script"):
        step = steps(rt, pid)[name]
        found = critique_step(facts_from_snapshot(step["snapshot"]), registry.get("flyer").copy, name, step["output"])
        assert step["warnings"] == [v.as_warning() for v in found]
    # The concept angles brought same_idea to zero: three ideas are three different ideas.
    assert not any("ideas that are one idea" in w for w in steps(rt, pid)["ideas"]["warnings"])


def test_a_users_edit_is_checked_by_the_same_critic(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    pipeline.advance(rt, workspace_id=ws, project_id=pid)  # ideas_ready -> script_ready
    patch = {"variants": {"0": {"headline": "NEW: the #1 cold brew", "cta": "Donate"}}}
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, pid, workspace_id=ws)
        step = projects.edit_output(session, project, name="script", patch=patch)
        warnings = list(step.warnings)
    assert any("claim" in w and "NEW: the #1 cold brew" in w for w in warnings)
    assert any("call to action" in w and "Donate" in w for w in warnings)
