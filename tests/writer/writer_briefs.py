"""Factories for the writer tests: requests built from the two shared briefs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from adloom.assets import registry
from adloom.writer.base import WriterRequest

BRIEFS = Path("/work/shared/briefs")
REPO_BRIEFS = Path(__file__).resolve().parents[2] / "docs" / "examples" / "briefs"
STAGES = ("unaware", "problem_aware", "solution_aware", "product_aware", "most_aware")
KINDS = ("video", "banner", "flyer", "jingle")


def load_brief(name: str) -> dict[str, Any]:
    for folder in (REPO_BRIEFS, BRIEFS):
        path = folder / f"{name}.yaml"
        if path.exists():
            data: dict[str, Any] = yaml.safe_load(path.read_text())
            return data
    raise FileNotFoundError(name)


def request_from_brief(name: str, kind: str = "video", **changes: Any) -> WriterRequest:
    b = load_brief(name)
    event = {k: str(v) for k, v in (b.get("event") or {}).items()} or None
    req = WriterRequest(
        kind=kind,
        product_name=b["product"]["name"],
        product_description=b["product"]["description"],
        product_url=b["product"].get("url"),
        offer=b["product"].get("offer"),
        price=b["product"].get("price"),
        brand_name=b["brand"]["name"],
        brand_tone=b["brand"].get("tone", ""),
        tagline=b["brand"].get("tagline", ""),
        audience=b["strategy"]["audience"],
        messaging=b["strategy"]["messaging"],
        goals=b["strategy"]["goals"],
        awareness_stage=b["awareness_stage"],
        persuasion_trigger=b["persuasion_trigger"],
        creative_style=b["creative_style"],
        business_type=b["business_type"],
        industry=b["industry"],
        event=event,
        copy=registry.get(kind).copy,
    )
    return dataclasses.replace(req, **changes)
