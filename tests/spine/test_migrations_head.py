"""The migration history is one line: exactly one head, so `upgrade head` is unambiguous."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from adloom.migrate import alembic_config


def test_there_is_exactly_one_migration_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
