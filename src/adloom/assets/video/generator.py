"""``VideoGenerator``: approved scenes -> voiceover, music, motion, captions -> platform MP4s.

Stages (DESIGN §2):

- ``generate``: checks the product photo and logo (cutting the product out), speaks every
  scene's line with the local Piper voice, fits it to its scene and renders the music bed.
- ``render``: one clip per scene per aspect ratio, cached by content hash (see ``clips``);
  beside the clips, the voice over the ducked bed is mastered to -14 LUFS / -1 dBTP and
  encoded to AAC once (it needs only ``generate``'s files), cached by the same rule.
- ``stitch``: clips and the soundtrack joined without re-encoding (transitions are inside the
  clips); poster, thumbnails, SRT/VTT.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import wave
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from adloom.assets.base import JobContext, OutputFile, StageResult
from adloom.errors import BadMedia, RenderError
from adloom.providers.tts import (
    VOICE_INFO,
    Voice,
    WordTiming,
    default_voice,
    delivery_for_tone,
    voice_named,
    warm_up,
)
from adloom.render.audio import db_to_gain
from adloom.render.cutout import read_image, tight_crop
from adloom.render.cutout_gate import cut_product
from adloom.render.ffmpeg import run_ffmpeg
from adloom.render.footage import check_probed
from adloom.render.framing import Framing, frame_photo
from adloom.render.looks import IdeaLook, idea_look

from . import soundtrack
from .captions import CaptionCue, group_words, to_srt, to_vtt
from .checks import unshapeable_texts
from .clips import ClipJob, is_cached, render_clips
from .encode import (
    MuxSpec,
    build_aac_args,
    build_mux_args,
    concat_list_text,
    probe,
)
from .footage import analyse_clips, assign_footage, scene_footage
from .look import LookSpec
from .models import VideoScenes, VideoScript
from .plan import VideoFormat, VideoPlan, build_plan
from .treatments import choose_treatment, video_colors
from .voiceover import CachedVoice, speak_plan, voice_track, voices_to_json, words_from_json


@dataclass(frozen=True)
class VideoSettings:
    """Encoder choices (the benchmark reports what they cost)."""

    preset: str = "veryfast"
    crf: int = 20
    workers: int | None = None


class VideoGenerator:
    """The video ad generator (``AssetGenerator`` for kind ``video``)."""

    kind = "video"

    def __init__(
        self, *, voice: Voice | None = None, settings: VideoSettings | None = None
    ) -> None:
        self._voice = voice
        self.settings = settings or VideoSettings()

    # ------------------------------------------------------------------ shared

    def plan(self, ctx: JobContext, *, fresh: bool = False) -> VideoPlan:
        """The frame plan; after ``generate`` it uses the scene durations that stage settled."""
        settled = None if fresh else (ctx.previous.get("generate") or {}).get("durations")
        return build_plan(ctx.script_as(VideoScript), ctx.scenes_as(VideoScenes), ctx.options, settled)

    def voice(self) -> Voice:
        return self._voice or default_voice()

    def voice_for(self, ctx: JobContext) -> Voice:
        """The brand's voice (option ``voice``, from the operator's voices folder) reading with
        the delivery of the brand's tone; a voice given to the constructor wins (tests)."""
        if self._voice is not None:
            return self._voice
        chosen = voice_named(ctx.options.get("voice") or ctx.brand.voice, folder=ctx.voices_dir)
        return chosen.with_delivery(delivery_for_tone(ctx.brand.tone))

    def warm_up(self) -> None:
        """Load the voice and the synthesiser's modules before the first job (workers call
        this when they start): a one-second bed costs 0.1 s here, and saves the first ad that
        much more (imports, first-use set-up)."""
        warm_up(self.voice())
        soundtrack.music_bed("", 1.0)

    # ------------------------------------------------------------------ generate

    def generate(self, ctx: JobContext) -> StageResult:
        """Voiceover per scene, music bed, product cutout; fails early on unusable input."""
        plan = self.plan(ctx, fresh=True)
        work = _folder(ctx.workdir)
        ctx.progress("cutout", 0.0)
        _check_images(ctx)  # unusable input fails before any work is spent
        with ThreadPoolExecutor(max_workers=2) as pool:
            # the cut-out (OpenCV) and the bed (SoundFont synthesis) run beside the voice
            # (onnxruntime); all three release the GIL for their heavy parts
            cut_job = pool.submit(_product_visuals, ctx, work)
            bed_job = pool.submit(soundtrack.music_bed, ctx.brand.tone, plan.length,
                                  seed=ctx.seed)
            clips_job = pool.submit(analyse_clips, ctx.product.clips)
            ctx.progress("voiceover", 0.1)
            voice = CachedVoice(self.voice_for(ctx), work / "voice")
            voices, durations = speak_plan(voice, plan)
            visuals, bed, analysed = cut_job.result(), bed_job.result(), clips_job.result()
        warnings = list(_font_warnings(ctx))
        if durations is not None:
            before = plan
            plan = build_plan(ctx.script_as(VideoScript), ctx.scenes_as(VideoScenes), ctx.options,
                              durations)
            voices, again = speak_plan(voice, plan)
            if again is not None:  # pragma: no cover - the first plan already made room
                raise RenderError("The voiceover could not be fitted to the scenes.")
            warnings.append(_retimed(before, plan))
        track = voice_track(plan, voices, soundtrack.RATE)
        voice_path = work / "voiceover.wav"
        _write_wav(voice_path, track)
        ctx.progress("music", 0.7)
        bed_path = work / "music-bed.wav"
        _write_wav(bed_path, bed.samples)
        voice_info = dict(getattr(voice, "info", VOICE_INFO))
        output = {
            "length": plan.length,
            "formats": [f.label for f in plan.formats],
            "voice": voice_info,
            "scenes": voices_to_json(plan, voices),
            "music": bed.meta,
            "cutout": visuals[0]["cutout"] if visuals else None,
            "visuals": visuals,
            "voiceover": str(voice_path),
            "bed": str(bed_path),
            "durations": [scene.duration for scene in plan.scenes],
            "footage": {"clips": [a.to_json() for a in analysed], "scenes": assign_footage(plan, analysed)},
        }
        files = (
            OutputFile(
                "voiceover",
                voice_path,
                "audio/wav",
                duration=plan.length,
                meta={"voice": voice_info},
            ),
            OutputFile(
                "music", bed_path, "audio/wav", duration=plan.length, label="bed", meta=bed.meta
            ),
        )
        return StageResult(output, files, tuple(warnings))

    # ------------------------------------------------------------------ render

    def jobs(self, ctx: JobContext, plan: VideoPlan | None = None) -> list[ClipJob]:
        """Every clip of the ad (formats x scenes), in scene order per format."""
        plan = plan or self.plan(ctx)
        gen = _previous(ctx, "generate")
        looks = _looks(ctx, gen)
        words = _scene_words(gen, len(plan.scenes))
        footage = scene_footage(gen)
        # the scenes that show the product take the photos in turn, so every photo is seen
        showing = [s.index for s in plan.scenes if s.product != "none"]
        turn = {index: n for n, index in enumerate(showing)}
        jobs = []
        for fmt in plan.formats:
            folder = ctx.workdir / "clips" / fmt.slug / f"{fmt.width}x{fmt.height}"
            for scene in plan.scenes:
                jobs.append(
                    ClipJob(
                        scene,
                        fmt,
                        looks[turn.get(scene.index, 0) % len(looks)],
                        words[scene.index],
                        folder,
                        preset=self.settings.preset,
                        crf=self.settings.crf,
                        footage=footage.get(scene.index),
                    )
                )
        return jobs

    def render(self, ctx: JobContext) -> StageResult:
        """One clip per scene per format; unchanged clips are reused, not re-encoded."""
        plan = self.plan(ctx)
        jobs = self.jobs(ctx, plan)
        reused = sum(1 for job in jobs if is_cached(job))
        ctx.progress("clips", 0.0)
        gen = _previous(ctx, "generate")
        work = _folder(ctx.workdir)
        # the soundtrack needs only the voice and the bed: master and encode it while the
        # clips render, so stitching is a stream copy
        with ThreadPoolExecutor(max_workers=1) as pool:
            sound = pool.submit(_soundtrack, plan, gen, work)
            paths = render_clips(jobs, workers=self.settings.workers)
            mastered = sound.result()
        clips: dict[str, list[str]] = {}
        files = []
        for job, path in zip(jobs, paths, strict=True):
            clips.setdefault(job.fmt.label, []).append(str(path))
            files.append(
                OutputFile(
                    "clip",
                    path,
                    "video/mp4",
                    job.fmt.width,
                    job.fmt.height,
                    job.scene.duration,
                    label=f"{job.fmt.label} scene {job.scene.index + 1}",
                    meta={"hash": job.content_hash()},
                )
            )
        output = {"clips": clips, "reused": reused, "rendered": len(jobs) - reused,
                  "soundtrack": mastered}
        return StageResult(output, tuple(files), _glyph_warnings(plan, jobs))

    # ------------------------------------------------------------------ stitch

    def stitch(self, ctx: JobContext) -> StageResult:
        """Final MP4 per format, poster, thumbnails, SRT/VTT captions, ducked music."""
        plan = self.plan(ctx)
        gen = _previous(ctx, "generate")
        rendered = _previous(ctx, "render")
        work = _folder(ctx.workdir)
        ctx.progress("mix", 0.0)
        sound = _rendered_soundtrack(plan, gen, rendered, work)
        audio_meta = sound["meta"]
        provenance = {
            "voice": gen.get("voice", VOICE_INFO),
            "music": gen.get("music", {}),
            "audio": audio_meta,
        }
        ctx.progress("mux", 0.3)
        # the muxes run in ffmpeg while this thread writes the captions and stills
        with ThreadPoolExecutor(max_workers=1) as pool:
            muxes = [pool.submit(_mux, plan, fmt, rendered, Path(sound["audio"]), work,
                                 provenance) for fmt in plan.formats]
            extras = _captions(plan, gen, work, provenance) + self._stills(ctx, plan, work)
            files: list[OutputFile] = [mux.result() for mux in muxes]
        files += extras
        files.append(
            OutputFile(
                "music",
                Path(sound["ducked"]),
                "audio/wav",
                duration=plan.length,
                label="ducked",
                meta=provenance["music"],
            )
        )
        output = {
            "finals": {f.label: str(f.path) for f in files if f.role == "final"},
            "audio": audio_meta,
            "duration": plan.length,
        }
        return StageResult(output, tuple(files))

    def _stills(self, ctx: JobContext, plan: VideoPlan, work: Path) -> list[OutputFile]:
        """Poster per format and scene thumbnails, from the stills the clips were made with."""
        jobs = self.jobs(ctx, plan)
        files = []
        for fmt in plan.formats:
            poster = _poster_job([j for j in jobs if j.fmt == fmt])
            path = work / f"poster-{fmt.slug}.jpg"
            shutil.copyfile(_still_of(poster), path)
            files.append(OutputFile("poster", path, "image/jpeg", fmt.width, fmt.height,
                                    label=fmt.label))
        for job in [j for j in jobs if j.fmt == plan.formats[0]]:
            with Image.open(_still_of(job)) as still:
                thumb = still.convert("RGB")
            thumb.thumbnail((360, 360))
            path = work / f"thumb-scene{job.scene.index + 1:02d}.jpg"
            thumb.save(path, quality=82)
            files.append(OutputFile("thumbnail", path, "image/jpeg", thumb.width, thumb.height,
                                    label=f"scene {job.scene.index + 1}"))
        return files


