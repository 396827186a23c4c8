"""Campaigns from the dashboard: an uploaded brief file (with its photos) or the web form.

Both paths end in the same brief validation (``campaigns.brief.parse_brief_data``) so that a
campaign made on the web, from the CLI or through the API obeys the same rules. Uploaded files are
validated and written to a private temporary folder; nothing reaches storage until the whole
brief is valid.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adloom.campaigns.brief import ParsedBrief, load_data, parse_brief_data
from adloom.campaigns.editing import CampaignEdit, NewFile
from adloom.clip_uploads import DEFAULT_CLIP_LIMITS, ClipLimits, ValidatedClip
from adloom.errors import InvalidBrief, ValidationError
from adloom.web.uploads import CheckedUpload

FORM_FIELDS = (
    "name",
    "product_name",
    "description",
    "url",
    "offer",
    "price",
    "audience",
    "messaging",
    "goals",
    "awareness_stage",
    "persuasion_trigger",
    "creative_style",
    "business_type",
    "industry",
    "tone",
    "brand_name",
    "tagline",
    "primary",
    "accent",
)


def _write_uploads(folder: Path, files: Sequence[CheckedUpload]) -> dict[str, str]:
    """Write uploads into ``folder/uploads``; {lower-case file name: path relative to folder}."""
    return dict(zip((name.lower() for name in _upload_names(files)), _write_each(folder, files), strict=True))


def _upload_names(files: Sequence[CheckedUpload]) -> list[str]:
    """A distinct file name for each upload (two files called ``image.png`` both survive)."""
    names: list[str] = []
    for index, upload in enumerate(files):
        taken = {name.lower() for name in names}
        names.append(upload.filename if upload.filename.lower() not in taken else f"{index}-{upload.filename}")
    return names


def _write_each(folder: Path, files: Sequence[CheckedUpload]) -> list[str]:
    """Write each upload under its distinct name; the paths (relative to folder) in order."""
    target = folder / "uploads"
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, upload in zip(_upload_names(files), files, strict=True):
        (target / name).write_bytes(upload.data)
        paths.append(f"uploads/{name}")
    return paths


def _relink(
    data: dict[str, Any], uploaded: dict[str, str], problems: list[tuple[str, str]]
) -> set[str]:
    """Point the brief's photo and logo references at the uploaded files of the same name."""
    used: set[str] = set()

    def find(loc: str, ref: Any) -> Any:
        if not isinstance(ref, str):
            return ref
        key = ref.replace("\\", "/").rsplit("/", 1)[-1].lower()
        stems = {Path(name).stem: name for name in uploaded}
        key = key if key in uploaded else stems.get(Path(key).stem, key)
        if key not in uploaded:
            problems.append(
                (
                    loc,
                    f"'{ref}' was not uploaded; add {key} to the upload, or remove it from the brief",
                )
            )
            return None  # reported once here, not again as 'file not found'
        used.add(key)
        return uploaded[key]

    product = data.get("product")
    if isinstance(product, dict) and isinstance(product.get("photos"), list):
        found = [find(f"product.photos[{i}]", ref) for i, ref in enumerate(product["photos"])]
        product["photos"] = [ref for ref in found if ref is not None]
    brand = data.get("brand")
    if isinstance(brand, dict) and brand.get("logo") is not None:
        brand["logo"] = find("brand.logo", brand["logo"])
    return used


def _relink_clips(data: dict[str, Any], clips: Sequence[ValidatedClip], workdir: Path,
                  problems: list[tuple[str, str]]) -> None:
    """Point the brief's ``product.clips`` at the uploaded clips of the same name; clips the
    brief does not name are added after the ones it does."""
    uploaded = {clip.filename.lower(): str(clip.path.relative_to(workdir)) for clip in clips}
    product = data.get("product")
    if not isinstance(product, dict):
        return
    named, used = [], set()
    for i, ref in enumerate(product.get("clips") or []):
        key = str(ref).replace("\\", "/").rsplit("/", 1)[-1].lower()
        if key not in uploaded:
            problems.append((f"product.clips[{i}]", (f"'{ref}' was not uploaded; add {key} to the upload, "
                                                     "or remove it from the brief")))
            continue
        used.add(key)
        named.append(uploaded[key])
    extra = [path for key, path in uploaded.items() if key not in used]
    if named or extra:
        product["clips"] = [*named, *extra]


