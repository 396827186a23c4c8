"""What each stage costs, and the quote for what is left of a project (DESIGN §3).

The writer stages are priced here; a generator stage's actions come from the kind's spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.assets.kind import PriceFacts
from adloom.projects.models import Project, Step
from adloom.projects.states import STAGES, next_stage, stage_index


@dataclass(frozen=True)
class QuoteLine:
    stage: str
    action: str
    credits: int


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]

    @property
    def total(self) -> int:
        return sum(line.credits for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "lines": [{"stage": ln.stage, "action": ln.action, "credits": ln.credits} for ln in self.lines],
        }


def _approved_scenes(session: Session, project: Project) -> dict[str, Any] | None:
    """The latest approved scenes output: what a per-scene price counts."""
    return session.scalars(
        select(Step.output)
        .where(Step.project_id == project.id, Step.name == "scenes", Step.status == "succeeded")
        .order_by(Step.attempt.desc())
    ).first()


def stage_action(session: Session, project: Project, step_name: str) -> list[tuple[str, int]]:
    """(price-list action, quantity) pairs that a stage of this project consumes."""
    if step_name == "ideas":
        done = session.scalar(
            select(func.count()).where(
                Step.project_id == project.id, Step.name == "ideas", Step.status == "succeeded"
            )
        )
        return [("ideas_reroll" if done else "ideas", 1)]
    if step_name == "script":
        return [("script_premium" if project.options.get("tier") == "premium" else "script", 1)]
    if step_name == "scenes":
        return [("scenes", 1)]
    spec = registry.find(project.kind)
    if spec is None:
        return []
    facts = PriceFacts(options=project.options or {}, scenes=lambda: _approved_scenes(session, project))
    return spec.stage_actions(step_name, facts)


def stage_price(session: Session, project: Project, step_name: str, *, prices: dict[str, int]) -> int:
    return sum(prices.get(action, 0) * qty for action, qty in stage_action(session, project, step_name))


def quote(session: Session, project: Project, *, prices: dict[str, int]) -> Quote:
    """The credits every remaining stage of this project will take, from where it rests."""
    if project.status == "failed" and project.failed_stage:
        start = stage_index(project.failed_stage)
    else:
        nxt = next_stage(project.status)
        start = stage_index(nxt.step) if nxt else len(STAGES)
    return quote_from(session, project, start, prices=prices)


def quote_from(session: Session, project: Project, start: int, *, prices: dict[str, int]) -> Quote:
    """The credits of the stages from ``STAGES[start]`` to the end (what a run hold reserves)."""
    lines = [
        QuoteLine(stage.step, action, prices.get(action, 0) * qty)
        for stage in STAGES[start:]
        for action, qty in stage_action(session, project, stage.step)
    ]
    return Quote(lines=tuple(lines))


def quote_new(session: Session, *, kind: str, options: dict[str, Any], prices: dict[str, int]) -> Quote:
    """The whole quote of a project not created yet: what autopilot would hold for it, shown
    before anything is created or spent. ``options`` are already validated."""
    draft = Project(kind=kind, options=dict(options), status="draft")  # transient: never added
    return quote_from(session, draft, 0, prices=prices)
