"""Upload validation shared by the dashboard and the API.

Everything a user uploads goes through :func:`validate_upload` before it reaches storage:

- the size limit is enforced while reading, so a 2 GB body is rejected after ``max_bytes + 1``
  bytes, never read into memory;
- the type is sniffed from the content (magic bytes), never trusted from the name;
- images are fully decoded with a pixel limit checked from the header first (decompression bombs);
- polyglots are rejected: bytes after the image's end marker (a ZIP, HTML or script appended to a
  PNG/JPEG/WebP), a file that is also a readable ZIP archive, markup or script hidden in metadata;
- file names with path components (``../``, ``/etc``, ``C:\\``) are rejected; other names are
  reduced to a safe basename.

Nothing is stored here: the caller stores ``ValidatedUpload.data`` only after validation passed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from adloom.errors import ValidationError

UploadKind = Literal["image", "brief"]
Source = bytes | bytearray | memoryview | BinaryIO | Iterable[bytes] | Path

DEFAULT_MAX_PIXELS = 40_000_000  # 40 MP: a 7000x5700 photo; a decoded RGBA frame of ~160 MB
CHUNK = 1 << 16

IMAGE_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    # sniffed format -> (media type, accepted extensions; the first is canonical)
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg", ".jpe")),
    "webp": ("image/webp", (".webp",)),
}
BRIEF_TYPES: dict[str, str] = {".yaml": "application/yaml", ".yml": "application/yaml",
                               ".toml": "application/toml", ".json": "application/json"}
IMAGE_EXTENSIONS = frozenset(ext for _, exts in IMAGE_TYPES.values() for ext in exts) | {
    ".gif", ".bmp", ".tif", ".tiff", ".svg", ".ico", ".heic", ".avif"}

# Markup or code that has no business inside an image's metadata or after its end.
ACTIVE_CONTENT = (b"<script", b"<html", b"<!doctype", b"<?php", b"<svg", b"<iframe", b"<body",
                  b"javascript:", b"%pdf-", b"<%", b"#!/")


class UploadRejected(ValidationError):
    """An upload was refused; the message says why and what to upload instead."""

    code = "upload_rejected"


class UploadTooLarge(UploadRejected):
    status = 413
    code = "upload_too_large"


@dataclass(frozen=True)
class ValidatedUpload:
    """An upload that passed every check, ready for ``storage.put_bytes(data, suffix=suffix)``."""

    filename: str  # safe basename with the canonical extension for the sniffed type
    media_type: str
    suffix: str
    size: int
    checksum: str  # sha256 hex of data
    data: bytes
    width: int | None = None
    height: int | None = None


# ----------------------------------------------------------------- public seam


def validate_upload(
    filename: str,
    data_or_stream: Source,
    *,
    kind: UploadKind = "image",
    max_bytes: int,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> ValidatedUpload:
    """Check an upload and return it, or raise :class:`UploadRejected` (or :class:`UploadTooLarge`).

    ``data_or_stream`` may be bytes, a binary file object (e.g. Starlette's ``UploadFile.file``),
    an iterable of byte chunks or a path. It is read in chunks and abandoned as soon as it passes
    ``max_bytes``."""
    name = safe_filename(filename)
    data = read_limited(data_or_stream, max_bytes=max_bytes, filename=name)
    if not data:
        raise UploadRejected(f"'{name}' is empty.", hint="Upload the file again; it may not have been sent.")
    if kind == "image":
        return _validate_image(name, data, max_pixels=max_pixels)
    if kind == "brief":
        return _validate_brief(name, data)
    raise UploadRejected(f"Unknown upload kind '{kind}'.", hint="Use 'image' or 'brief'.")


def check_content_length(value: str | int | None, *, max_bytes: int) -> None:
    """Reject a request early from its Content-Length header (before the body is read)."""
    if value is None or value == "":
        return
    try:
        length = int(value)
    except (TypeError, ValueError):
        raise UploadRejected("The request has an invalid Content-Length header.") from None
    if length > max_bytes:
        raise _too_large("The upload", length, max_bytes)


def safe_filename(filename: str) -> str:
    """A safe basename; a name that tries to leave its folder is rejected outright."""
    raw = unicodedata.normalize("NFKC", filename or "")
    if "\x00" in raw or "/" in raw or "\\" in raw or re.match(r"^[A-Za-z]:", raw) or raw.strip() in (".", ".."):
        raise UploadRejected(
            f"The file name '{_printable(raw)}' contains a path; uploads must be plain file names.",
            hint="Rename the file (for example 'photo.png') and upload it again.",
            filename=_printable(raw),
        )
    cleaned = re.sub(r"[^\w.\- ]+", "_", raw, flags=re.UNICODE).strip(" .")
    cleaned = re.sub(r"\.{2,}", ".", cleaned)
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    stem = stem[:80] or "upload"
    return f"{stem}.{ext[:10]}" if ext else stem


# ----------------------------------------------------------------- reading


def read_limited(source: Source, *, max_bytes: int, filename: str = "The upload") -> bytes:
    """Read at most ``max_bytes``; raise :class:`UploadTooLarge` on the first byte beyond."""
    if isinstance(source, Path):
        size = source.stat().st_size
        if size > max_bytes:
            raise _too_large(filename, size, max_bytes)
        with source.open("rb") as handle:
            return read_limited(handle, max_bytes=max_bytes, filename=filename)
    buffer = bytearray()
    for chunk in _chunks(source):
        buffer += chunk
        if len(buffer) > max_bytes:
            raise _too_large(filename, None, max_bytes)
    return bytes(buffer)


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
        return
    read = getattr(source, "read", None)
    if callable(read):
        while chunk := read(CHUNK):
            yield bytes(chunk)
        return
    for chunk in source:  # type: ignore[union-attr]
        yield bytes(chunk)


def _too_large(name: str, size: int | None, max_bytes: int) -> UploadTooLarge:
    got = f" ({_mib(size)})" if size is not None else ""
    return UploadTooLarge(
        f"'{name}'{got} is larger than the {_mib(max_bytes)} upload limit.",
        hint="Upload a smaller file (export the photo at a lower resolution or higher compression).",
        max_bytes=max_bytes,
    )


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB" if size >= 1 << 20 else f"{size} bytes"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:120]


# ----------------------------------------------------------------- images


def sniff_image(data: bytes) -> str | None:
    """The image format from magic bytes: 'png', 'jpeg', 'webp' or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _validate_image(name: str, data: bytes, *, max_pixels: int) -> ValidatedUpload:
    fmt = sniff_image(data)
    if fmt is None:
        raise _not_an_image(name, data)
    media_type, extensions = IMAGE_TYPES[fmt]
    metadata, trailing, dims = STRUCTURE_READERS[fmt](data, name)
    if dims is not None:  # checked from the header before Pillow sees the file
        _check_pixels(name, *dims, max_pixels)
    _reject_trailing(name, fmt, trailing)
    _reject_active_content(name, metadata)
    _reject_zip(name, data)
    width, height = _decode(name, data, max_pixels=max_pixels)
    given = Path(name).suffix.lower()
    suffix = given if given in extensions else extensions[0]
    filename = name if given == suffix else f"{Path(name).stem}{suffix}"
    return ValidatedUpload(filename=filename, media_type=media_type, suffix=suffix, size=len(data),
                           checksum=hashlib.sha256(data).hexdigest(), data=data, width=width, height=height)


def _not_an_image(name: str, data: bytes) -> UploadRejected:
    ext = Path(name).suffix.lower()
    what = _describe(data)
    if ext in IMAGE_EXTENSIONS:
        message = f"'{name}' has an image extension but its content is {what}, not a PNG, JPEG or WebP image."
    else:
        message = f"'{name}' is {what}; only PNG, JPEG and WebP images are accepted."
    return UploadRejected(message, hint="Upload a PNG, JPEG or WebP photo or logo.", detected=what)


def _describe(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    known = [(b"pk\x03\x04", "a ZIP archive"), (b"%pdf-", "a PDF document"), (b"gif8", "a GIF image"),
             (b"<svg", "an SVG drawing"), (b"<?xml", "an XML document"), (b"<!doctype html", "an HTML page"),
             (b"<html", "an HTML page"), (b"\x7felf", "a program"), (b"mz", "a Windows program"),
             (b"#!", "a script"), (b"bm", "a BMP image")]
    for magic, label in known:
        if head.startswith(magic):
            return label
    return "text" if _is_text(data[:4096]) else "unrecognised binary data"


def _is_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample


def _reject_trailing(name: str, fmt: str, trailing: bytes) -> None:
    if trailing.strip(b"\x00"):  # zero padding after the end marker is harmless (some cameras)
        raise UploadRejected(
            f"'{name}' has {len(trailing)} extra bytes hidden after the end of the {fmt.upper()} image "
            f"({_describe(trailing)}); files that are two formats at once are refused.",
            hint="Re-export the image from an image editor and upload that file.",
            trailing_bytes=len(trailing),
        )


def _reject_active_content(name: str, metadata: bytes) -> None:
    lowered = metadata.lower()
    for marker in ACTIVE_CONTENT:
        if marker in lowered:
            raise UploadRejected(
                f"'{name}' carries embedded markup or script ({marker.decode()}…) in its metadata; it is refused.",
                hint="Re-export the image from an image editor (strip metadata) and upload that file.",
            )


def _reject_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, IndexError, struct.error, NotImplementedError):
        return
    if entries:
        raise UploadRejected(
            f"'{name}' is also a ZIP archive ({len(entries)} entries); files that are two formats at once are refused.",
            hint="Re-export the image from an image editor and upload that file.",
        )


def _decode(name: str, data: bytes, *, max_pixels: int) -> tuple[int, int]:
    from PIL import Image  # heavy; imported when an image is actually checked

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            _check_pixels(name, width, height, max_pixels)
            image.load()  # a full decode: truncated or corrupt pixel data fails here
    except UploadRejected:
        raise
    except Image.DecompressionBombError:
        raise _bomb(name, None, None, max_pixels) from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, MemoryError) as exc:
        raise UploadRejected(
            f"'{name}' could not be decoded as an image ({exc}).",
            hint="The file may be truncated or corrupt; export it again and re-upload.",
        ) from None
    return width, height


