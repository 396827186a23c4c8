"""A lease keeper: a small helper process that extends the leases of its parent worker's steps.

The heartbeat thread inside a worker needs the GIL, and native code that holds it (a long regex,
a big-integer computation, an extension that never releases it) would starve the thread until
the lease expired and another worker took a step that is still alive. The keeper has its own
interpreter: it beats for every step its parent holds for as long as the parent is alive, and
stops the moment the parent dies (its stdin, a pipe only the parent writes, reaches EOF), so a
killed worker's steps still expire after one lease.

Protocol on stdin, one line each: ``+ <step id> <owner>`` (a step was claimed) and
``- <step id>`` (it was finished, failed or handed back).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger("adloom.pipeline")


def beat_interval(lease_seconds: float) -> float:
    """How often a lease is extended: three times per lease, at least every two seconds."""
    return min(lease_seconds / 3, 2.0)


class LeaseKeeper:
    """The worker's side: starts the helper process and tells it which steps it holds."""

    def __init__(self, database_url: str, lease_seconds: float) -> None:
        # The keeper must run this very Adloom, wherever it was imported from.
        package_root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
        env = {**os.environ, "ADLOOM_KEEPER_DATABASE_URL": database_url, "PYTHONPATH": path}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "adloom.pipeline.keeper", str(os.getpid()), str(lease_seconds)],
            stdin=subprocess.PIPE, env=env, text=True,
        )
        self._lock = threading.Lock()
        self._gone = False

    def _send(self, line: str) -> None:
        with self._lock:
            if self._gone:
                return
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(line + "\n")
                self.process.stdin.flush()
            except (OSError, ValueError):  # the keeper died: the heartbeat thread still beats
                self._gone = True
                log.warning("the lease keeper is gone; leases rely on the heartbeat thread")

    def add(self, step_id: str, owner: str) -> None:
        self._send(f"+ {step_id} {owner}")

    def remove(self, step_id: str) -> None:
        self._send(f"- {step_id}")

    def close(self) -> None:
        with self._lock:
            try:
                if self.process.stdin is not None and not self.process.stdin.closed:
                    self.process.stdin.close()  # EOF: the keeper stops
            except OSError:
                pass  # it had already stopped
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _read_commands(held: dict[str, str], lock: threading.Lock, parent_gone: threading.Event) -> None:
    for line in sys.stdin:
        parts = line.split()
        with lock:
            if len(parts) == 3 and parts[0] == "+":
                held[parts[1]] = parts[2]
            elif len(parts) == 2 and parts[0] == "-":
                held.pop(parts[1], None)
    parent_gone.set()  # EOF: the parent closed the pipe or was killed


def main(argv: list[str]) -> None:
    """The keeper process: beat for the parent's steps until the parent is gone."""
    from adloom.db import Database
    from adloom.pipeline import engine

    parent, lease_seconds = int(argv[0]), float(argv[1])
    db = Database(os.environ["ADLOOM_KEEPER_DATABASE_URL"])
    held: dict[str, str] = {}
    lock = threading.Lock()
    parent_gone = threading.Event()
    threading.Thread(target=_read_commands, args=(held, lock, parent_gone), daemon=True).start()
    while not parent_gone.wait(beat_interval(lease_seconds)) and os.getppid() == parent:
        with lock:
            steps = list(held.items())
        for step_id, owner in steps:
            try:
                with db.session() as session:
                    engine.heartbeat(session, step_id, owner, lease_seconds)
            except Exception:  # a missed beat is retried at the next interval
                log.warning("lease keeper: heartbeat failed for step %s", step_id, exc_info=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
