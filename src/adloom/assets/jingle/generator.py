"""``JingleGenerator``: the jingle asset kind behind the pipeline's generator seam.

Stages (DESIGN §2): ``generate`` composes (MIDI file) and records the sung/spoken tagline;
``render`` synthesises the stems, the bed loop and the sonic logo; ``stitch`` mixes, masters
and writes every deliverable: the 30 s jingle and its 15 s cut-down, the sonic logo, beds of
15/30/60 s (WAV + MP3), the stems (WAV), and the waveform/spectrogram picture.
Intermediates live under ``ctx.workdir / "jingle"``; each stage overwrites its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.assets.jingle.midi import write_midi
from adloom.assets.jingle.models import JingleScenes, JingleScript
from adloom.assets.jingle.picture import Marker, PictureSpec, draw_picture
from adloom.assets.jingle.vocal import render_vocal
from adloom.errors import RenderError
from adloom.providers.tts import Voice, delivery_for_tone, voice_named
from adloom.render.audio import Mp3Spec, Normalized, encode_mp3, pcm_data, write_pcm_wav, write_wav
from adloom.render.music.bed import LOOP_TAIL_SECONDS, fold_tail, tile
from adloom.render.music.compose import (
    CUTDOWN_SECONDS,
    STEMS,
    Composition,
    compose_bed,
    compose_jingle,
    compose_logo,
)
from adloom.render.music.form import cutdown_tempo
from adloom.render.music.master import (
    fade_in,
    fade_out,
    master,
    master_loop,
    master_stem,
    mix_band,
    mix_with_vocal,
)
from adloom.render.music.synth import SoundFont, SynthJob, render_many, resolve_soundfont
from adloom.writer.music import plan_for_brand
from adloom.writer.schemas import MusicPlan

RATE = 48000
# LAME's low-pass and filter bank take about 0.27 LU of K-weighted energy out of our mixes
# (measured on every output kind); the MP3s get it back while encoding, well within the peak
# headroom the masters leave (-1.7 dBTP), so WAV and MP3 both read -14 LUFS.
MP3_LOUDNESS_COMPENSATION_DB = 0.25
COMPOSER = "adloom rule-based composer (seeded, deterministic)"


@dataclass(frozen=True)
class JingleLengths:
    """Output lengths: the cut-down (the full jingle is twice as long) and the beds, which must
    be whole multiples of the cut-down (they tile one loop of that length)."""

    cut: float = CUTDOWN_SECONDS
    beds: tuple[int, ...] = (15, 30, 60)

    @property
    def full(self) -> float:
        return 2 * self.cut


@dataclass(frozen=True)
class JinglePlan:
    """What every stage recomputes identically from the context: cheap and deterministic."""

    tagline: str
    plan: MusicPlan
    jingle: Composition
    logo: Composition
    bed: Composition
    soundfont: SoundFont
    voice: Voice  # the brand's voice (option ``voice``) reading with the tone's delivery


def plan_jingle(ctx: JobContext, lengths: JingleLengths = JingleLengths()) -> JinglePlan:
    """The script (validated), the plan (tone/vocal options applied) and the compositions."""
    script = ctx.script_as(JingleScript)
    plan = script.plan
    tone = ctx.options.get("tone")
    if tone:
        plan = plan_for_brand(
            tone=str(tone),
            industry=str(ctx.campaign.get("industry", "")),
            business_type=str(ctx.campaign.get("business_type", "")),
            brand=ctx.brand.name,
            seed=ctx.seed,
        ).model_copy(update={"vocal": plan.vocal})
    # the cut-down is whole bars, so the composer renders at a tempo of that grid (multiples
    # of 16 bpm for 15 s): the plan states the tempo it is rendered at
    plan = plan.model_copy(update={"tempo": round(cutdown_tempo(plan.tempo, lengths.cut)[0])})
    vocal = ctx.options.get("vocal")
    if vocal in ("sung", "spoken", "none"):
        plan = plan.model_copy(update={"vocal": vocal})
    scenes = ctx.scenes_or_none(JingleScenes)
    return JinglePlan(
        tagline=script.tagline,
        plan=plan,
        jingle=compose_jingle(
            plan, script.tagline, sections=scenes.sections if scenes else None, seed=ctx.seed,
            cut_seconds=lengths.cut
        ),
        logo=compose_logo(plan, script.tagline, seed=ctx.seed),
        bed=compose_bed(plan, lengths.cut, seed=ctx.seed, cut_seconds=lengths.cut),
        soundfont=resolve_soundfont(ctx.options.get("soundfont"), folder=ctx.soundfont_dir),
        voice=voice_named(ctx.options.get("voice") or ctx.brand.voice, folder=ctx.voices_dir).with_delivery(
            delivery_for_tone(str(tone or ctx.brand.tone))
        ),
    )


class JingleGenerator:
    """Brand jingles: composed, synthesised, sung and mastered locally (issue 7)."""

    kind = "jingle"

    def __init__(self, lengths: JingleLengths = JingleLengths()) -> None:
        self.lengths = lengths

    def warm_up(self) -> None:
        """Load the voice and the default SoundFont bank (into this process and the synthesis
        helper process) before the first job; workers call this when they start."""
        from adloom.providers.tts import warm_up
        from adloom.render.music.bank import preload
        from adloom.render.music.synth import default_soundfont

        preload(default_soundfont().path)
        warm_up()

    def generate(self, ctx: JobContext) -> StageResult:
        """Compose the parts (MIDI) and record the tagline's vocal takes."""
        job = plan_jingle(ctx, self.lengths)
        work = _workdir(ctx)
        ctx.progress("music", 0.1)
        midi_path = write_midi(job.jingle, work / "jingle.mid", title=job.tagline)
        voice: Mapping[str, Any] = {}
        phrases: list[tuple[float, float]] = []
        if job.plan.vocal != "none":
            ctx.progress("vocal", 0.4)
            voice, phrases = _record_vocals(job, work)
        output = {
            "tagline": job.tagline,
            "plan": job.plan.model_dump(mode="json"),
            "tempo": job.jingle.tempo,
            "key": f"{job.plan.key} {job.plan.mode}",
            "sections": [
                {"name": s.name, "bars": s.bars, "energy": s.energy} for s in job.jingle.sections
            ],
            "vocal": {"mode": job.plan.vocal, "phrases": phrases},
            "voice": dict(voice),
            "composer": COMPOSER,
        }
        meta = {
            "composer": COMPOSER,
            "tempo": job.jingle.tempo,
            "key": output["key"],
            "seed": ctx.seed,
        }
        midi = OutputFile(
            "midi",
            midi_path,
            "audio/midi",
            duration=job.jingle.seconds,
            label="jingle-midi",
            meta=meta,
        )
        return StageResult(output=output, files=(midi,))

    def render(self, ctx: JobContext) -> StageResult:
        """Synthesise the stems, the bed loop and the sonic logo's music.

        Each stem is normalised on a worker thread while the next one is synthesised (numpy
        and scipy release the GIL, so the two cores both work)."""
        job = plan_jingle(ctx, self.lengths)
        work = _workdir(ctx)
        stems: dict[str, npt.NDArray[np.float32]] = {}
        vocal = _load_vocal(work, "jingle", job.jingle)
        with ThreadPoolExecutor(max_workers=2) as pool:
            pending = []
            if vocal is not None:
                voice = np.stack([vocal.samples, vocal.samples], axis=1)
                pending.append(pool.submit(_stem_file, job, "vocal", voice, work, vocal.voice))
            jobs = [
                SynthJob(job.jingle, job.jingle.stem_parts(s), job.jingle.seconds) for s in STEMS
            ]
            jobs.append(SynthJob(job.logo, job.logo.parts, job.logo.seconds))
            jobs.append(SynthJob(job.bed, job.bed.parts, job.bed.seconds + LOOP_TAIL_SECONDS))
            logo = bed = np.zeros((0, 2), dtype=np.float32)
            for index, audio in render_many(jobs, job.soundfont, sample_rate=RATE):
                if index == len(STEMS):
                    logo = audio
                    continue
                if index == len(STEMS) + 1:  # the bed loop: fold its tail onto its start
                    bed = fold_tail(audio, round(job.bed.seconds * RATE))
                    continue
                stem = STEMS[index]
                ctx.progress(f"stem {stem}", 0.1 + 0.15 * index)
                stems[stem] = audio
                pending.append(pool.submit(_stem_file, job, stem, audio, work, None))
            # stitch needs the band (the stems at their fader levels), not the stems themselves
            band = mix_band(stems).astype(np.float32)
            np.savez(work / "raw.npz", band=band, bed=bed, logo=logo)
            made = [future.result() for future in pending]
        order = {f"stem-{name}": i for i, name in enumerate((*STEMS, "vocal"))}
        files = sorted((f for f in made if f is not None), key=lambda f: order[f.label])
        output = {"stems": [f.label for f in files], **job.soundfont.provenance()}
        return StageResult(output=output, files=tuple(files))

    def stitch(self, ctx: JobContext) -> StageResult:
        """Mix, master and write every deliverable (WAV + MP3), and the dashboard picture."""
        job = plan_jingle(ctx, self.lengths)
        work = _workdir(ctx)
        raw = _load_raw(work)
        vocal = _load_vocal(work, "jingle", job.jingle)
        logo_vocal = _load_vocal(work, "logo", job.logo)
        writer = _Deliverables(job, work, ctx.seed, self.lengths)
        try:
            ctx.progress("mix", 0.1)
            full = writer.masters(raw, vocal, logo_vocal)
            ctx.progress("picture", 0.8)
            picture = writer.picture(full, vocal)
            files = writer.finish()
        finally:
            writer.close()
        output = {
            "outputs": [{"role": f.role, "label": f.label, "path": f.path.name} for f in files],
            "loudness_target_lufs": -14.0,
            "true_peak_ceiling_dbtp": -1.0,
        }
        return StageResult(output=output, files=(*files, picture))


