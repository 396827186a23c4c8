"""Small generators that exercise the pipeline without real media (spine tests only).

Behaviour is steered by files in the project's work folder so that separate worker processes
(the SIGKILL test) see the same instructions:
- ``fail-<stage>``: the stage raises a RenderError while the file exists;
- ``sleep-<stage>``: the stage sleeps for the number of seconds written in the file;
- ``gil-<stage>``: the stage first runs native code that holds the GIL throughout (a regex that
  backtracks 2**N times, N written in the file: 25 is a few seconds);
- ``runs-<stage>``: appended to on every run, to count executions.
"""

from __future__ import annotations

import json
import os
import re
import time

from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.errors import RenderError


class TinyGenerator:
    kind = "banner"

    def _stage(self, ctx: JobContext, name: str) -> StageResult:
        work = ctx.workdir
        work.mkdir(parents=True, exist_ok=True)
        with (work / f"runs-{name}").open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        gil = work / f"gil-{name}"
        if gil.exists():
            re.match(r"(a+)+b", "a" * int(gil.read_text() or "25"))  # no other thread runs meanwhile
        sleep = work / f"sleep-{name}"
        if sleep.exists():
            seconds = float(sleep.read_text() or "1")
            for i in range(int(seconds * 10)):
                ctx.progress(name, i / (seconds * 10))
                time.sleep(0.1)
        if (work / f"fail-{name}").exists():
            raise RenderError(f"The test generator was told to fail at {name}.", hint="Remove the flag and retry.")
        out = work / f"{name}.json"
        out.write_text(json.dumps({"stage": name, "headline": ctx.script.model_dump().get("variants", [{}])[0].get("headline")}))
        files = (OutputFile(role="final" if name == "stitch" else "image", path=out, media_type="application/json",
                            label=name, meta={"test": True}),)
        return StageResult(output={"stage": name, "file": out.name}, files=files)

    def generate(self, ctx: JobContext) -> StageResult:
        return self._stage(ctx, "generate")

    def render(self, ctx: JobContext) -> StageResult:
        return self._stage(ctx, "render")

    def stitch(self, ctx: JobContext) -> StageResult:
        return self._stage(ctx, "stitch")
