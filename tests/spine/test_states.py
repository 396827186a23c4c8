from __future__ import annotations

import itertools

import pytest

from adloom.errors import IllegalTransition
from adloom.projects.states import (
    ACTIVE,
    GATES,
    STATUSES,
    TRANSITIONS,
    check_transition,
    next_stage,
)


def test_every_status_has_a_row_and_every_target_is_a_status() -> None:
    assert set(TRANSITIONS) == set(STATUSES)
    for targets in TRANSITIONS.values():
        assert targets <= set(STATUSES)


def test_the_happy_path_of_design_section_2_is_allowed() -> None:
    path = ["draft", "generating_ideas", "ideas_ready", "generating_script", "script_ready",
            "generating_scenes", "scenes_ready", "generating", "rendering", "stitching", "completed"]
    for current, target in itertools.pairwise(path):
        check_transition(current, target)


@pytest.mark.parametrize("status", ACTIVE)
def test_any_active_stage_can_fail_and_be_retried(status: str) -> None:
    check_transition(status, "failed")
    check_transition("failed", status)


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "cancelled"])
def test_any_stage_can_be_cancelled(status: str) -> None:
    check_transition(status, "cancelled")


@pytest.mark.parametrize(
    ("current", "target"),
    [("draft", "completed"), ("ideas_ready", "rendering"), ("cancelled", "draft"), ("completed", "generating"),
     ("script_ready", "failed"), ("draft", "failed")],
)
def test_illegal_transitions_raise(current: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(current, target)
    assert current in info.value.message and target in info.value.message


def test_gates_lead_to_the_next_stage() -> None:
    assert [next_stage(g).active for g in GATES] == ["generating_script", "generating_scenes", "generating"]  # type: ignore[union-attr]
    assert next_stage("draft").active == "generating_ideas"  # type: ignore[union-attr]
    assert next_stage("completed") is None
