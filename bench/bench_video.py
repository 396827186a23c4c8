"""Video ad benchmark: a 30 s 1080x1920 ad (6 scenes, voiceover, music, captions) from approved
scenes to the final file, against the floor of ffmpeg alone encoding the same frames.

Run: ``python bench/bench_video.py`` (about two minutes on 2 cores). Prints, in one run:
- wall time of generate + render + stitch for the 30 s ad as a worker runs them: modules
  imported and the voice model loaded when the worker started (``Worker.start``
  warms the generators up); then the same with the model loaded inside ``generate`` (a cold
  worker), and in a fresh process with interpreter start and imports;
- the floor: ffmpeg alone encoding the final's frames (decoded beforehand to raw yuv420p) with
  the same x264 settings, and the ratio wall / floor;
- peak RSS for a 15 s and a 60 s ad (each in its own process), and their ratio.
- ``adloom generate video --campaign ID --autopilot --json`` at full size on the Northbound and
  LaunchPad briefs: what the final file is (codec, size, fps, duration against the plan, audio)
  and its loudness and true peak.
- the same 30 s ad built from a 1080p user clip (20 s of H.264 with sound) instead of a photo:
  wall, CPU, real-time factor and the ratio to its own encode floor.
``--quick`` stops after the 30 s ads and their floors; ``--clip`` runs only the clip row.
Targets on 2 cores: wall <= 15 s, ratio <= 1.5, peak RSS <= 1 GB, RSS(60 s) <= 1.2 x RSS(15 s).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))


def child(length: int, workdir: Path, formats: str, warm: bool, clip: Path | None = None) -> None:
    """Run the three stages once and print timings, CPU and peak memory as JSON. With ``clip``
    the product has that video clip and no photo (the scenes show the footage)."""
    from dataclasses import replace

    from videogens import make_video_ctx

    from adloom.assets.video import VideoGenerator

    start = time.perf_counter()
    import adloom.assets.video.generator  # noqa: F401  (a worker process has these loaded)

    ctx = make_video_ctx(workdir, length=length, options={"scale": 1.0, "formats": formats.split(",")})
    if clip is not None:
        ctx = replace(ctx, product=replace(ctx.product, photos=(), clips=(clip,)))
    gen = VideoGenerator()
    if warm:
        gen.warm_up()  # what a render worker does when it starts
    t0 = time.perf_counter()
    cpu0 = _cpu()
    generated = gen.generate(ctx)
    t1 = time.perf_counter()
    ctx = replace(ctx, previous={"generate": dict(generated.output)})
    rendered = gen.render(ctx)
    t2 = time.perf_counter()
    ctx = replace(ctx, previous={"generate": dict(generated.output), "render": dict(rendered.output)})
    stitched = gen.stitch(ctx)
    t3 = time.perf_counter()
    cpu = _cpu() - cpu0
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({
        "imports_s": round(t0 - start, 2), "stages_s": round(t3 - t0, 2), "generate_s": round(t1 - t0, 2),
        "render_s": round(t2 - t1, 2), "stitch_s": round(t3 - t2, 2),
        "final": stitched.output["finals"], "audio": stitched.output["audio"],
        "rss_python_mb": round(me), "rss_ffmpeg_mb": round(kids), "cpu_s": round(cpu, 2),
    }, default=str))


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished children (ffmpeg runs)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def make_user_clip(path: Path, seconds: float = 20.0) -> Path:
    """A 1080p 30 fps H.264 clip with sound, as a phone or an editor exports it: a test card
    with a subject (a magenta box) crossing it, and a 1 kHz tone."""
    from adloom.assets.video.encode import ffmpeg_exe

    graph = ("[0:v]hue=s=0.4,eq=contrast=0.5[bg];"
             "[bg][1:v]overlay=x='300+60*t':y='380+40*sin(t)'[v]")
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
                    "-f", "lavfi", "-i", f"color=c=0xFF00FF:size=300x300:rate=30:duration={seconds}",
                    "-f", "lavfi", "-i", f"sine=frequency=1000:sample_rate=48000:duration={seconds}",
                    "-filter_complex", graph, "-map", "[v]", "-map", "2:a", "-c:v", "libx264",
                    "-preset", "fast", "-b:v", "12M", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-shortest", str(path)], check=True)
    return path


def clip_row(work: Path, raw_dir: Path, runs: int = 2) -> None:
    """The 30 s ad built from a 1080p user clip: every scene but the end card decodes, crops
    and scales the clip under the type."""
    clip = make_user_clip(work / "user-clip-1080p.mp4")
    reports, floors, walls = [], [], []
    for n in range(runs):
        wall, rep = run_child(30, work / f"clip30-{n}", clip=clip)
        reports.append(rep)
        walls.append(wall)
        floors.append(floor_seconds(Path(rep["final"]["9:16"]), raw_dir))
    best = min(range(runs), key=lambda i: reports[i]["stages_s"])
    rep, floor = reports[best], min(floors)
    stages = rep["stages_s"]
    print(f"30 s 1080x1920 ad from a 1080p user clip (20 s, H.264 12 Mb/s, with sound): wall "
          f"{stages:.2f} s for the three stages (generate {rep['generate_s']} s, render "
          f"{rep['render_s']} s, stitch {rep['stitch_s']} s; best of "
          f"{', '.join(str(r['stages_s']) for r in reports)}), CPU {rep['cpu_s']:.2f} s, "
          f"real-time factor {stages / 30:.2f} (CPU {rep['cpu_s'] / 30:.2f} s per second of ad)")
    own = ", ".join(f"{r['stages_s'] / f:.2f}" for r, f in zip(reports, floors, strict=True))
    print(f"  floor (ffmpeg alone encoding its frames): {floor:.2f} s; ratio {stages / floor:.2f} "
          f"(each run with its own floor: {own}); "
          f"load average now {os.getloadavg()[0]:.2f}")


def run_child(length: int, workdir: Path, formats: str = "9:16",
              warm: bool = True, clip: Path | None = None) -> tuple[float, dict]:
    args = [sys.executable, __file__, "--child", str(length), str(workdir), formats,
            "warm" if warm else "cold", *([str(clip)] if clip else [])]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def floor_seconds(final: Path, scratch: Path) -> float:
    """ffmpeg alone: encode the final's frames (pre-decoded raw yuv420p) with the same settings."""
    from adloom.assets.video import VideoSettings
    from adloom.assets.video.encode import EncodeSpec, build_encode_args, ffmpeg_exe

    raw = scratch / "frames.yuv"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(final), "-f", "rawvideo",
                    "-pix_fmt", "yuv420p", str(raw)], check=True)
    settings = VideoSettings()
    spec = EncodeSpec(1080, 1920, scratch / "floor.mp4", preset=settings.preset, crf=settings.crf)
    args = build_encode_args(spec, source=str(raw))
    start = time.perf_counter()
    subprocess.run(args, check=True)
    elapsed = time.perf_counter() - start
    raw.unlink()
    return elapsed


