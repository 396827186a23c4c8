"""Item 5 (part): failures that cost.

A step that fails the same way ``step_max_failures`` times stops being retried and says what to
edit; and a failed project says truthfully which stages were charged and which were not (read
from the ledger), instead of a blanket "nothing was charged".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace
from sqlalchemy import select

from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.errors import RetryLimitReached
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Project, Step


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> Iterator[tuple[Runtime, str, str]]:
    rt = Runtime(make_settings(tmp_path, database_url=database_url, step_max_failures=3), migrate=True)
    ws = make_workspace(rt, credits=50)
    yield rt, ws, make_campaign(rt, ws)
    rt.close()


def failing_render(rt: Runtime, ws: str, cid: str) -> str:
    pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
    rt.workdir(pid).mkdir(parents=True, exist_ok=True)
    (rt.workdir(pid) / "fail-render").write_text("")
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    return pid


def project_error(rt: Runtime, pid: str) -> dict[str, Any]:
    with rt.db.session() as session:
        project = session.get(Project, pid)
        assert project is not None and project.status == "failed"
        return dict(project.error or {})


def test_the_failure_message_says_which_stages_were_charged(env: tuple[Runtime, str, str]) -> None:
    rt, ws, cid = env
    pid = failing_render(rt, ws, cid)
    error = project_error(rt, pid)
    assert error["charges"] == {"charged": [{"stage": "script", "credits": 2}], "not_charged": ["render", "stitch"]}
    assert "nothing" not in error["next_action"].lower()
    assert "Charged so far: script (2 credits)" in error["next_action"]
    assert "Not charged: render, stitch." in error["next_action"]
    with rt.db.session() as session:  # the message matches the ledger
        captured = session.execute(
            select(Step.name, LedgerEntry.held_delta).join(Step, Step.id == LedgerEntry.step_id)
            .where(LedgerEntry.project_id == pid, LedgerEntry.kind == "capture")
        ).all()
        assert [(name, -delta) for name, delta in captured] == [("script", 2)]
        assert credits.get_balance(session, workspace_id=ws) == credits.Balance(available=48, held=0)


def test_a_step_that_fails_the_same_way_three_times_stops_retrying(env: tuple[Runtime, str, str]) -> None:
    rt, ws, cid = env
    pid = failing_render(rt, ws, cid)
    assert project_error(rt, pid)["retry_allowed"] is True
    pipeline.retry(rt, workspace_id=ws, project_id=pid)
    pipeline.retry(rt, workspace_id=ws, project_id=pid)
    error = project_error(rt, pid)
    assert (error["failures"], error["retry_allowed"]) == (3, False)
    assert f"adloom project reopen {pid} --at scenes_ready" in error["next_action"]
    assert "edit the scenes" in error["next_action"]

    with rt.db.session() as session:
        before = (credits.get_balance(session, workspace_id=ws), session.scalars(select(Step.id)).all())
    with pytest.raises(RetryLimitReached) as refused:
        pipeline.retry(rt, workspace_id=ws, project_id=pid)
    assert refused.value.status == 409 and refused.value.code == "retry_limit_reached"
    assert refused.value.fields["reopen_at"] == "scenes_ready"
    with rt.db.session() as session:  # nothing was started, nothing was spent
        assert (credits.get_balance(session, workspace_id=ws), session.scalars(select(Step.id)).all()) == before
    assert len((rt.workdir(pid) / "runs-render").read_text().splitlines()) == 3

    # Editing at the gate is the way out: reopen, fix, advance.
    pipeline.reopen(rt, workspace_id=ws, project_id=pid, gate="scenes_ready")
    (rt.workdir(pid) / "fail-render").unlink()
    pipeline.advance(rt, workspace_id=ws, project_id=pid)
    with rt.db.session() as session:
        assert session.get(Project, pid).status == "completed"  # type: ignore[union-attr]
        assert credits.get_balance(session, workspace_id=ws) == credits.Balance(available=50 - 7, held=0)


def test_different_failures_do_not_add_up(env: tuple[Runtime, str, str]) -> None:
    """Only identical failures count: a render that fails in another way starts a new count."""
    rt, ws, cid = env
    pid = failing_render(rt, ws, cid)
    pipeline.retry(rt, workspace_id=ws, project_id=pid)
    (rt.workdir(pid) / "fail-render").unlink()
    (rt.workdir(pid) / "render.json").mkdir()  # the stage now fails writing its output instead
    pipeline.retry(rt, workspace_id=ws, project_id=pid)
    error = project_error(rt, pid)
    assert (error["failures"], error["retry_allowed"]) == (1, True)
    pipeline.retry(rt, workspace_id=ws, project_id=pid)  # still allowed
    assert project_error(rt, pid)["failures"] == 2