def _still_of(job: ClipJob) -> Path:
    if not job.still.exists():
        raise RenderError(f"The still of scene {job.scene.index + 1} ({job.fmt.label}) is "
                          "missing.", hint="Run the rendering stage again.")
    return job.still


# ----------------------------------------------------------------------------- helpers


def _retimed(before: VideoPlan, after: VideoPlan) -> str:
    changes = [f"scene {a.index + 1} {b.duration:.1f} s -> {a.duration:.1f} s"
               for b, a in zip(before.scenes, after.scenes, strict=True)
               if abs(a.duration - b.duration) >= 0.05]
    return ("Scenes were retimed so every voiceover line fits (same total length): "
            + ", ".join(changes) + ".")


def _folder(workdir: Path) -> Path:
    path = workdir / "video"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _previous(ctx: JobContext, stage: str) -> Mapping[str, Any]:
    found = ctx.previous.get(stage)
    if not found:
        raise RenderError(
            f"The video '{stage}' stage has not run for this project.",
            hint=f"Run the '{stage}' stage first (retry resumes there).",
        )
    return found


def _check_images(ctx: JobContext) -> None:
    """Open the logo and the product photo; BadMedia names a file that cannot be used."""
    if ctx.brand.logo is not None:
        read_image(Path(ctx.brand.logo))
    for photo in _photos(ctx):
        read_image(Path(photo))
    for clip in ctx.product.clips:
        check_probed(Path(clip))  # decoded in full when uploaded; here only its container


