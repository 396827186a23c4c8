"""Test generators for the scale-out and fault tests (tests/scale), steered by files like testgens.

On top of TinyGenerator's ``fail-``/``sleep-``/``runs-`` files, in the project's work folder:
- ``fill-<stage>``: write to ``filler.bin`` until the disk is full (a real ENOSPC);
- ``big-<stage>``: the stage's output file gets the number of bytes written in the flag file;
- ``oom-<stage>``: ask for an impossible amount of memory (a real MemoryError);
- ``../sleep-all-<stage>`` (in the folder holding every work folder): that stage of every project
  sleeps the number of seconds written in it;
and every stage appends ``<start> <end> <project>`` to ``<work>/../intervals.log`` so that tests
can check how many steps ran at once.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from testgens import TinyGenerator

from adloom.assets.base import JobContext, OutputFile, StageResult


def fill_disk(path: Path) -> None:
    block = os.urandom(1 << 16)
    with path.open("wb") as handle:
        while True:
            handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())


class ScaleGenerator(TinyGenerator):
    kind = "banner"

    def _stage(self, ctx: JobContext, name: str) -> StageResult:
        work = ctx.workdir
        work.mkdir(parents=True, exist_ok=True)
        started = time.time()
        try:
            if (work / f"oom-{name}").exists():
                hoard = bytearray(1 << 46)  # 64 TiB: the allocator refuses with MemoryError
                del hoard
            everyone = work.parent / f"sleep-all-{name}"  # slows a stage of every project
            if everyone.exists():
                time.sleep(float(everyone.read_text() or "1"))
            if (work / f"fill-{name}").exists():
                fill_disk(work / "filler.bin")
            result = super()._stage(ctx, name)
            big = work / f"big-{name}"
            if big.exists():
                out = work / f"{name}-big.bin"
                with out.open("wb") as handle:
                    handle.write(os.urandom(int(big.read_text())))
                result = StageResult(
                    output=dict(result.output),
                    files=(*result.files, OutputFile(role="final", path=out, media_type="application/octet-stream")),
                )
            return result
        finally:
            with (work.parent / "intervals.log").open("a") as log:
                log.write(f"{started} {time.time()} {ctx.project_id} {name}\n")
