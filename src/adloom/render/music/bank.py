"""Keeping SoundFont banks loaded across jobs: the bytes in this process, and a helper process.

``midirenderer`` takes the bank as bytes on every call, parses all of it, and holds the GIL
while it renders. A worker process therefore keeps

- :data:`BANKS`: each bank's bytes, read once (FluidR3_GM is 148 MB) and kept while the file is
  unchanged (keyed by path, mtime and size), at most two banks; and each bank cut down to the
  presets a render plays (:mod:`~adloom.render.music.sf2trim`, a few MB, within a byte budget),
  so the synthesiser parses a few MB per call instead of 148; safe to share between threads;
- :data:`HELPER`: one long-lived child process (``python -c``, importing only midirenderer) that
  renders half of each job's parts while this process renders the other half, so both cores
  synthesise. It replaces a child started per job, which paid an interpreter start and a
  148 MB read every time; it gets the trimmed bank with each request.

Both are filled when a worker starts (:func:`preload`, from the jingle generator's
``warm_up``) and otherwise on first use.
"""

from __future__ import annotations

import atexit
import pickle
import queue
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from adloom.errors import RenderError
from adloom.render.music.sf2trim import NotTrimmable, trim_bank

BankKey = tuple[str, int, int]  # path, mtime (ns), size: a changed file is read again


def bank_key(path: Path) -> BankKey:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


class BankCache:
    """SoundFont bytes by :func:`bank_key`, the ``limit`` most recently used; thread-safe (a
    bank being read is read once, the other threads wait for it)."""

    def __init__(self, limit: int = 2, trimmed_budget: int = 128 * 1024 * 1024) -> None:
        self.limit = limit
        self.trimmed_budget = trimmed_budget  # bytes of trimmed banks kept (most recent first)
        self._banks: OrderedDict[BankKey, bytes] = OrderedDict()
        self._trimmed: OrderedDict[tuple[BankKey, frozenset[tuple[int, int]]], bytes] = OrderedDict()
        self._lock = threading.RLock()

    def get(self, path: Path) -> bytes:
        key = bank_key(path)
        with self._lock:
            if key in self._banks:
                self._banks.move_to_end(key)
                return self._banks[key]
            data = read_bank(path)
            for stale in [k for k in self._banks if k[0] == key[0]]:  # an older version of the file
                del self._banks[stale]
            self._banks[key] = data
            while len(self._banks) > self.limit:
                self._banks.popitem(last=False)
            return data

    def trimmed(self, path: Path, presets: frozenset[tuple[int, int]]) -> bytes:
        """The bank cut down to ``presets`` (:func:`trim_bank`), kept for the next render that
        plays the same presets; the whole bank where it cannot be trimmed."""
        key = (bank_key(path), presets)
        with self._lock:
            if key in self._trimmed:
                self._trimmed.move_to_end(key)
                return self._trimmed[key]
        whole = self.get(path)
        try:
            data = trim_bank(whole, presets)
        except NotTrimmable:
            return whole
        with self._lock:
            self._trimmed[key] = data
            while len(self._trimmed) > 1 and sum(map(len, self._trimmed.values())) > self.trimmed_budget:
                self._trimmed.popitem(last=False)
        return data

    def loaded(self) -> list[BankKey]:
        with self._lock:
            return list(self._banks)

    def clear(self) -> None:
        with self._lock:
            self._banks.clear()
            self._trimmed.clear()


def read_bank(path: Path) -> bytes:
    data = path.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"sfbk":  # checked again: native code parses what it is given
        raise RenderError(f"The SoundFont {path.name} is not a SoundFont 2 file.",
                          hint="Replace it with a valid .sf2 file.")
    return data


# The helper's side: requests are (bank bytes, MIDI bytes), or (b"", None) to only start up;
# replies ("ok", WAV bytes or None) or ("error", message). It exits when its stdin closes (this
# process ended or closed it).
_HELPER_CODE = """
import pickle, sys, midirenderer
stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
while True:
    try:
        bank, midi = pickle.load(stdin)
    except EOFError:
        break
    try:
        reply = ('ok', None if midi is None else midirenderer.render_wave_from(bank, midi))
    except Exception as exc:
        reply = ('error', f'{type(exc).__name__}: {exc}')
    pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()
"""


class SynthHelper:
    """The long-lived synthesis child. One job uses it at a time (:meth:`claim`); a job that
    finds it busy renders everything itself. A child that died is started again on next use."""

    def __init__(self) -> None:
        self._claim = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    @contextmanager
    def claim(self) -> Iterator[bool]:
        """``True`` (and the helper is this caller's until the block ends) or ``False`` (busy)."""
        got = self._claim.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                self._claim.release()

    def render(self, requests: Sequence[tuple[bytes, bytes | None]]) -> queue.Queue[tuple[int, bytes | None | RenderError]]:
        """Send every request now; a reader thread puts ``(index, WAV bytes or error)`` on the
        returned queue as each is ready. The caller must hold :meth:`claim`."""
        process = self._running()
        replies: queue.Queue[tuple[int, bytes | None | RenderError]] = queue.Queue()
        reader = threading.Thread(target=self._read, args=(process, len(requests), replies),
                                  daemon=True, name="adloom-synth-reader")
        reader.start()
        try:
            assert process.stdin is not None
            for request in requests:
                pickle.dump(request, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.flush()
        except OSError:  # the child died: the reader reports it for every request
            pass
        return replies

    def start(self) -> None:
        """Start the child and let it import the synthesiser (worker start-up)."""
        with self.claim() as mine:
            if mine:
                _, reply = self.render([(b"", None)]).get()
                if isinstance(reply, RenderError):
                    raise reply

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            if self._process is not None:  # it died: let go of its pipes
                for pipe in (self._process.stdin, self._process.stdout):
                    if pipe is not None:
                        pipe.close()
            self._process = subprocess.Popen(
                [sys.executable, "-c", _HELPER_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # failures come back as replies; nothing else is said
            )
        return self._process

    def _read(self, process: subprocess.Popen[bytes], count: int,
              replies: queue.Queue[tuple[int, bytes | None | RenderError]]) -> None:
        assert process.stdout is not None
        for index in range(count):
            try:
                status, value = pickle.load(process.stdout)
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):  # the child died
                process.kill()
                code = process.wait()
                for rest in range(index, count):
                    replies.put((rest, RenderError(f"SoundFont synthesis failed: the helper process ended ({code}).")))
                return
            replies.put((index, value if status == "ok" else RenderError(f"SoundFont synthesis failed: {value}")))


BANKS = BankCache()
HELPER = SynthHelper()
atexit.register(HELPER.stop)


def preload(path: Path) -> None:
    """Read the bank into this process and start the helper process."""
    BANKS.get(path)
    HELPER.start()
