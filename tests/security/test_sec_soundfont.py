"""Item 9 of the hardening issue: the jingle option ``soundfont`` named any file on the worker's
disk (``/etc/passwd``, ``/proc/self/environ``, the database), which was read whole and parsed by
native code, and the error told whether the file existed. A SoundFont is now a *name* from the
operator's folder (``soundfont_dir``) or the bundled bank, with a SoundFont 2 header."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from factories import make_settings

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.jingle.generator import plan_jingle
from adloom.errors import InvalidOption, SoundFontNotFound
from adloom.projects.options import validate_options
from adloom.render.music.synth import bundled_soundfont, system_soundfonts
from adloom.writer.music import plan_for_tone

HOSTILE = ["/etc/passwd", "/proc/self/environ", "../../data/adloom.db", "../x.sf2", "..", "sf2/../../etc/passwd",
           "fonts/Good.sf2", "~/Good.sf2", "C:\\fonts\\Good.sf2", "./Good", ".hidden", "Good\x00.sf2"]


def context(tmp_path: Path, folder: Path | None, soundfont: str) -> JobContext:
    """A jingle job as a worker builds it; options as stored on a project (maybe before this fix)."""
    script = {"kind": "jingle", "tagline": "Slow coffee for fast mornings",
              "plan": plan_for_tone("warm").model_dump(mode="json")}
    return JobContext(project_id="p", campaign_id="c", kind="jingle", options={"soundfont": soundfont},
                      brand=BrandSpec("Northbound", {}), product=ProductSpec("Cold brew", "Coffee"), strategy={},
                      campaign={}, script=script, scenes={}, workdir=tmp_path, seed=3, soundfont_dir=folder)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """The operator's SoundFont folder: one real bank, one impostor, one file that is not .sf2."""
    sf2 = tmp_path / "soundfonts"
    sf2.mkdir()
    shutil.copyfile(bundled_soundfont().path, sf2 / "Good.sf2")
    (sf2 / "Impostor.sf2").write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt not a soundfont")
    (sf2 / "Notes.txt").write_text("hello")
    return sf2


@pytest.mark.parametrize("value", HOSTILE)
def test_a_path_is_refused_as_an_option(value: str) -> None:
    with pytest.raises(InvalidOption, match="not a path|NUL character"):
        validate_options("jingle", {"soundfont": value})


def test_plain_names_are_accepted_as_options() -> None:
    assert validate_options("jingle", {"soundfont": "FluidR3_GM"})["soundfont"] == "FluidR3_GM"
    assert validate_options("jingle", {"soundfont": " Good.sf2 "})["soundfont"] == "Good.sf2"


def test_only_named_banks_from_the_operator_folder_reach_the_synthesiser(tmp_path: Path, folder: Path) -> None:
    assert plan_jingle(context(tmp_path, folder, "Good")).soundfont.path == folder / "Good.sf2"
    assert plan_jingle(context(tmp_path, folder, "Good.sf2")).soundfont.name == "Good"
    assert plan_jingle(context(tmp_path, folder, "TimGM6mb")).soundfont.path == bundled_soundfont().path
    for name in ("Impostor", "Notes", "notes.txt"):  # no SoundFont 2 header, or not .sf2
        with pytest.raises(SoundFontNotFound) as caught:
            plan_jingle(context(tmp_path, folder, name))
        assert caught.value.fields["available"] == sorted(["Good", "TimGM6mb", *system_soundfonts()])


def test_stored_paths_are_never_opened_and_the_error_does_not_tell_what_exists(
    tmp_path: Path, folder: Path
) -> None:
    database = Path(make_settings(tmp_path).data_dir) / "adloom.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(b"SQLite format 3\x00")
    secret = folder.parent / "secret.sf2"  # a real bank, but outside the folder
    shutil.copyfile(bundled_soundfont().path, secret)
    messages = []
    for existing, missing in [("/etc/passwd", "/etc/no-such-file"), (str(database), str(database) + "-gone"),
                              (str(secret), str(secret) + "x"), ("secret", "absent"), ("passwd", "nopasswd")]:
        for value in (existing, missing):
            with pytest.raises(SoundFontNotFound) as caught:
                plan_jingle(context(tmp_path, folder, value))
            messages.append(caught.value.message.replace(value, "<value>"))
    assert len(set(messages)) == 1
    names = ", ".join(sorted(["Good", "TimGM6mb", *system_soundfonts()]))
    assert messages[0] == f"There is no SoundFont named '<value>'. Available: {names}."
