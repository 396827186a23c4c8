from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adloom.errors import FFmpegFailed
from adloom.render import audio

SR = 48000


def tone(freq: float, seconds: float, amp: float = 0.5, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_loudness_of_reference_tone() -> None:
    # BS.1770: a 1 kHz sine of peak -20 dBFS reads -23 LUFS in one channel, -20 in two.
    mono = tone(1000.0, 2.0, amp=audio.db_to_gain(-20.0))
    stereo = np.stack([mono, mono], axis=1)
    assert audio.measure_loudness(mono, SR) == pytest.approx(-23.0 + 0.0, abs=0.2)
    assert audio.measure_loudness(stereo, SR) == pytest.approx(-20.0, abs=0.2)
    assert audio.measure_loudness(np.zeros(SR), SR) == float("-inf")


def test_true_peak_sees_intersample_overs() -> None:
    # fs/4 sine with 45 degree phase: samples at ±0.707, true peak 1.0 (+3 dB over sample peak)
    n = np.arange(4800)
    x = np.sin(2 * np.pi * n / 4 + np.pi / 4).astype(np.float64)
    assert np.abs(x).max() == pytest.approx(0.7071, abs=1e-3)
    assert audio.true_peak_db(x, SR) == pytest.approx(0.0, abs=0.3)


def test_normalize_hits_target_and_ceiling_on_loud_peaky_signal() -> None:
    rng = np.random.default_rng(0)
    x = tone(110.0, 3.0, 0.2) + tone(2000.0, 3.0, 0.05)
    x[::4800] += 0.9  # spikes
    x = np.stack([x, x * 0.8 + 0.01 * rng.standard_normal(len(x))], axis=1)
    out = audio.normalize_loudness(x, SR, target=-14.0, peak_ceiling=-1.0)
    assert out.shape == x.shape and out.dtype == np.float64
    assert audio.measure_loudness(out, SR) == pytest.approx(-14.0, abs=0.15)
    assert audio.true_peak_db(out, SR) <= -1.0


def test_normalize_quiet_signal_up() -> None:
    x = tone(440.0, 1.0, 0.001)
    out = audio.normalize_loudness(x, SR, target=-16.0, peak_ceiling=-2.0)
    assert audio.measure_loudness(out, SR) == pytest.approx(-16.0, abs=0.15)
    assert audio.true_peak_db(out, SR) <= -2.0
    assert out.ndim == 1 and out.dtype == np.float32


def test_limiter_leaves_quiet_audio_untouched() -> None:
    x = tone(440.0, 0.5, 0.1)
    assert np.array_equal(audio.limit_true_peak(x, SR, ceiling_db=-1.0), x)


def test_compressor_reduces_loud_parts_only() -> None:
    quiet, loud = tone(200.0, 0.5, 0.02), tone(200.0, 0.5, 0.8)
    out = audio.compress(np.concatenate([quiet, loud]), SR, threshold_db=-20.0, ratio=4.0)
    assert audio.rms_db(out[: SR // 4]) == pytest.approx(audio.rms_db(quiet[: SR // 4]), abs=0.1)
    assert audio.rms_db(out[-SR // 4 :]) < audio.rms_db(loud) - 6.0


def test_highpass_removes_rumble() -> None:
    x = tone(30.0, 1.0) + tone(1000.0, 1.0)
    out = audio.equalize(
        x, SR, [audio.biquad("highpass", 200.0, SR), audio.biquad("highpass", 200.0, SR)]
    )
    spectrum = np.abs(np.fft.rfft(out[SR // 2 :]))
    freqs = np.fft.rfftfreq(SR // 2, 1 / SR)
    assert spectrum[np.argmin(abs(freqs - 30))] < 0.01 * spectrum[np.argmin(abs(freqs - 1000))]


def test_resample_keeps_pitch_and_duration() -> None:
    x = tone(1000.0, 1.0, sr=22050)
    y = audio.resample(x, 22050, SR)
    assert len(y) == SR
    spectrum = np.abs(np.fft.rfft(y))
    assert np.argmax(spectrum) == 1000


def test_wav_roundtrip_24_and_16_bit(tmp_path: Path) -> None:
    x = np.stack([tone(440.0, 0.2), -tone(440.0, 0.2)], axis=1)
    for bits, tol in ((24, 1e-6), (16, 1e-4)):
        path = audio.write_wav(tmp_path / f"t{bits}.wav", x, SR, bits=bits)
        back, sr = audio.read_wav(path)
        assert sr == SR and back.shape == x.shape
        assert np.max(np.abs(back - x)) < tol


def test_mp3_args_are_pure_and_complete(tmp_path: Path) -> None:
    args = audio.build_mp3_args(
        Path("a.wav"), Path("b.mp3"), audio.Mp3Spec(bitrate_kbps=160, title="Jingle")
    )
    assert args[-1] == "b.mp3" and "libmp3lame" in args and "160k" in args
    assert "title=Jingle" in args


def test_mp3_encode_and_decode(tmp_path: Path) -> None:
    x = np.stack([tone(440.0, 1.0), tone(660.0, 1.0)], axis=1)
    wav = audio.write_wav(tmp_path / "t.wav", x, SR)
    mp3 = audio.encode_mp3(wav, tmp_path / "t.mp3")
    assert mp3.read_bytes()[:3] == b"ID3"
    back = audio.decode_audio(mp3, SR, 2)
    assert abs(len(back) - SR) < 3000  # encoder padding
    assert audio.measure_loudness(back, SR) == pytest.approx(audio.measure_loudness(x, SR), abs=0.3)


def test_ffmpeg_failure_is_mapped(tmp_path: Path) -> None:
    (tmp_path / "bad.wav").write_bytes(b"not a wav")
    with pytest.raises(FFmpegFailed, match="ffmpeg failed"):
        audio.encode_mp3(tmp_path / "bad.wav", tmp_path / "x.mp3")


@pytest.mark.parametrize("channels", [1, 2])
def test_fast_loudness_matches_pyloudnorm(channels: int) -> None:
    import pyloudnorm

    rng = np.random.default_rng(3)
    x = rng.standard_normal((3 * SR, channels)) * 0.1
    x[: SR // 2] *= 0.001  # a quiet start exercises the gates
    x[2 * SR :] += tone(150.0, 1.0, 0.3)[:, None]
    reference = pyloudnorm.Meter(SR).integrated_loudness(x if channels > 1 else x[:, 0])
    assert audio.measure_loudness(x, SR) == pytest.approx(reference, abs=1e-6)


def test_loudness_filters_stay_out_of_the_subnormal_range_after_silence() -> None:
    """A stem that rests ends in exact zeros; the K-weighting filters' state must not decay into
    subnormal floats there (each multiply then costs ~100x), and the reading must not move."""
    import pyloudnorm
    from scipy import signal

    x = np.concatenate([tone(220.0, 0.5, 0.3), np.zeros(6 * SR, dtype=np.float32)])
    frames = audio.as_frames(x)
    tiny = np.finfo(np.float64).tiny

    def subnormal(weighted: np.ndarray) -> int:
        return int(np.count_nonzero((np.abs(weighted) < tiny) & (weighted != 0)))

    sos = audio._k_weighting(SR)
    assert subnormal(signal.sosfilt(sos, frames.T, axis=-1)) > 0  # what the guard is for
    assert subnormal(signal.sosfilt(sos, audio._denormal_guarded(frames), axis=-1)) == 0
    reference = pyloudnorm.Meter(SR).integrated_loudness(frames[:, 0])
    assert audio.measure_loudness(x, SR) == pytest.approx(reference, abs=1e-6)


def test_full_interpolation_pass_matches_upfirdn_and_the_runs_path() -> None:
    from scipy import signal

    rng = np.random.default_rng(5)
    x = rng.standard_normal((4000, 2)) * np.linspace(0.01, 1.0, 4000)[:, None]
    phases = audio._interpolation_phases()
    width = phases.shape[1]
    padded = np.pad(x, ((width - 1, audio._DELAY + 1), (0, 0)))
    full = audio._interpolate_all(padded, phases)  # (count + 6,) per interpolator output
    taps = np.zeros(4 * width)
    for phase in range(4):
        taps[phase::4] = phases[phase]
    reference = np.zeros(len(full))
    for channel in padded.T:
        up = np.abs(signal.upfirdn(taps, channel, up=4))[4 * (width - 1) :]
        for phase in range(4):
            column = up[phase : phase + 4 * len(full) : 4]
            reference[: len(column)] = np.maximum(reference[: len(column)], column)
    assert np.allclose(full, reference, atol=1e-5)
    wanted = np.r_[0, 1, np.arange(7, len(x), 50), 3000, 3001, len(x) - 1]  # runs of outputs
    sparse = audio._peaks_at(x, wanted)[wanted]
    dense = audio._peaks_at(x, np.arange(len(x)))[wanted]  # every frame: the full pass
    assert np.allclose(sparse, dense, atol=1e-5)


@pytest.mark.parametrize("bits", [16, 24])
def test_pcm_is_clipped_and_rounded_like_the_reference_and_a_repeated_loop_equals_the_tiled_one(
    tmp_path: Path, bits: int
) -> None:
    rng = np.random.default_rng(11)
    x = (rng.standard_normal((4801, 2)) * 0.6).astype(np.float32)  # some samples beyond ±1
    top = 2 ** (bits - 1) - 1
    reference = np.rint(np.clip(x, -1.0, 1.0) * np.float32(top)).astype(np.int64)
    data = audio.pcm_data(x, bits=bits).reshape(-1, bits // 8).astype(np.int64)
    decoded = sum(data[:, i] << (8 * i) for i in range(bits // 8))
    decoded = np.where(decoded >= 2 ** (bits - 1), decoded - 2**bits, decoded)
    assert np.array_equal(decoded.reshape(-1, 2), reference)
    tiled = audio.write_wav(tmp_path / "tiled.wav", np.tile(x, (3, 1)), SR, bits=bits)
    looped = audio.write_pcm_wav(tmp_path / "looped.wav", audio.pcm_data(x, bits=bits), SR,
                                 channels=2, bits=bits, repeats=3)
    assert looped.read_bytes() == tiled.read_bytes()
    back, rate = audio.read_wav(looped)
    assert rate == SR and back.shape == (3 * 4801, 2)
