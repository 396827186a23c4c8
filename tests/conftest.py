"""Shared fixtures: settings, a migrated runtime, and factories for workspaces and campaigns.

Database tests run on SQLite always, and on PostgreSQL when ``ADLOOM_TEST_DATABASE_URL`` is set
(each test gets a throwaway schema). ``ADLOOM_TEST_REDIS_URL`` enables the Redis queue tests.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SUPPORT = Path(__file__).parent / "support"
sys.path.insert(0, str(SUPPORT))

from adloom.settings import Settings, load_settings  # noqa: E402

PG_URL = os.environ.get("ADLOOM_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("ADLOOM_TEST_REDIS_URL", "")
TINY = {kind: "testgens:TinyGenerator" for kind in ("video", "banner", "flyer", "jingle")}


def fixture_path(name: str) -> Path:
    """A fixture file: the shared folder when present, else the copy packaged with Adloom."""
    shared = SHARED / "fixtures" / "images" / name
    if shared.exists():
        return shared
    return ROOT / "src" / "adloom" / "demo_data" / "fixtures" / "images" / name


def brief_path(name: str) -> Path:
    shared = SHARED / "briefs" / name
    if shared.exists():
        return shared
    return ROOT / "src" / "adloom" / "demo_data" / "briefs" / name


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


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "queue_url": "immediate", "generators": TINY}
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def rt(settings: Settings) -> Iterator[Any]:
    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(settings, migrate=True)
    yield runtime
    runtime.close()


def make_workspace(rt: Any, *, credits: int | None = None, name: str = "Test workspace") -> str:
    from adloom.accounts import service as accounts

    with rt.db.session() as session:
        workspace = accounts.create_workspace(
            session, name=name, welcome_credits=rt.settings.welcome_credits if credits is None else credits
        )
        return str(workspace.id)


def make_campaign(rt: Any, workspace_id: str, *, brief: str = "northbound-coldbrew.yaml") -> str:
    from adloom.campaigns import service as campaigns
    from adloom.campaigns.brief import parse_brief_file

    parsed = parse_brief_file(brief_path(brief))
    with rt.db.session() as session:
        campaign = campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=workspace_id, parsed=parsed)
        return str(campaign.id)


@pytest.fixture
def workspace(rt: Any) -> str:
    return make_workspace(rt)


@pytest.fixture
def campaign(rt: Any, workspace: str) -> str:
    return make_campaign(rt, workspace)