# ----------------------------------------------------------------------------- helpers


def _workdir(ctx: JobContext) -> Path:
    work = Path(ctx.workdir) / "jingle"
    work.mkdir(parents=True, exist_ok=True)
    return work


def _load_raw(work: Path) -> Mapping[str, npt.NDArray[np.float32]]:
    """The render stage's music; a clear error when it is missing or from an older version."""
    path = work / "raw.npz"
    try:
        raw = dict(np.load(path))
    except (OSError, ValueError) as exc:
        raise RenderError(
            f"The jingle's rendered music is missing ({path.name}).",
            hint="Retry the project: the render stage runs again first.",
        ) from exc
    if not {"band", "bed", "logo"} <= raw.keys():
        raise RenderError(
            "The jingle's rendered music is from an older version.",
            hint="Retry the project from the render stage.",
        )
    return raw


def _record_vocals(
    job: JinglePlan, work: Path
) -> tuple[Mapping[str, Any], list[tuple[float, float]]]:
    speech = job.voice.synthesize(_speakable(job.tagline))
    (work / "vocal-voice.json").write_text(json.dumps(dict(speech.voice), default=str), encoding="utf-8")
    take = render_vocal(job.jingle, speech, mode=job.plan.vocal, sample_rate=RATE)
    np.save(work / "vocal-jingle.npy", take.samples.astype(np.float32))
    np.save(
        work / "vocal-jingle-spans.npy", np.asarray(take.phrases, dtype=np.float64).reshape(-1, 2)
    )
    if job.logo.vocal:
        logo = render_vocal(job.logo, speech, mode=job.plan.vocal, sample_rate=RATE)
        np.save(work / "vocal-logo.npy", logo.samples.astype(np.float32))
        np.save(
            work / "vocal-logo-spans.npy", np.asarray(logo.phrases, dtype=np.float64).reshape(-1, 2)
        )
    return take.voice, [(round(a, 3), round(b, 3)) for a, b in take.phrases]


