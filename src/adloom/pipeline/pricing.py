"""What each stage costs, and the quote for what is left of a project (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.pipeline.states import STAGES, next_stage, stage_index
from adloom.projects.models import Project, Step


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


def _scene_count(session: Session, project: Project) -> int:
    scenes = session.scalars(
        select(Step.output)
        .where(Step.project_id == project.id, Step.name == "scenes", Step.status == "succeeded")
        .order_by(Step.attempt.desc())
    ).first()
    if scenes and isinstance(scenes.get("scenes"), list):
        return len(scenes["scenes"])
    return {15: 4, 30: 6, 60: 10}.get(int(project.options.get("length", 30)), 6)


def _format_count(project: Project) -> int:
    formats = project.options.get("formats") or ["9:16"]
    return max(1, len(formats))


def stage_action(session: Session, project: Project, step_name: str) -> list[tuple[str, int]]:
    """(price-list action, quantity) pairs that a stage of this project consumes."""
    kind = project.kind
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
    table: dict[tuple[str, str], list[tuple[str, int]]] = {
        ("video", "generate"): [("video_voiceover", 1)],
        ("video", "render"): [("video_scene", _scene_count(session, project) * _format_count(project))],
        ("video", "stitch"): [("video_stitch", 1)],
        ("banner", "render"): [("banner_set", 1)],
        ("flyer", "render"): [("flyer", 1)],
        ("jingle", "render"): [("jingle", 1)],
    }
    return table.get((kind, step_name), [])


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
