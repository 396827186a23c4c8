"""Bad uploads are rejected with a clear message; good ones pass with exact metadata."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from adloom.uploads import (
    UploadRejected,
    UploadTooLarge,
    check_content_length,
    safe_filename,
    validate_upload,
)

FIXTURES = Path("/work/shared/fixtures/images")
MB = 1 << 20


def png_bytes(size: tuple[int, int] = (8, 6), color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.html", "<script>alert(1)</script>")
    return out.getvalue()


def png_chunk(ctype: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", zlib.crc32(ctype + payload))


def bomb_png(side: int = 30_000) -> bytes:
    """A 1-bit PNG of side x side zero pixels: ~100 KB on disk, 900 megapixels decoded."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


# ----------------------------------------------------------------- good files


@pytest.mark.parametrize(
    ("name", "media_type", "size"),
    [("coffee.png", "image/png", (600, 400)), ("rocket.jpg", "image/jpeg", (640, 427)), ("logo.png", "image/png", (500, 500))],
)
def test_real_photos_pass_with_exact_metadata(name: str, media_type: str, size: tuple[int, int]) -> None:
    data = (FIXTURES / name).read_bytes()
    result = validate_upload(name, data, max_bytes=25 * MB)
    assert (result.media_type, (result.width, result.height)) == (media_type, size)
    assert result.data == data and result.size == len(data) and result.filename == name


def test_stream_and_path_sources_give_the_same_result() -> None:
    path = FIXTURES / "rocket.jpg"
    with path.open("rb") as handle:
        from_handle = validate_upload("rocket.jpg", handle, max_bytes=25 * MB)
    from_path = validate_upload("rocket.jpg", path, max_bytes=25 * MB)
    assert from_handle.checksum == from_path.checksum == validate_upload("rocket.jpg", path.read_bytes(), max_bytes=25 * MB).checksum


def test_jpeg_named_png_gets_the_true_extension() -> None:
    result = validate_upload("photo.png", jpeg_bytes(), max_bytes=MB)
    assert (result.filename, result.suffix, result.media_type) == ("photo.jpg", ".jpg", "image/jpeg")


def test_webp_passes() -> None:
    out = io.BytesIO()
    Image.new("RGB", (12, 10), (1, 2, 3)).save(out, "WEBP")
    result = validate_upload("x.webp", out.getvalue(), max_bytes=MB)
    assert (result.width, result.height, result.suffix) == (12, 10, ".webp")


# ----------------------------------------------------------------- size


def _sparse_file(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "huge.png"
    with path.open("wb") as handle:
        handle.write(png_bytes())
        handle.truncate(size)  # sparse: no disk blocks, no memory
    return path


def test_two_gigabyte_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    path = _sparse_file(tmp_path, 2 * 1024 * MB)
    with pytest.raises(UploadTooLarge, match=r"\(2048.0 MiB\) is larger than the 25.0 MiB upload limit"):
        validate_upload("huge.png", path, max_bytes=25 * MB)
    with path.open("rb") as handle:
        with pytest.raises(UploadTooLarge, match="larger than the 25.0 MiB"):
            validate_upload("huge.png", handle, max_bytes=25 * MB)
        assert handle.tell() <= 25 * MB + (1 << 16)  # read stopped right after the limit


def test_two_gigabyte_stream_stops_at_the_limit() -> None:
    consumed = 0

    def endless() -> Iterator[bytes]:
        nonlocal consumed
        block = b"\x00" * MB
        for _ in range(2048):
            consumed += len(block)
            yield block

    with pytest.raises(UploadTooLarge) as info:
        validate_upload("big.jpg", endless(), max_bytes=25 * MB)
    assert consumed == 26 * MB and info.value.status == 413


def test_content_length_header_is_checked_first() -> None:
    check_content_length("1000", max_bytes=1000)
    check_content_length(None, max_bytes=1000)
    with pytest.raises(UploadTooLarge, match="2048.0 MiB"):
        check_content_length(str(2048 * MB), max_bytes=25 * MB)
    with pytest.raises(UploadRejected, match="invalid Content-Length"):
        check_content_length("lots", max_bytes=10)


# ----------------------------------------------------------------- bombs and broken files


def test_decompression_bomb_png_is_rejected_from_its_header() -> None:
    data = bomb_png()
    assert len(data) < 200_000
    with pytest.raises(UploadRejected, match=r"30000x30000 = 900 megapixels\); the limit is 40 megapixels"):
        validate_upload("bomb.png", data, max_bytes=25 * MB)


def test_truncated_png_is_rejected() -> None:
    with pytest.raises(UploadRejected, match="not a complete PNG"):
        validate_upload("cut.png", png_bytes()[:-20], max_bytes=MB)


def test_corrupt_pixels_are_rejected() -> None:
    data = bytearray(jpeg_bytes((64, 64)))
    start = data.index(b"\xff\xda") + 20
    data[start:start + 40] = b"\xff\xd9" + b"\x00" * 38  # an early end marker cuts the scan
    with pytest.raises(UploadRejected):
        validate_upload("bad.jpg", bytes(data), max_bytes=MB)


# ----------------------------------------------------------------- polyglots


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("a.png", png_bytes() + zip_bytes(), "extra bytes hidden after the end of the PNG image \\(a ZIP archive\\)"),
        ("a.jpg", jpeg_bytes() + zip_bytes(), "after the end of the JPEG image \\(a ZIP archive\\)"),
        ("a.png", png_bytes() + b"<html><script>alert(1)</script></html>", "PNG image \\(an HTML page\\)"),
        ("a.jpg", jpeg_bytes() + b"#!/bin/sh\nrm -rf /\n", "JPEG image \\(a script\\)"),
    ],
)
def test_trailing_payloads_are_rejected(name: str, data: bytes, needle: str) -> None:
    with pytest.raises(UploadRejected, match=needle):
        validate_upload(name, data, max_bytes=MB)