def _speakable(tagline: str) -> str:
    """End the tagline with punctuation so the voice closes the sentence naturally."""
    return tagline if tagline.rstrip()[-1:] in ".!?" else tagline.rstrip() + "."


@dataclass(frozen=True)
class _VocalTrack:
    samples: npt.NDArray[np.float32]
    spans: list[tuple[int, int]]  # frames
    voice: Mapping[str, Any]


def _load_vocal(work: Path, name: str, composition: Composition) -> _VocalTrack | None:
    path = work / f"vocal-{name}.npy"
    if not composition.vocal or not path.exists():
        return None
    samples = np.load(path)
    spans = np.load(work / f"vocal-{name}-spans.npy")
    info_path = work / "vocal-voice.json"
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    return _VocalTrack(samples, [(int(a * RATE), int(b * RATE)) for a, b in spans], info)


def _stem_file(
    job: JinglePlan,
    name: str,
    samples: npt.NDArray[np.floating],
    work: Path,
    voice: Mapping[str, Any] | None,
) -> OutputFile | None:
    """A stem as a WAV at -14 LUFS (like every output); ``mix_gain_db`` rebuilds the mix."""
    if not np.any(samples):
        return None
    mastered = master_stem(samples, RATE)
    path = write_wav(work / f"stem-{name}.wav", mastered.samples, RATE)
    meta: dict[str, Any] = {
        **job.soundfont.provenance(),
        "composer": COMPOSER,
        "stem": name,
        **_levels(mastered),
        "mix_gain_db": round(mastered.input_loudness - mastered.loudness, 2),
    }
    if voice:
        meta.update(_voice_meta(voice))
    return OutputFile(
        "stem", path, "audio/wav", duration=job.jingle.seconds, label=f"stem-{name}", meta=meta
    )