def brief_runs(scratch: Path) -> None:
    """The CLI on the two shipped briefs, as a user runs it (fresh data folder, in-process worker)."""
    from adloom.assets.video.encode import probe
    from adloom.render.audio import decode_audio, measure_loudness, true_peak_db

    adloom = str(Path(sys.executable).parent / "adloom")
    env = {**os.environ, "ADLOOM_DATA_DIR": str(scratch / "data"),
           "ADLOOM_QUEUE_URL": f"sqlite://{scratch / 'queue.db'}"}
    briefs = ROOT / "src" / "adloom" / "demo_data" / "briefs"
    shared = Path("/work/shared/briefs")
    for name in ("northbound-coldbrew.yaml", "launchpad-webinar.yaml"):
        brief = shared / name if (shared / name).exists() else briefs / name

        def cli(*args: str) -> dict:
            done = subprocess.run([adloom, *args, "--json"], env=env, capture_output=True,
                                  text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"adloom {' '.join(args)} failed: {done.stdout}{done.stderr[-2000:]}")
            return json.loads(done.stdout)

        cid = cli("campaign", "create", "--from", str(brief))["id"]
        start = time.perf_counter()
        data = cli("generate", "video", "--campaign", cid, "--autopilot")
        wall = time.perf_counter() - start
        steps = cli("project", "show", data["project"])["steps"]
        planned = next(s for s in steps if s["name"] == "stitch")["output"]["duration"]
        final = Path(next(a["path"] for a in data["assets"] if a["role"] == "final"))
        info = probe(final)
        sound = decode_audio(final, 48000, 2)
        print(f"{name}: {data['status']} in {wall:.1f} s (whole CLI run, writer included); "
              f"{info.video_codec} {info.video_profile} {info.pix_fmt} {info.width}x{info.height} "
              f"{info.fps:g} fps, {info.duration:.2f} s (plan {planned} s), audio "
              f"{info.audio_codec} {info.audio_rate} Hz {info.audio_channels}; "
              f"{measure_loudness(sound, 48000):.2f} LUFS, {true_peak_db(sound, 48000):.2f} dBTP")