def test_zip_hidden_inside_a_png_chunk_is_rejected() -> None:
    png = png_bytes()
    iend = png.rindex(b"IEND") - 4
    # A private chunk holding a whole ZIP whose EOCD comment swallows the rest of the PNG:
    archive = zip_bytes()
    rest = png_chunk(b"IEND", b"")
    archive = archive[:-2] + struct.pack("<H", 4 + len(rest))  # comment length covers the CRC + IEND
    polyglot = png[:iend] + png_chunk(b"zzZp", archive) + rest
    assert zipfile.ZipFile(io.BytesIO(polyglot)).namelist() == ["evil.html"]
    with pytest.raises(UploadRejected, match="also a ZIP archive|embedded markup"):
        validate_upload("a.png", polyglot, max_bytes=MB)


def test_script_in_png_text_chunk_is_rejected() -> None:
    png = png_bytes()
    iend = png.rindex(b"IEND") - 4
    data = png[:iend] + png_chunk(b"tEXt", b"Comment\x00<SCRIPT>alert(1)</SCRIPT>") + png[iend:]
    with pytest.raises(UploadRejected, match=r"embedded markup or script \(<script…\)"):
        validate_upload("a.png", data, max_bytes=MB)


def test_script_in_jpeg_comment_is_rejected() -> None:
    jpg = jpeg_bytes()
    comment = b"<?php system($_GET['c']); ?>"
    data = jpg[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + jpg[2:]
    with pytest.raises(UploadRejected, match=r"<\?php"):
        validate_upload("a.jpg", data, max_bytes=MB)


# ----------------------------------------------------------------- wrong content


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("photo.png", b"hello, I am plain text\n", "text"),
        ("photo.jpg", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        ("logo.png", zip_bytes(), "a ZIP archive"),
        ("pic.webp", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "a program"),
        ("x.gif", b"GIF89a" + b"\x00" * 20, "a GIF image"),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "an SVG drawing"),
    ],
)
def test_non_images_with_image_extensions_are_rejected(name: str, data: bytes, what: str) -> None:
    with pytest.raises(UploadRejected, match=f"has an image extension but its content is {what}, not a PNG"):
        validate_upload(name, data, max_bytes=MB)


def test_non_image_without_image_extension_says_what_is_accepted() -> None:
    with pytest.raises(UploadRejected, match="only PNG, JPEG and WebP images are accepted"):
        validate_upload("notes.txt", b"hello", max_bytes=MB)


def test_empty_upload_is_rejected() -> None:
    with pytest.raises(UploadRejected, match="is empty"):
        validate_upload("a.png", b"", max_bytes=MB)


# ----------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.png", "..\\..\\win.ini.png", "/etc/cron.d/x.png", "C:\\x.png", "C:x.png", "..", "a\x00.png"]
)
def test_path_traversal_names_are_rejected(name: str) -> None:
    with pytest.raises(UploadRejected, match="contains a path; uploads must be plain file names"):
        validate_upload(name, png_bytes(), max_bytes=MB)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [("My Photo.PNG", "My Photo.PNG"), ("spring<sale>.png", "spring_sale_.png"), (".hidden.png", "hidden.png"),
     ("a..b.png", "a.b.png"), ("", "upload"), ("ｆｕｌｌ.png", "full.png")],
)
def test_odd_names_are_made_safe(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


# ----------------------------------------------------------------- briefs


def test_brief_upload() -> None:
    text = b"campaign:\n  name: Northbound\n"
    result = validate_upload("brief.yaml", text, kind="brief", max_bytes=MB)
    assert (result.media_type, result.data) == ("application/yaml", text)
    with pytest.raises(UploadRejected, match="not a brief file"):
        validate_upload("brief.exe", text, kind="brief", max_bytes=MB)
    with pytest.raises(UploadRejected, match=r"has a \.yaml extension but its content is unrecognised binary"):
        validate_upload("brief.yaml", png_bytes(), kind="brief", max_bytes=MB)


def test_jpeg_claiming_huge_dimensions_is_rejected_before_decoding() -> None:
    data = bytearray(jpeg_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", 60_000, 60_000)
    with pytest.raises(UploadRejected, match=r"60000x60000 = 3600 megapixels"):
        validate_upload("bomb.jpg", bytes(data), max_bytes=MB)
