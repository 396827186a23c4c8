"""The stage machine every asset kind runs (DESIGN §2), as explicit tables."""

from __future__ import annotations

from dataclasses import dataclass

from adloom.errors import IllegalTransition


@dataclass(frozen=True)
class Stage:
    step: str  # the step name recorded for this stage
    active: str  # the project status while it runs
    done: str  # the status it moves to on success
    gate: bool  # whether `done` is a review gate


STAGES: tuple[Stage, ...] = (
    Stage("ideas", "generating_ideas", "ideas_ready", gate=True),
    Stage("script", "generating_script", "script_ready", gate=True),
    Stage("scenes", "generating_scenes", "scenes_ready", gate=True),
    Stage("generate", "generating", "rendering", gate=False),
    Stage("render", "rendering", "stitching", gate=False),
    Stage("stitch", "stitching", "completed", gate=False),
)
STAGE_BY_STEP = {stage.step: stage for stage in STAGES}
STAGE_BY_ACTIVE = {stage.active: stage for stage in STAGES}
GATES = ("ideas_ready", "script_ready", "scenes_ready")
ACTIVE = tuple(stage.active for stage in STAGES)
TERMINAL = ("completed", "cancelled")
STATUSES = (
    "draft", "generating_ideas", "ideas_ready", "generating_script", "script_ready",
    "generating_scenes", "scenes_ready", "generating", "rendering", "stitching",
    "completed", "failed", "cancelled",
)

# Every allowed move. Rerolls and regenerations go back from a gate to the stage that feeds it;
# any active stage can fail; any stage can be cancelled; retry re-enters the failed stage.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"generating_ideas", "cancelled"}),
    "generating_ideas": frozenset({"ideas_ready", "failed", "cancelled"}),
    "ideas_ready": frozenset({"generating_ideas", "generating_script", "cancelled"}),
    "generating_script": frozenset({"script_ready", "failed", "cancelled"}),
    "script_ready": frozenset({"generating_script", "generating_scenes", "cancelled"}),
    "generating_scenes": frozenset({"scenes_ready", "failed", "cancelled"}),
    "scenes_ready": frozenset({"generating_scenes", "generating", "cancelled"}),
    "generating": frozenset({"rendering", "failed", "cancelled"}),
    "rendering": frozenset({"stitching", "failed", "cancelled"}),
    "stitching": frozenset({"completed", "failed", "cancelled"}),
    "completed": frozenset({"scenes_ready", "cancelled"}),  # edit a scene after completion
    # Retry re-enters an active stage; reopening goes back to a gate to edit what made it fail.
    "failed": frozenset({*ACTIVE, *GATES, "cancelled"}),
    "cancelled": frozenset(),
}


def check_transition(current: str, target: str) -> None:
    """Raise :class:`IllegalTransition` unless ``current -> target`` is in the table."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise IllegalTransition(current, target)


def next_stage(status: str) -> Stage | None:
    """The stage that follows a resting status (draft or a gate), or None."""
    if status == "draft":
        return STAGES[0]
    for index, stage in enumerate(STAGES):
        if stage.done == status and index + 1 < len(STAGES):
            return STAGES[index + 1]
    return None


def stage_index(name: str) -> int:
    return [stage.step for stage in STAGES].index(name)


def is_draft(status: str) -> bool:
    return status == "draft" or status in GATES


def is_active(status: str) -> bool:
    return status in ACTIVE