def main(quick: bool = False, clip_only: bool = False) -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores; other work on the machine "
          "inflates every figure)")
    shm = Path("/dev/shm") if Path("/dev/shm").exists() else None
    with tempfile.TemporaryDirectory(prefix="bench-video-") as tmp, \
            tempfile.TemporaryDirectory(prefix="bench-video-raw-", dir=shm) as raw_dir:
        work = Path(tmp)
        if clip_only:
            clip_row(work, Path(raw_dir))
            return
        # the ad and the floor alternate, so a change in the machine's speed (a shared host)
        # falls on both: ratio of the best of each, and the median of the pairs' own ratios
        runs, floors = [], []
        for n in range(3):
            runs.append(run_child(30, work / f"ad30-{n}")[1])
            floors.append(floor_seconds(Path(runs[-1]["final"]["9:16"]), Path(raw_dir)))
        report = min(runs, key=lambda r: r["stages_s"])
        wall = report["stages_s"]
        print(f"30 s 1080x1920 ad, 6 scenes: wall {wall:.2f} s for the three stages in a "
              f"worker (generate {report['generate_s']} s, render {report['render_s']} s, "
              f"stitch {report['stitch_s']} s; best of "
              f"{', '.join(str(r['stages_s']) for r in runs)})")
        floor = min(floors)
        pairs = sorted(r["stages_s"] / f for r, f in zip(runs, floors, strict=True))
        fresh, cold_report = run_child(30, work / "ad30-cold", warm=False)
        cold = cold_report["stages_s"]
        print(f"  cold worker (voice model loaded inside generate): {cold:.2f} s "
              f"(generate {cold_report['generate_s']} s); {fresh:.2f} s in a fresh process "
              "incl. interpreter start and imports")
        final = Path(report["final"]["9:16"])
        audio = report["audio"]
        print(f"  loudness {audio['integrated_lufs']} LUFS, true peak {audio['true_peak_dbtp']} dBTP,"
              f" music {audio['music_clear_db']} dB clear vs {audio['music_under_speech_db']} dB "
              "under speech")
        print(f"  floor (ffmpeg alone, same frames, same x264 settings): {floor:.2f} s "
              f"(best of {', '.join(f'{f:.2f}' for f in floors)}); "
              f"ratio {wall / floor:.2f} (target <= 1.5; each ad with the floor measured after "
              f"it: {', '.join(f'{r:.2f}' for r in pairs)}, median {pairs[1]:.2f}; cold worker "
              f"{cold / floor:.2f}, fresh process {fresh / floor:.2f}); wall target <= 15 s")
        print(f"  final size {final.stat().st_size / 1e6:.1f} MB")
        clip_row(work, Path(raw_dir))
        if quick:
            return
        rss = {}
        for length in (15, 60):
            wall_n, rep = run_child(length, work / f"ad{length}")
            rss[length] = rep["rss_python_mb"]
            # (the children's ru_maxrss is not reported: a forked ffmpeg counts the parent's
            # pages until it execs, so it only repeats the Python figure)
            print(f"{length} s ad: wall {wall_n:.2f} s, peak RSS {rep['rss_python_mb']} MB")
        print(f"RSS(60 s) / RSS(15 s) = {rss[60] / rss[15]:.2f} (target <= 1.2); "
              f"peak {max(rss.values())} MB (target <= 1024)")
        brief_runs(work)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5] == "warm",
              Path(sys.argv[6]) if len(sys.argv) > 6 else None)
    else:
        main(quick="--quick" in sys.argv, clip_only="--clip" in sys.argv)
