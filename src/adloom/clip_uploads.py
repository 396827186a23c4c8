"""Video clip uploads (MP4, MOV, WebM), checked like images before anything is stored.

A clip is too large to hold in memory the way :mod:`adloom.uploads` holds a photo, so it is
streamed to a file in the caller's scratch folder while its size is counted (abandoned on the
first byte past ``max_bytes``) and hashed; then its container is sniffed from the bytes, never
trusted from the name, and ffmpeg probes and decodes samples of it (``render.footage``): a
file with no video stream, an unknown codec, longer than the limit, or frames that do not
decode is refused in plain words. A refused clip leaves nothing behind: the partial file is
removed before the error is raised.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from adloom.errors import BadMedia
from adloom.render.footage import DEFAULT_MAX_SECONDS, check_clip
from adloom.uploads import (
    CHUNK,
    Source,
    UploadRejected,
    UploadTooLarge,
    _chunks,
    _describe,
    _mib,
    safe_filename,
)

VIDEO_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    # sniffed container -> (media type, accepted extensions; the first is canonical)
    "mp4": ("video/mp4", (".mp4", ".m4v")),
    "mov": ("video/quicktime", (".mov", ".qt")),
    "webm": ("video/webm", (".webm",)),
}
VIDEO_EXTENSIONS = frozenset(ext for _, exts in VIDEO_TYPES.values() for ext in exts) | {
    ".mkv", ".avi", ".wmv", ".flv", ".3gp", ".mpg", ".mpeg", ".ts"}
MAX_CLIPS = 5
CLIP_HINT = "Upload an MP4, MOV or WebM clip (H.264, HEVC, VP8/VP9 or AV1) of at most five minutes."


@dataclass(frozen=True)
class ClipLimits:
    """How large and how long a clip may be (settings ``max_clip_mb``, ``max_clip_seconds``)."""

    max_bytes: int = 200 * (1 << 20)
    max_seconds: float = DEFAULT_MAX_SECONDS

    @classmethod
    def of(cls, max_clip_mb: int, max_clip_seconds: float) -> ClipLimits:
        return cls(max_clip_mb * (1 << 20), float(max_clip_seconds))


DEFAULT_CLIP_LIMITS = ClipLimits()


@dataclass(frozen=True)
class ValidatedClip:
    """A clip that passed every check, written at ``path`` (inside the caller's folder)."""

    filename: str
    media_type: str
    suffix: str
    size: int
    checksum: str
    path: Path
    duration: float
    width: int
    height: int


def sniff_video(head: bytes) -> str | None:
    """The container from the first bytes: 'mp4', 'mov', 'webm' or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if len(head) >= 8 and head[4:8] in (b"moov", b"mdat", b"wide", b"free") and head[:4] != b"\x00\x00\x00\x00":
        return "mov"  # old QuickTime files start with an atom other than ftyp
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "webm"
    return None


def looks_like_video(filename: str, head: bytes) -> bool:
    """Whether an upload should be checked as a clip (by its bytes, or by a video extension)."""
    return sniff_video(head) is not None or Path(filename or "").suffix.lower() in VIDEO_EXTENSIONS


def validate_clip_upload(filename: str, source: Source, *, folder: Path,
                         limits: ClipLimits = DEFAULT_CLIP_LIMITS) -> ValidatedClip:
    """Stream ``source`` into ``folder``, check it, and return it; or remove what was written
    and raise :class:`UploadRejected` (:class:`UploadTooLarge` past ``max_bytes``)."""
    name = safe_filename(filename or "clip.mp4")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    try:
        size, checksum, head = _spool(source, partial, name, limits.max_bytes)
        fmt = sniff_video(head)
        if fmt is None:
            raise _not_a_video(name, head)
        media_type, extensions = VIDEO_TYPES[fmt]
        given = Path(name).suffix.lower()
        suffix = given if given in extensions else extensions[0]
        final = _free_name(folder, f"{Path(name).stem}{suffix}")
        try:
            info = check_clip(partial, max_seconds=limits.max_seconds, name=name)
        except BadMedia as exc:
            raise UploadRejected(exc.message, hint=exc.hint or CLIP_HINT) from None
        partial.replace(final)
    finally:
        partial.unlink(missing_ok=True)
    return ValidatedClip(final.name, media_type, suffix, size, checksum, final, info.duration, info.width,
                         info.height)


def _spool(source: Source, target: Path, name: str, max_bytes: int) -> tuple[int, str, bytes]:
    """Write ``source`` to ``target``: (size, sha256, first bytes). Too large: nothing kept."""
    if isinstance(source, Path) and source.stat().st_size > max_bytes:
        raise clip_too_large(name, source.stat().st_size, max_bytes)
    digest, size, head = hashlib.sha256(), 0, b""
    with target.open("wb") as out:
        for chunk in _source_chunks(source):
            size += len(chunk)
            if size > max_bytes:
                raise clip_too_large(name, None, max_bytes)
            if len(head) < 64:
                head += chunk[: 64 - len(head)]
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise UploadRejected(f"'{name}' is empty.", hint="Upload the file again; it may not have been sent.")
    return size, digest.hexdigest(), head


def _source_chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        return
    yield from _chunks(source)


def clip_too_large(name: str, size: int | None, max_bytes: int) -> UploadTooLarge:
    got = f" ({_mib(size)})" if size is not None else ""
    return UploadTooLarge(
        f"'{name}'{got} is larger than the {_mib(max_bytes)} limit for video clips.",
        hint="Trim the clip or export it at a lower bitrate (1080p H.264 at about 10 Mb/s is plenty for an ad).",
        max_bytes=max_bytes,
    )


def _not_a_video(name: str, head: bytes) -> UploadRejected:
    what = _describe(head)
    return UploadRejected(f"'{name}' is {what}, not an MP4, MOV or WebM video.", hint=CLIP_HINT, detected=what)


def _free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, numbered when a clip of that name is already there."""
    path, n = folder / name, 1
    while path.exists():
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def check_clip_file(path: Path, limits: ClipLimits = DEFAULT_CLIP_LIMITS) -> str | None:
    """A problem with a clip a brief file names, in plain words, or None (``adloom campaign
    create --from``: the file is already on disk)."""
    if not path.is_file():
        return "file not found"
    if path.stat().st_size > limits.max_bytes:
        return f"is larger than the {_mib(limits.max_bytes)} limit for video clips"
    with path.open("rb") as handle:
        head = handle.read(64)
    if sniff_video(head) is None:
        return "is not an MP4, MOV or WebM video"
    try:
        check_clip(path, max_seconds=limits.max_seconds)
    except BadMedia as exc:
        return exc.message.split("' ", 1)[-1].rstrip(".")
    return None