def _photos(ctx: JobContext) -> tuple[Path, ...]:
    """The product photos the video shows; a still made from a clip is not one of them (the
    video shows the clip itself)."""
    return () if ctx.product.photos_from_clips else ctx.product.photos


def _product_visuals(ctx: JobContext, work: Path) -> list[dict[str, Any]]:
    """For every product photo: its cut-out when it passes the quality gate (else None: the
    scenes show the photo, cropped around its subject), the gate's measures and the framing."""
    model = str(ctx.segmentation_model) if ctx.segmentation_model else None
    return [_product_visual(Path(photo), i, work, model)
            for i, photo in enumerate(_photos(ctx))]


def _product_visual(photo: Path, index: int, work: Path, model: str | None) -> dict[str, Any]:
    rgba = np.asarray(read_image(photo))
    cut = cut_product(rgba, model=model)
    cutout = None
    if cut.usable and cut.mask is not None:
        pixels = tight_crop(np.dstack([rgba[:, :, :3], cut.mask]))
        if pixels.shape[0] < 8 or pixels.shape[1] < 8:
            raise BadMedia(
                f"No product could be found in {photo.name}.",
                hint="Upload a photo where the product fills most of the frame.",
            )
        cutout = work / ("cutout.png" if index == 0 else f"cutout-{index + 1}.png")
        Image.fromarray(pixels).save(cutout)
    framing = Framing() if cutout else frame_photo(np.ascontiguousarray(rgba[:, :, :3]))
    return {
        "photo": str(photo),
        "cutout": str(cutout) if cutout else None,
        "quality": cut.quality.to_json(),
        "reason": cut.quality.describe(),
        "framing": framing.to_json(),
    }


