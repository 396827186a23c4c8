"""Factories and paths shared by the test suite (importable as ``factories``: tests/support is on
pytest's pythonpath)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from adloom.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SUPPORT = Path(__file__).resolve().parent

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


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "queue_url": "immediate", "generators": TINY}
    values.update(overrides)
    return load_settings(**values)


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
