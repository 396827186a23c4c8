"""The step engine end to end with small test generators, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace

from adloom.credits import service as credits
from adloom.errors import IllegalTransition, InsufficientCredits
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects import service as projects


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Any:
    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    ws = make_workspace(runtime)
    yield runtime, ws, make_campaign(runtime, ws)
    runtime.close()


def show(rt: Any, pid: str) -> dict[str, Any]:
    with rt.db.session() as session:
        return projects.project_dict(session, projects.get_project_or_raise(session, pid, workspace_id=None), rt.storage)


def ledger_agrees(rt: Any, ws: str) -> credits.Balance:
    with rt.db.session() as session:
        balance = credits.get_balance(session, workspace_id=ws)
        assert credits.ledger_sum(session, workspace_id=ws) == balance
        return balance


def runs(rt: Any, pid: str, stage: str) -> int:
    path = rt.workdir(pid) / f"runs-{stage}"
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_generate_stops_at_the_first_gate_then_advances_through_each(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    assert show(rt, pid)["status"] == "ideas_ready"
    ideas = show(rt, pid)["steps"][0]["output"]["ideas"]
    assert len(ideas) == 3 and "Northbound" in " ".join(i["narrative"] + i["visuals"] for i in ideas)
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    assert show(rt, pid)["status"] == "script_ready"
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    assert show(rt, pid)["status"] == "scenes_ready"
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    data = show(rt, pid)
    assert data["status"] == "completed"
    assert [s["name"] for s in data["steps"]] == ["ideas", "script", "scenes", "generate", "render", "stitch"]
    assert data["credits_spent"] == 2 + 5  # script + banner set
    assert {a["role"] for a in data["assets"]} == {"image", "final"}
    assert all(Path(a["path"]).is_file() for a in data["assets"])
    assert ledger_agrees(rt, ws) == credits.Balance(available=250 - 7, held=0)


def test_until_runs_through_gates_up_to_the_one_named(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
    data = show(rt, pid)
    assert data["status"] == "scenes_ready"
    assert data["steps"][-1]["output"]["layouts"]


def test_a_failing_step_fails_the_project_charges_nothing_and_retry_resumes_there(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
    rt.workdir(pid).mkdir(parents=True, exist_ok=True)
    (rt.workdir(pid) / "fail-render").write_text("")
    before = ledger_agrees(rt, ws)
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    data = show(rt, pid)
    assert data["status"] == "failed"
    assert data["error"]["stage"] == "rendering"
    assert "told to fail at render" in data["error"]["message"]
    assert data["error"]["next_action"]
    assert ledger_agrees(rt, ws) == before  # the held 5 credits were released
    (rt.workdir(pid) / "fail-render").unlink()
    pipeline.retry(rt, workspace_id=ws, project_id=pid)
    data = show(rt, pid)
    assert data["status"] == "completed"
    assert (runs(rt, pid, "generate"), runs(rt, pid, "render"), runs(rt, pid, "stitch")) == (1, 2, 1)
    assert [s["status"] for s in data["steps"] if s["name"] == "render"] == ["failed", "succeeded"]
    assert ledger_agrees(rt, ws) == credits.Balance(available=before.available - 5, held=0)


def test_cancel_at_any_stage_releases_holds(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    pipeline.cancel(rt, workspace_id=ws, project_id=pid)
    assert show(rt, pid)["status"] == "cancelled"
    with pytest.raises(IllegalTransition):
        pipeline.advance(rt, workspace_id=ws, project_id=pid)
    assert ledger_agrees(rt, ws).held == 0


def test_a_draft_at_script_ready_survives_a_restart(tmp_path: Path, database_url: str) -> None:
    settings = make_settings(tmp_path, database_url=database_url)
    first = Runtime(settings, migrate=True)
    ws = make_workspace(first)
    cid = make_campaign(first, ws)
    pid = pipeline.generate(first, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="script_ready")
    script = show(first, pid)["steps"][-1]["output"]
    first.close()

    second = Runtime(settings, migrate=True)  # a new process would build exactly this
    try:
        assert show(second, pid)["status"] == "script_ready"
        pipeline.advance(second, workspace_id=ws, project_id=pid, autopilot=True)
        data = show(second, pid)
        assert data["status"] == "completed"
        assert [s["output"] for s in data["steps"] if s["name"] == "script"] == [script]
    finally:
        second.close()


def test_autopilot_refuses_up_front_when_credits_are_short(env: Any) -> None:
    rt, _, _ = env
    poor = make_workspace(rt, credits=3)
    cid = make_campaign(rt, poor)
    with pytest.raises(InsufficientCredits) as info:
        pipeline.generate(rt, workspace_id=poor, campaign_id=cid, kind="banner", options={}, autopilot=True)
    assert info.value.needed == 7 and info.value.available == 3
    assert ledger_agrees(rt, poor) == credits.Balance(available=3, held=0)


def test_editing_a_pillar_changes_the_next_project_but_not_earlier_ones(env: Any) -> None:
    from adloom.campaigns import service as campaigns

    rt, ws, cid = env
    first = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    with rt.db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, cid, workspace_id=ws)
        campaigns.update_strategy(session, campaign, changes={"messaging": "Cold brew that tastes like dessert."})
    second = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    assert show(rt, first)["strategy"]["version"] == 1
    assert show(rt, second)["strategy"]["version"] == 2
    assert "dessert" in show(rt, second)["strategy"]["messaging"]
    assert "dessert" not in show(rt, first)["strategy"]["messaging"]


def test_a_user_edit_is_recorded_as_a_new_attempt(env: Any) -> None:
    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, pid, workspace_id=ws)
        step = projects.edit_output(session, project, name="ideas", patch={"chosen": 2})
        assert step.provider == "user" and step.attempt == 2 and step.output["chosen"] == 2


def test_a_failed_project_can_be_reopened_at_a_gate_to_edit_and_run_again(env: Any) -> None:
    from adloom.errors import InvalidOption

    rt, ws, cid = env
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
    rt.workdir(pid).mkdir(parents=True, exist_ok=True)
    (rt.workdir(pid) / "fail-generate").write_text("")
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    assert show(rt, pid)["status"] == "failed"
    with pytest.raises(InvalidOption):
        pipeline.reopen(rt, workspace_id=ws, project_id=pid, gate="rendering")
    pipeline.reopen(rt, workspace_id=ws, project_id=pid, gate="script_ready")
    data = show(rt, pid)
    assert data["status"] == "script_ready" and data["error"] is None
    (rt.workdir(pid) / "fail-generate").unlink()
    pipeline.advance(rt, workspace_id=ws, project_id=pid, autopilot=True)
    assert show(rt, pid)["status"] == "completed"
    assert ledger_agrees(rt, ws).held == 0