def _font_warnings(ctx: JobContext) -> tuple[str, ...]:
    spec = _look_spec(ctx, None)
    return tuple(c.note for c in spec.fonts() if c.note)


def _look_spec(ctx: JobContext, cutout: Path | None, photo: Path | None = None,
               framing: Framing | None = None) -> LookSpec:
    if photo is None and _photos(ctx):
        photo = Path(_photos(ctx)[0])
    framing = framing or Framing()
    return LookSpec(
        colors=tuple(sorted(video_colors(ctx.brand.colors, _idea_look(ctx)).items())),
        heading_font=ctx.brand.heading_font,
        body_font=ctx.brand.body_font,
        brand_name=ctx.brand.name,
        cta=ctx.script_as(VideoScript).cta,
        photo=photo,
        cutout=cutout,
        logo=Path(ctx.brand.logo) if ctx.brand.logo else None,
        photo_focal=framing.focal,
        photo_keep=framing.keep,
        product_name=ctx.product.name,
        offer=ctx.product.offer,
        url=ctx.product.url,
        treatment=_treatment(ctx),
        tagline=ctx.brand.tagline,
    )


def _treatment(ctx: JobContext) -> str:
    """The concept's ``treatment`` when the approved scenes (or the options) name one, else
    one of the brand's family chosen by the hook's line."""
    scenes = ctx.scenes_as(VideoScenes).scenes  # the model has no treatment field: options name it
    requested = ctx.options.get("treatment")
    return choose_treatment(
        requested=str(requested) if requested else None, tone=ctx.brand.tone,
        brand_key=ctx.brand.name + repr(sorted(ctx.brand.colors.items())),
        concept_key=scenes[0].on_screen_text,
        slot=_idea_look(ctx).slot if ctx.previous.get("ideas") else None, brand_name=ctx.brand.name,
    )