def _check_pixels(name: str, width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0 or width * height > max_pixels:
        raise _bomb(name, width, height, max_pixels)


def _bomb(name: str, width: int | None, height: int | None, max_pixels: int) -> UploadRejected:
    dims = f" ({width}x{height} = {width * height / 1e6:.0f} megapixels)" if width and height else ""
    return UploadRejected(
        f"'{name}' is too large to decode{dims}; the limit is {max_pixels / 1e6:.0f} megapixels.",
        hint="Resize the image (e.g. to 4000 px on the long side) and upload it again.",
        max_pixels=max_pixels,
    )


# ----------------------------------------------------------------- container structure
# Each reader walks the container to its end marker and returns (metadata bytes, trailing bytes,
# (width, height) from the header when found).

Structure = tuple[bytes, bytes, tuple[int, int] | None]


def _png_structure(data: bytes, name: str) -> Structure:
    pos, metadata, dims = 8, bytearray(), None
    while pos + 12 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            break
        if ctype == b"IHDR" and length >= 8:
            dims = struct.unpack(">II", data[pos + 8:pos + 16])
        elif ctype not in (b"IDAT", b"fdAT"):
            metadata += data[pos + 8:end - 4]
        if ctype == b"IEND":
            return bytes(metadata), data[end:], dims
        pos = end
    raise _truncated(name, "PNG")


def _jpeg_structure(data: bytes, name: str) -> Structure:
    pos, metadata, size, dims = 2, bytearray(), len(data), None
    while pos + 2 <= size:
        if data[pos] != 0xFF:
            raise _truncated(name, "JPEG")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return bytes(metadata), data[pos + 2:], dims
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > size:
            break
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        segment_end = pos + 2 + length
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn, COM
            metadata += data[pos + 4:segment_end]
        elif marker in SOF_MARKERS and pos + 9 <= size:
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            dims = (width, height)
        pos = _skip_entropy(data, segment_end) if marker == 0xDA else segment_end
    raise _truncated(name, "JPEG")


def _skip_entropy(data: bytes, pos: int) -> int:
    """Past a scan's entropy-coded data: to the next marker that is not stuffing or a restart."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        nxt = data[pos + 1]
        if nxt == 0x00 or 0xD0 <= nxt <= 0xD7 or nxt == 0xFF:
            pos += 1 if nxt == 0xFF else 2
            continue
        return pos


SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _webp_structure(data: bytes, name: str) -> Structure:
    (riff_size,) = struct.unpack("<I", data[4:8])
    end = 8 + riff_size
    if riff_size < 4 or end > len(data):
        raise _truncated(name, "WebP")
    pos, metadata, dims = 12, bytearray(), None
    while pos + 8 <= end:
        ctype, length = struct.unpack("<4sI", data[pos:pos + 8])
        payload = data[pos + 8:pos + 8 + length]
        if ctype == b"VP8X" and len(payload) >= 10:
            dims = (int.from_bytes(payload[4:7], "little") + 1, int.from_bytes(payload[7:10], "little") + 1)
        elif ctype not in (b"VP8 ", b"VP8L", b"ALPH", b"ANMF"):
            metadata += payload
        pos += 8 + length + (length & 1)
    return bytes(metadata), data[end:], dims  # simple VP8/VP8L sizes are capped at 16383 px by the format


def _truncated(name: str, fmt: str) -> UploadRejected:
    return UploadRejected(
        f"'{name}' is not a complete {fmt} file (its structure is broken or cut short).",
        hint="Export the image again and re-upload it.",
    )


STRUCTURE_READERS = {"png": _png_structure, "jpeg": _jpeg_structure, "webp": _webp_structure}


# ----------------------------------------------------------------- briefs


def _validate_brief(name: str, data: bytes) -> ValidatedUpload:
    ext = Path(name).suffix.lower()
    if ext not in BRIEF_TYPES:
        raise UploadRejected(
            f"'{name}' is not a brief file; briefs are YAML (.yaml, .yml), TOML (.toml) or JSON (.json).",
            hint="Save the brief as brief.yaml and upload that.",
        )
    if sniff_image(data) or not _is_text(data):
        raise UploadRejected(
            f"'{name}' has a {ext} extension but its content is {_describe(data)}, not text.",
            hint="Upload the brief as a UTF-8 text file.",
            detected=_describe(data),
        )
    return ValidatedUpload(filename=name, media_type=BRIEF_TYPES[ext], suffix=ext, size=len(data),
                           checksum=hashlib.sha256(data).hexdigest(), data=data)


# ----------------------------------------------------------------- request body limit (ASGI)

REQUEST_LIMIT_FACTOR = 4  # a multipart request may carry a brief and a few photos, each within the limit


class BodySizeLimit:
    """ASGI middleware: refuse a request body larger than ``max_bytes`` with 413, before it is
    read — from its Content-Length header, or while it streams in (chunked uploads). Starlette
    would otherwise spool a 2 GB multipart body to disk before any route could look at it."""

    def __init__(self, app: Any, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, send, int(length))
            return
        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, send, None)

    async def _refuse(self, scope: dict[str, Any], send: Any, length: int | None) -> None:
        error = _too_large("The upload", length, self.max_bytes)
        body = json.dumps({"error": error.to_dict()}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass


def install_body_limit(app: Any, *, max_upload_mb: int, max_clip_mb: int = 0) -> None:
    """Add :class:`BodySizeLimit` to a FastAPI app: requests up to REQUEST_LIMIT_FACTOR uploads,
    plus one video clip at its own limit (a request may carry several smaller clips)."""
    app.add_middleware(BodySizeLimit, max_bytes=(max_upload_mb * REQUEST_LIMIT_FACTOR + max_clip_mb) * (1 << 20))