def _levels(done: Normalized) -> dict[str, float]:
    """The levels the mastering measured on the file's samples."""
    return {"loudness_lufs": round(done.loudness, 2), "true_peak_dbtp": round(done.true_peak, 2)}


def _voice_meta(voice: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "voice": voice.get("voice"),
        "voice_license": voice.get("license"),
        "voice_dataset_license": voice.get("dataset_license"),
        "voice_fine_tuned_from": voice.get("fine_tuned_from"),
        "voice_note": voice.get("commercial_note"),
        "voice_engine": voice.get("engine"),
        "voice_delivery": voice.get("delivery", "neutral"),
    }


def _spans(vocal: _VocalTrack | None) -> list[tuple[int, int]]:
    return vocal.spans if vocal else []


class _Deliverables:
    """Writes each mastered output as WAV, encodes its MP3 on a worker thread (ffmpeg runs in
    its own process, so encoding overlaps with the next mix), and collects the OutputFiles."""

    def __init__(self, job: JinglePlan, work: Path, seed: int, lengths: JingleLengths) -> None:
        self.job = job
        self.lengths = lengths
        self.work = work
        self.seed = seed
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.pending: list[tuple[Future[Path], OutputFile]] = []
        self.files: list[OutputFile] = []
        self._loop: tuple[Normalized, npt.NDArray[np.uint8]] | None = None

    def close(self) -> None:
        self.pool.shutdown(wait=True)

    def masters(
        self,
        raw: Mapping[str, npt.NDArray[np.float32]],
        vocal: _VocalTrack | None,
        logo_vocal: _VocalTrack | None,
    ) -> npt.NDArray[np.float64]:
        """Master the jingle, its cut-down, the logo and the bed loop two at a time (numpy and
        scipy release the GIL), emitting each as it is ready. Returns the full jingle."""
        band = np.asarray(raw["band"], dtype=np.float64)
        mix, _ = mix_with_vocal(band, vocal.samples if vocal else None, _spans(vocal), RATE)
        mix = fade_out(mix, RATE, 0.6)
        cut = fade_in(mix[int(self.lengths.cut * RATE) :], RATE, 0.02)
        music = np.asarray(raw["logo"], dtype=np.float64)
        logo_voice = logo_vocal.samples if logo_vocal else None
        logo, _ = mix_with_vocal(music, logo_voice, _spans(logo_vocal), RATE)
        voice = vocal.voice if vocal else None
        with ThreadPoolExecutor(max_workers=2) as pool:
            # the longest job first (the loop's two passes), and the beds' MP3s (the most audio)
            # queue first, so the encoders' tail is short
            loop = pool.submit(master_loop, raw["bed"], RATE)
            full = pool.submit(master, mix, RATE)
            short = pool.submit(master, cut, RATE)
            sting = pool.submit(master, fade_out(logo, RATE, 0.5), RATE)
            self.beds(loop.result())
            self.emit("final", f"jingle-{self.lengths.full:g}s", full.result(), voice)
            self.emit("final", f"jingle-{self.lengths.cut:g}s", short.result(), voice)
            self.emit(
                "sonic_logo", "sonic-logo", sting.result(), logo_vocal.voice if logo_vocal else None
            )
        return np.asarray(full.result().samples, dtype=np.float64)

    def beds(self, mastered: Normalized) -> None:
        loop = np.asarray(mastered.samples, dtype=np.float32)
        for seconds in sorted(self.lengths.beds, reverse=True):
            frames = seconds * RATE
            if frames % len(loop) == 0:  # whole loops: encode the loop once, write it n times
                self.emit("bed", f"bed-{seconds}s", mastered, None, extra={"seamless_loop": True},
                          repeats=frames // len(loop))
                continue
            tiled = Normalized(tile(loop, frames), mastered.loudness, mastered.true_peak)
            self.emit("bed", f"bed-{seconds}s", tiled, None, extra={"seamless_loop": True})

    def emit(
        self,
        role: str,
        label: str,
        done: Normalized,
        voice: Mapping[str, Any] | None,
        *,
        extra: Mapping[str, Any] | None = None,
        repeats: int = 1,
    ) -> None:
        """Write ``done`` (``repeats`` times over, for a tiled loop) as WAV and queue its MP3."""
        job = self.job
        meta: dict[str, Any] = {
            **job.soundfont.provenance(),
            "composer": COMPOSER,
            "tempo": job.jingle.tempo,
            "key": f"{job.plan.key} {job.plan.mode}",
            "seed": self.seed,
            **_levels(done),
            **(extra or {}),
        }
        if voice:
            meta.update(_voice_meta(voice))
        duration = round(repeats * len(done.samples) / RATE, 3)
        pcm = pcm_data(done.samples) if repeats == 1 else self._loop_pcm(done)
        channels = 1 if np.ndim(done.samples) == 1 else int(np.shape(done.samples)[1])
        wav = write_pcm_wav(self.work / f"{label}.wav", pcm, RATE, channels=channels, repeats=repeats)
        self.files.append(
            OutputFile(role, wav, "audio/wav", duration=duration, label=label, meta=meta)
        )
        mp3 = self.work / f"{label}.mp3"
        spec = Mp3Spec(
            gain_db=MP3_LOUDNESS_COMPENSATION_DB,
            title=f"{job.tagline} ({label})",
            comment="made with Adloom",
        )
        future = self.pool.submit(encode_mp3, wav, mp3, spec)
        self.pending.append(
            (future, OutputFile(role, mp3, "audio/mpeg", duration=duration, label=label, meta=meta))
        )

    def _loop_pcm(self, loop: Normalized) -> npt.NDArray[np.uint8]:
        """The bed loop's PCM, encoded once for every bed tiled from it."""
        if self._loop is None or self._loop[0] is not loop:
            self._loop = (loop, pcm_data(loop.samples))
        return self._loop[1]

    def picture(self, full: npt.NDArray[np.float64], vocal: _VocalTrack | None) -> OutputFile:
        composition = self.job.jingle
        markers, bar = [], 0
        for section in composition.sections:
            start = composition.at(bar * 4)
            markers.append(Marker(section.name, start, composition.at((bar + section.bars) * 4)))
            bar += section.bars
        for a, b in vocal.spans if vocal else []:
            markers.append(Marker("vocal", a / RATE, b / RATE, vocal=True))
        title = f"“{self.job.tagline}” · {self.job.plan.key} {self.job.plan.mode} · {composition.tempo:.0f} bpm"
        path = draw_picture(
            full,
            RATE,
            self.work / "jingle-waveform.png",
            markers=markers,
            spec=PictureSpec(title=title),
        )
        spec = PictureSpec()
        return OutputFile(
            "waveform",
            path,
            "image/png",
            spec.width,
            spec.height,
            label="waveform",
            meta={"of": f"jingle-{self.lengths.full:g}s"},
        )

    def finish(self) -> list[OutputFile]:
        """Every WAV, then every MP3, each in deliverable order (jingles, logo, beds by length)."""
        for future, file in self.pending:
            future.result()
            self.files.append(file)
        labels = [
            f"jingle-{self.lengths.full:g}s",
            f"jingle-{self.lengths.cut:g}s",
            "sonic-logo",
            *(f"bed-{seconds}s" for seconds in self.lengths.beds),
        ]
        rank = {label: index for index, label in enumerate(labels)}
        return sorted(self.files, key=lambda f: (f.media_type != "audio/wav", rank[f.label]))