def _idea_look(ctx: JobContext) -> IdeaLook:
    return idea_look(ctx.previous.get("ideas"), ctx.brand.tone)


def _looks(ctx: JobContext, gen: Mapping[str, Any]) -> list[LookSpec]:
    """One look per product photo (the scenes cycle through them); a generate stage from
    before per-photo visuals gives the single look it described."""
    visuals = gen.get("visuals")
    if not visuals:
        cutout = gen.get("cutout")
        return [_look_spec(ctx, Path(cutout) if cutout else None)]
    return [
        _look_spec(ctx, Path(v["cutout"]) if v.get("cutout") else None, Path(v["photo"]),
                   Framing.from_json(v.get("framing")))
        for v in visuals
    ]


def _scene_words(gen: Mapping[str, Any], count: int) -> list[tuple[WordTiming, ...]]:
    entries = {int(e["scene"]): e for e in gen.get("scenes", [])}
    return [words_from_json(entries.get(i, {})) for i in range(count)]


def _utterances(gen: Mapping[str, Any]) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for e in gen.get("scenes", []) for a, b in e.get("utterances", [])]


def _write_wav(path: Path, samples: np.ndarray) -> None:
    """24-bit PCM WAV at 48 kHz, converted 5 s at a time (memory stays flat)."""
    frames = samples.reshape(len(samples), -1)
    _write_wav_blocks(path, (frames[a: a + soundtrack.BLOCK]
                             for a in range(0, len(frames), soundtrack.BLOCK)), frames.shape[1])


def _write_wav_blocks(path: Path, blocks: Iterable[np.ndarray], channels: int,
                      meters: Sequence[Any] = ()) -> None:
    """24-bit PCM WAV at 48 kHz from ``(frames, channels)`` float blocks, each block also fed
    to ``meters`` (objects with ``add(block)``)."""
    scale = 2**23 - 1
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(3)
        out.setframerate(soundtrack.RATE)
        for block in blocks:
            for meter in meters:
                meter.add(block)
            clipped = np.clip(block.reshape(len(block), channels), -1.0, 1.0)
            ints = np.round(clipped * scale).astype("<i4")
            out.writeframes(ints.view(np.uint8).reshape(-1, 4)[:, :3].tobytes())


def _read_wav(path: Path) -> np.ndarray:
    """A 24-bit WAV written by :func:`_write_wav` as float32 ``(frames, channels)``, decoded
    5 s at a time."""
    with wave.open(str(path), "rb") as src:
        channels, count = src.getnchannels(), src.getnframes()
        if src.getsampwidth() != 3:
            raise RenderError(f"{path.name} is not a 24-bit WAV.", hint="Run 'generating' again.")
        out = np.empty((count, channels), dtype=np.float32)
        for start in range(0, count, soundtrack.BLOCK):
            raw = np.frombuffer(src.readframes(soundtrack.BLOCK), dtype=np.uint8).reshape(-1, 3)
            ints = (raw[:, 0].astype(np.int32) | (raw[:, 1].astype(np.int32) << 8)
                    | (raw[:, 2].astype(np.int8).astype(np.int32) << 16))
            block = ints.reshape(-1, channels).astype(np.float32) / (2**23 - 1)
            out[start: start + len(block)] = block
    return out


