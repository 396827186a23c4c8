"""The asset-kind registry: each kind is declared once, and a new kind needs nothing else."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from factories import make_campaign, make_settings, make_workspace
from pydantic import BaseModel, ConfigDict

import adloom
from adloom.assets import registry
from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.assets.kind import KindSpec, PriceFacts
from adloom.assets.options import CommonOptions
from adloom.pipeline import service as pipeline
from adloom.pipeline.pricing import quote
from adloom.pipeline.runtime import Runtime
from adloom.projects import service as projects
from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.context import CopyContext
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea

SRC = Path(adloom.__file__).parent


def literal_uses(kind: str) -> Iterator[str]:
    """``path:line`` of every quoted ``"<kind>"`` outside the kind's folder and the registry."""
    pattern = re.compile(rf'"{re.escape(kind)}"')
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(f"assets/{kind}/") or rel == "assets/registry.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                yield f"{rel}:{number}: {line.strip()}"


@pytest.mark.parametrize("kind", ["video", "banner", "flyer", "jingle"])
def test_a_kind_is_named_only_in_its_folder_and_the_registry(kind: str) -> None:
    assert kind in registry.kinds()
    assert list(literal_uses(kind)) == []


# ----------------------------------------------------------------------------- a toy kind


class PosterScript(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str = "poster"
    words: str


class PosterScenes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str = "poster"
    panels: list[str]


class PosterOptions(CommonOptions):
    panels: int = 2


def write_script(ctx: CopyContext, req: WriterRequest, idea: Idea, seed: int) -> tuple[BaseModel, list[str]]:
    return PosterScript(words=f"{req.product_name}: {idea.hook}"), ["poster.words"]


def write_scenes(ctx: CopyContext, req: WriterRequest, script: BaseModel, seed: int) -> BaseModel:
    assert isinstance(script, PosterScript)  # the writer hands over the kind's own model
    return PosterScenes(panels=[f"{script.words} #{n + 1}" for n in range(int(req.options.get("panels", 2)))])


def poster_texts(script: BaseModel) -> list[CopyText]:
    assert isinstance(script, PosterScript)
    return [CopyText("headline", script.words, "words", "poster")]


class PosterGenerator:
    kind = "poster"

    def generate(self, ctx: JobContext) -> StageResult:
        return StageResult(output={"panels": len(ctx.scenes_as(PosterScenes).panels)})

    def render(self, ctx: JobContext) -> StageResult:
        ctx.workdir.mkdir(parents=True, exist_ok=True)
        files = []
        for n, text in enumerate(ctx.scenes_as(PosterScenes).panels):  # typed at the seam
            path = ctx.workdir / f"panel-{n}.txt"
            path.write_text(text, encoding="utf-8")
            files.append(OutputFile(role="final", path=path, media_type="text/plain", label=f"panel {n + 1}"))
        return StageResult(output={"rendered": len(files)}, files=tuple(files))

    def stitch(self, ctx: JobContext) -> StageResult:
        return StageResult(output={})


def poster_actions(step: str, facts: PriceFacts) -> list[tuple[str, int]]:
    return [("poster_panel", int(facts.options.get("panels", 2)))] if step == "render" else []


POSTER = KindSpec(
    name="poster", label="Poster wall", blurb="Panels of words.", icon="▦", options=PosterOptions,
    generator=PosterGenerator,
    stage_actions=poster_actions, prices={"poster_panel": 3}, price_labels={"poster_panel": "Poster · per panel"},
    copy=KindCopy(script_model=PosterScript, scenes_model=PosterScenes, write_script=write_script,
                  write_scenes=write_scenes, items="panels", script_texts=poster_texts),
)


@pytest.fixture
def poster_kind() -> Iterator[KindSpec]:
    registry.register(POSTER)
    yield POSTER
    registry.unregister("poster")


def show(rt: Any, pid: str) -> Mapping[str, Any]:
    with rt.db.session() as session:
        project = projects.get_project_or_raise(session, pid, workspace_id=None)
        return projects.project_dict(session, project, rt.storage)


def test_a_kind_added_through_the_registry_alone_is_quoted_run_and_delivered(
    poster_kind: KindSpec, tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path, database_url=database_url, generators={})
    assert settings.prices["poster_panel"] == 3
    rt = Runtime(settings, migrate=True)
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="poster", options={"panels": "3"})
        with rt.db.session() as session:
            project = projects.get_project_or_raise(session, pid, workspace_id=None)
            assert project.options["panels"] == 3  # validated by the spec's options model
            lines = quote(session, project, prices=rt.prices_for(session, ws)).to_dict()["lines"]
            assert lines[-1] == {
                "stage": "render", "action": "poster_panel", "credits": 9}
        for _gate in ("ideas_ready", "script_ready", "scenes_ready"):
            pipeline.advance(rt, workspace_id=ws, project_id=pid)
        data = show(rt, pid)
        assert data["status"] == "completed"
        assert data["credits_spent"] == 2 + 9  # the standard script, three panels
        panels = sorted(Path(a["path"]).read_text(encoding="utf-8") for a in data["assets"])
        assert len(panels) == 3 and all(p.startswith("Northbound") for p in panels)
    finally:
        rt.close()