def parse_uploaded_brief(
    brief: CheckedUpload, images: Sequence[CheckedUpload], workdir: Path,
    clips: Sequence[ValidatedClip] = (), clip_limits: ClipLimits = DEFAULT_CLIP_LIMITS,
) -> ParsedBrief:
    """Validate an uploaded brief; images not named by the brief become extra product photos,
    clips not named become extra clips (``clips`` were checked into ``workdir`` already)."""
    data = load_data(brief.data.decode("utf-8"), source=brief.filename)
    uploaded = _write_uploads(workdir, images)
    problems: list[tuple[str, str]] = []
    used = _relink(data, uploaded, problems)
    _relink_clips(data, clips, workdir, problems)
    extra = [path for key, path in uploaded.items() if key not in used]
    if extra:
        product = data.setdefault("product", {})
        if isinstance(product, dict):
            product["photos"] = [*(product.get("photos") or []), *extra]
    try:
        parsed = parse_brief_data(data, base=workdir, root=workdir, clip_limits=clip_limits)
    except InvalidBrief as exc:
        raise InvalidBrief([*problems, *exc.problems], source="uploaded brief") from None
    if problems:
        raise InvalidBrief(problems, source="uploaded brief")
    return parsed


def form_to_brief(
    form: Mapping[str, str], photos: Sequence[str], logo: str | None
) -> dict[str, Any]:
    """Brief data from the 'new campaign' form fields (empty fields keep the brief defaults)."""
    value = {key: (form.get(key) or "").strip() for key in FORM_FIELDS}
    data: dict[str, Any] = {
        "name": value["name"],
        "product": {
            "name": value["product_name"],
            "description": value["description"],
            "photos": list(photos),
        },
        "strategy": {k: value[k] for k in ("audience", "messaging", "goals")},
        "brand": {
            "name": value["brand_name"] or value["product_name"] or None,
            "tagline": value["tagline"],
            "tone": value["tone"],
        },
    }
    for key in ("url", "offer", "price"):
        if value[key]:
            data["product"][key] = value[key]
    for key in (
        "awareness_stage",
        "persuasion_trigger",
        "creative_style",
        "business_type",
        "industry",
        "tone",
    ):
        if value[key]:
            data[key] = value[key]
    colors = {k: value[k] for k in ("primary", "accent") if value[k]}
    if colors:
        data["brand"]["colors"] = colors
    if logo:
        data["brand"]["logo"] = logo
    return data


def parse_form_brief(
    form: Mapping[str, str],
    photos: Sequence[CheckedUpload],
    logo: CheckedUpload | None,
    workdir: Path,
    clips: Sequence[ValidatedClip] = (),
    clip_limits: ClipLimits = DEFAULT_CLIP_LIMITS,
) -> ParsedBrief:
    """Validate the new-campaign form with its photos, logo and clips (``clips`` were checked
    into ``workdir`` already)."""
    written = _write_each(workdir, [*photos, *([logo] if logo else [])])
    photo_paths, logo_path = written[: len(photos)], (written[-1] if logo else None)
    data = form_to_brief(form, photo_paths, logo_path)
    if clips:
        data["product"]["clips"] = [str(clip.path.relative_to(workdir)) for clip in clips]
    try:
        return parse_brief_data(data, base=workdir, root=workdir, clip_limits=clip_limits)
    except InvalidBrief as exc:
        raise InvalidBrief(exc.problems, source="form") from None


@dataclass(frozen=True)
class PhotoChoices:
    """The edit page's photo controls: each stored photo's key, its position, and the removed ones."""

    keys: Sequence[str]
    positions: Sequence[str]
    removed: Sequence[str]


def edit_from_form(form: Mapping[str, str], choices: PhotoChoices, photos: Sequence[CheckedUpload],
                   logo: CheckedUpload | None, *, remove_logo: bool) -> CampaignEdit:
    """The campaign edit page's fields as changes; validation is the brief's (in the service)."""
    value = {key: (form.get(key) or "").strip() for key in FORM_FIELDS}
    chosen = {key: value[key] for key in
              ("awareness_stage", "persuasion_trigger", "creative_style", "business_type", "industry") if value[key]}
    colors = {key: value[key] for key in ("primary", "accent") if value[key]}
    return CampaignEdit(
        fields={"name": value["name"], "tone": value["tone"], **chosen},
        product={"name": value["product_name"], **{key: value[key] for key in ("description", "url", "offer", "price")}},
        photos=ordered_photos(choices),
        new_photos=[NewFile(upload.data, upload.suffix) for upload in photos],
        brand={"name": value["brand_name"], "tagline": value["tagline"], "tone": value["tone"], "colors": colors},
        logo=NewFile(logo.data, logo.suffix) if logo else None,
        remove_logo=remove_logo,
        strategy={key: value[key] for key in ("audience", "messaging", "goals") if key in form},
    )


def ordered_photos(choices: PhotoChoices) -> list[str]:
    """The kept photos sorted by the positions typed beside them (ties keep the page's order)."""
    if len(choices.positions) != len(choices.keys):
        raise ValidationError("The photo list of this form is incomplete; reload the page and try again.")
    order = []
    for index, (key, position) in enumerate(zip(choices.keys, choices.positions, strict=True)):
        if key in choices.removed:
            continue
        try:
            rank = int(position) if position.strip() else index + 1
        except ValueError:
            raise ValidationError(f"Photo position '{position}' is not a number; use 1, 2, 3…") from None
        order.append((rank, index, key))
    return [key for _rank, _index, key in sorted(order)]


def scratch_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="adloom-upload-")
