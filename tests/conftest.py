"""Shared fixtures: settings, a migrated runtime, databases. Plain helpers live in
``tests/support/factories.py`` (import them with ``from factories import …``).

Database tests run on SQLite always, and on PostgreSQL when ``ADLOOM_TEST_DATABASE_URL`` is set
(each test gets a throwaway schema). ``ADLOOM_TEST_REDIS_URL`` enables the Redis queue tests.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import PG_URL, make_campaign, make_settings, make_workspace
from sqlalchemy import create_engine, text

from adloom.settings import Settings


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    if not PG_URL:
        pytest.skip("ADLOOM_TEST_DATABASE_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Parametrises a test over SQLite and (when configured) PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'adloom.db'}"
    return str(request.getfixturevalue("pg_schema_url"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def rt(settings: Settings) -> Iterator[Any]:
    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(settings, migrate=True)
    yield runtime
    runtime.close()


@pytest.fixture
def workspace(rt: Any) -> str:
    return make_workspace(rt)


@pytest.fixture
def campaign(rt: Any, workspace: str) -> str:
    return make_campaign(rt, workspace)