def _master(
    plan: VideoPlan, gen: Mapping[str, Any], work: Path
) -> tuple[Path, dict[str, Any], np.ndarray]:
    """Mix, master (-14 LUFS, true peak below -1 dBTP) and write ``mix.wav`` block by block:
    only the mono voice and the stereo music are ever held at full length. Returns the mix,
    its measurements and the ducked music as it sits in the mix (for ``music-ducked.wav``)."""
    voice = _read_wav(Path(gen["voiceover"]))
    voice = voice[:, 0].copy() if voice.shape[1] == 1 else voice.mean(axis=1, dtype=np.float32)
    bed = _read_wav(Path(gen["bed"]))
    bed = bed if bed.shape[1] == 2 else np.repeat(bed[:, :1], 2, axis=1)
    utter = _utterances(gen)
    mixed = soundtrack.mix(voice, bed, utter)
    del voice, bed
    path = work / "mix.wav"
    ceiling = soundtrack.PEAK_CEILING - 0.1
    gain_db = soundtrack.first_master_gain(mixed, ceiling)
    loudness = soundtrack.LoudnessMeter()
    peak = soundtrack.PeakMeter()
    if gain_db is None:  # silence: nothing to master
        gain_db = 0.0
        _write_wav_blocks(path, (raw[a:b] for raw, a, b in mixed.raw_blocks()), 2,
                          (loudness, peak))
    else:
        for attempt in range(3):  # the limiter moves the loudness a little: re-aim, rewrite
            loudness, peak = soundtrack.LoudnessMeter(), soundtrack.PeakMeter()
            _write_wav_blocks(path, mixed.mastered_blocks(db_to_gain(gain_db), ceiling),
                              2, (loudness, peak))
            measured = loudness.loudness()
            if abs(measured - soundtrack.TARGET_LUFS) <= soundtrack.LOUDNESS_TOLERANCE \
                    or attempt == 2:
                break
            gain_db += soundtrack.TARGET_LUFS - measured
    music = mixed.music
    music *= np.float32(db_to_gain(gain_db))
    clear = soundtrack.complement(utter, plan.length)
    meta = {
        "integrated_lufs": round(loudness.loudness(), 2),
        "true_peak_dbtp": round(peak.peak, 2),
        "music_under_speech_db": round(soundtrack.level_db(music, utter), 2),
        "music_clear_db": round(soundtrack.level_db(music, clear), 2) if clear else None,
        "duck_db": soundtrack.DUCK_DB,
    }
    return path, meta, music


SOUNDTRACK_VERSION = "soundtrack-2"


def _soundtrack(plan: VideoPlan, gen: Mapping[str, Any], work: Path) -> dict[str, Any]:
    """The mastered soundtrack as AAC (``mix-<hash>.m4a``), the ducked music as it sits in the
    mix (``music-ducked.wav``) and their measurements, made once per voice, bed and timing.

    The hash covers the voiceover and bed files' bytes, the speech regions and the length, so
    a re-render after a scene edit that changed no audio reuses it. The record is written
    last: an interrupted run leaves nothing that looks finished."""
    digest = hashlib.sha256()
    for name in ("voiceover", "bed"):
        with open(gen[name], "rb") as src:
            digest.update(hashlib.file_digest(src, "sha256").digest())
    digest.update(json.dumps([SOUNDTRACK_VERSION, _utterances(gen), plan.length,
                              MuxSpec.audio_bitrate]).encode())
    key = digest.hexdigest()[:16]
    record = work / f"soundtrack-{key}.json"
    if record.exists():
        found: dict[str, Any] = json.loads(record.read_text())
        if Path(found["audio"]).exists() and Path(found["ducked"]).exists():
            return found
    mixed, meta, music = _master(plan, gen, work)
    ducked = work / "music-ducked.wav"
    aac, partial = work / f"mix-{key}.m4a", work / f".mix-{key}.partial.m4a"
    with ThreadPoolExecutor(max_workers=1) as pool:  # ffmpeg encodes while numpy writes
        encoding = pool.submit(run_ffmpeg, build_aac_args(mixed, partial))
        _write_wav(ducked, music)
        del music
        try:
            encoding.result()
        except Exception:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(aac)
    mixed.unlink(missing_ok=True)
    for old in work.glob("mix-*.m4a"):
        if old != aac:
            old.unlink(missing_ok=True)
    for old in work.glob("soundtrack-*.json"):
        old.unlink(missing_ok=True)
    found = {"audio": str(aac), "ducked": str(ducked), "meta": meta}
    record.write_text(json.dumps(found))
    return found


