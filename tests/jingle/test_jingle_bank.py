"""A worker keeps its SoundFont bank loaded: the bytes in-process, and one helper process."""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from adloom.errors import RenderError
from adloom.render.music.bank import HELPER, BankCache, preload
from adloom.render.music.compose import compose_logo
from adloom.render.music.sf2trim import NotTrimmable, trim_bank
from adloom.render.music.synth import (
    SoundFont,
    SynthJob,
    bundled_soundfont,
    render_many,
    render_parts,
)
from adloom.writer.music import plan_for_tone


def small_bank(tmp_path: Path, name: str = "bank.sf2") -> Path:
    path = tmp_path / name
    shutil.copy(bundled_soundfont().path, path)
    return path


def jobs() -> list[SynthJob]:
    logo = compose_logo(plan_for_tone("playful"), "Treats that wag back")
    return [SynthJob(logo, (part,), logo.seconds) for part in logo.parts[:4]]


def test_a_bank_is_read_once_while_the_file_is_unchanged(tmp_path: Path) -> None:
    path = small_bank(tmp_path)
    cache = BankCache(limit=2)
    first = cache.get(path)
    assert cache.get(path) is first  # no second read
    os.utime(path, ns=(1, 1))  # the file changed (an operator replaced it): read again
    again = cache.get(path)
    assert again is not first and again == first
    assert [key[1] for key in cache.loaded()] == [1]  # the stale version is gone


def test_the_cache_keeps_at_most_its_limit_and_rejects_non_soundfonts(tmp_path: Path) -> None:
    cache = BankCache(limit=2)
    paths = [small_bank(tmp_path, f"b{n}.sf2") for n in range(3)]
    for path in paths:
        cache.get(path)
    assert [Path(key[0]) for key in cache.loaded()] == paths[1:]
    fake = tmp_path / "fake.sf2"
    fake.write_bytes(b"RIFF\0\0\0\0WAVE")
    with pytest.raises(RenderError, match="not a SoundFont 2 file"):
        cache.get(fake)


def test_threads_share_one_read(tmp_path: Path) -> None:
    path = small_bank(tmp_path)
    cache = BankCache()
    got: list[bytes] = []
    threads = [threading.Thread(target=lambda: got.append(cache.get(path))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 4 and all(data is got[0] for data in got)


def test_the_helper_process_stays_up_between_jobs_and_matches_in_process_rendering() -> None:
    font = bundled_soundfont()
    preload(font.path)
    pid = HELPER.pid
    assert pid is not None
    for _ in range(2):
        pairs = list(render_many(jobs(), font))
        assert sorted(index for index, _ in pairs) == [0, 1, 2, 3]  # each part exactly once
        together = dict(pairs)
        assert HELPER.pid == pid  # the same process, its bank still loaded
        for index, job in enumerate(jobs()):
            alone = render_parts(job.composition, job.parts, font, seconds=job.seconds)
            assert np.array_equal(together[index], alone)
            assert float(np.abs(alone).max()) > 0.01


def test_a_helper_that_died_is_started_again() -> None:
    font = bundled_soundfont()
    preload(font.path)
    pid = HELPER.pid
    assert pid is not None
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    done = dict(render_many(jobs(), font))
    assert sorted(done) == [0, 1, 2, 3]
    assert HELPER.pid not in (None, pid)


def test_a_job_that_finds_the_helper_busy_renders_everything_itself() -> None:
    font = bundled_soundfont()
    with HELPER.claim() as mine:
        assert mine
        busy = dict(render_many(jobs(), font))  # must not wait for, nor use, the helper
    free = dict(render_many(jobs(), font))
    assert sorted(busy) == sorted(free) == [0, 1, 2, 3]
    for index, audio in busy.items():
        assert np.array_equal(audio, free[index])


def test_helper_failures_are_render_errors_and_leave_it_usable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.sf2"
    broken.write_bytes(b"RIFF\0\0\0\0sfbk" + b"\0" * 64)  # a header and nothing else
    with pytest.raises(RenderError, match="SoundFont synthesis failed"):
        dict(render_many(jobs(), SoundFont(broken, "broken", "none")))
    assert sorted(dict(render_many(jobs(), bundled_soundfont()))) == [0, 1, 2, 3]


def test_a_trimmed_bank_renders_exactly_like_the_whole_bank() -> None:
    import midirenderer

    from adloom.render.music.synth import _job_midi, default_soundfont

    font = default_soundfont()  # FluidR3_GM where installed, else TimGM6mb
    whole = font.path.read_bytes()
    logo = compose_logo(plan_for_tone("fast, bold"), "Born to ride")
    job = SynthJob(logo, logo.parts, logo.seconds)
    presets = frozenset((128 if p.is_drum else 0, p.program) for p in logo.parts)
    assert any(bank == 128 for bank, _ in presets) and len(presets) >= 3
    small = trim_bank(whole, presets)
    assert len(small) < len(whole) / 2
    midi = _job_midi(job)
    assert midirenderer.render_wave_from(small, midi) == midirenderer.render_wave_from(whole, midi)
    # and what it dropped is really gone: other instruments no longer sound as they did
    other = SynthJob(logo, tuple(replace(p, program=(p.program + 40) % 128) for p in logo.parts
                                 if not p.is_drum), logo.seconds)
    midi = _job_midi(other)
    assert midirenderer.render_wave_from(small, midi) != midirenderer.render_wave_from(whole, midi)


def test_a_bank_without_a_preset_is_used_whole(tmp_path: Path) -> None:
    path = small_bank(tmp_path)
    cache = BankCache()
    with pytest.raises(NotTrimmable, match="no preset 5:7"):
        trim_bank(cache.get(path), {(5, 7)})
    assert cache.trimmed(path, frozenset({(5, 7)})) is cache.get(path)
    trimmed = cache.trimmed(path, frozenset({(0, 0)}))
    assert len(trimmed) < len(cache.get(path))
    assert cache.trimmed(path, frozenset({(0, 0)})) is trimmed  # kept for the next render


def test_a_worker_warm_up_reads_the_default_bank_and_starts_the_helper() -> None:
    from adloom.assets.jingle.generator import JingleGenerator
    from adloom.render.music.bank import BANKS, bank_key
    from adloom.render.music.synth import default_soundfont

    HELPER.stop()
    BANKS.clear()
    JingleGenerator().warm_up()
    assert bank_key(default_soundfont().path) in BANKS.loaded()
    assert HELPER.pid is not None