def _rendered_soundtrack(
    plan: VideoPlan, gen: Mapping[str, Any], rendered: Mapping[str, Any], work: Path
) -> dict[str, Any]:
    """The soundtrack the render stage made; made here only when its files are gone (or the
    project was rendered before soundtracks were made beside the clips)."""
    sound = rendered.get("soundtrack")
    if sound and Path(sound["audio"]).exists() and Path(sound["ducked"]).exists():
        return dict(sound)
    return _soundtrack(plan, gen, work)


def _mux(
    plan: VideoPlan,
    fmt: VideoFormat,
    rendered: Mapping[str, Any],
    audio: Path,
    work: Path,
    provenance: Mapping[str, Any],
) -> OutputFile:
    clips = [Path(p) for p in rendered.get("clips", {}).get(fmt.label, [])]
    if len(clips) != len(plan.scenes) or not all(c.exists() for c in clips):
        raise RenderError(
            f"The {fmt.label} clips are missing or out of date.",
            hint="Run the rendering stage again.",
        )
    listing = work / f"concat-{fmt.slug}.txt"
    listing.write_text(concat_list_text(clips))
    final = work / f"ad-{fmt.slug}.mp4"
    run_ffmpeg(build_mux_args(MuxSpec(listing, audio, final)))
    info = probe(final)
    if abs(info.duration - plan.length) > 0.1:
        final.unlink(missing_ok=True)
        raise RenderError(
            f"The {fmt.label} video lasts {info.duration:.2f} s instead of {plan.length} s.",
            hint="Re-render the clips.",
        )
    meta = {
        **provenance,
        "codec": f"{info.video_codec} {info.video_profile}",
        "fps": info.fps,
        "audio": {**provenance["audio"], "codec": info.audio_codec, "rate": info.audio_rate},
    }
    return OutputFile(
        "final",
        final,
        "video/mp4",
        fmt.width,
        fmt.height,
        info.duration,
        label=fmt.label,
        meta=meta,
    )


def caption_cues(plan: VideoPlan, gen: Mapping[str, Any]) -> list[CaptionCue]:
    """All caption cues of the ad in absolute seconds (the same groups as burned in)."""
    cues: list[CaptionCue] = []
    for scene, words in zip(plan.scenes, _scene_words(gen, len(plan.scenes)), strict=True):
        cues += [cue.shifted(scene.start) for cue in group_words(words)]
    return cues


def _captions(
    plan: VideoPlan, gen: Mapping[str, Any], work: Path, provenance: Mapping[str, Any]
) -> list[OutputFile]:
    cues = caption_cues(plan, gen)
    srt, vtt = work / "captions.srt", work / "captions.vtt"
    srt.write_text(to_srt(cues), encoding="utf-8")
    vtt.write_text(to_vtt(cues), encoding="utf-8")
    meta = {"voice": provenance["voice"], "cues": len(cues)}
    return [
        OutputFile("captions", srt, "application/x-subrip", label="srt", meta=meta),
        OutputFile("captions", vtt, "text/vtt", label="vtt", meta=meta),
    ]


def _glyph_warnings(plan: VideoPlan, jobs: Sequence[ClipJob]) -> tuple[str, ...]:
    """The visual critic's glyph check: text that would show as boxes, named by place."""
    missing = unshapeable_texts(plan, jobs[0].look) if jobs else []
    if not missing:
        return ()
    warning = (f"Some characters in {', '.join(missing)} exist in none of the fonts (the "
               "brand's or the fallbacks) and show as empty boxes: rewrite them or choose "
               "another font.")
    return (warning,)


def _poster_job(jobs: Sequence[ClipJob]) -> ClipJob:
    """The hook: the feed shows the poster before the ad plays, so it is the first scene's
    still (its headline in), not the end card."""
    return min(jobs, key=lambda job: job.scene.index)
