"""The marketer's journeys, played in Debian's chromium through the dashboard only (issue 17).

One campaign, made with the form (not a brief file), its product photo and logo chosen in the
file inputs, then: a video through every gate with a reroll of ideas, a scene that breaks the
render and is fixed from "Back to scenes"; banners on autopilot after the confirmation with the
price; a flyer on autopilot; a jingle left as a draft, resumed after signing out and in again;
and a last video the workspace cannot afford (the priced button disabled, with the reason, and
nothing charged). The real generators render the files, which are downloaded through the page's
links and checked as a person would: the uploaded photo is in the banner, the flyer and the video
frames, the logo is on the video's end card, no two downloads share a name, and no page shows a
machine word. Every step is photographed at 1366×900 and 390×844 into docs/screenshots/
(``journey-NN-<step>-desktop.png`` / ``-mobile.png``; set ``ADLOOM_NO_SCREENSHOTS=1`` to skip),
and no page is wider than a 390 px phone.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_web import ROOT, shared_file
from live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer
from pixels import MATCH_THRESHOLD, Image, central_crop, find, find_photo, read_rgb

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SHOTS = ROOT / "docs" / "screenshots"
SIZES = (("desktop", 1366, 900), ("mobile", 390, 844))
MAX_SHOT_HEIGHT = 1800  # a long page is photographed down to here
PHOTO = shared_file("fixtures", "images", "coffee.png")
OTHER_PHOTO = shared_file("fixtures", "images", "rocket.jpg")  # a control: never uploaded
LOGO = shared_file("fixtures", "images", "logo.png")
# Three phone numbers: 12 words, which the save check lets through (it counts words), but the
# voice reads every digit and needs more than the whole 15 s video for them.
PHONE_LINE = "Call 0800 555 0199, 0800 555 0123 or 0800 555 0177 today."
FIXED_LINE = "Call us today."
WELCOME_CREDITS = 60  # enough for the journeys, not for a 60 s video in every format

# What a machine word looks like on a page: snake_case, the values the issue saw capitalised as
# if they were words, a size given only as its numbers, and the enum values of the domain.
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
MISCASED = re.compile(r"\b(Ugc|Saas|B2b|B2c|Cta|Dtc|Seed)\b")
BARE_SIZE = re.compile(r"(?<![·×\d])\b\d{3,4}x\d{2,4}\b")
FILE_NAME = re.compile(r"\S+\.(?:png|jpe?g|webp|pdf|mp4|wav|mp3|mid|srt|vtt|zip|html)\b")


def domain_enum_values() -> set[str]:
    """Every multi-word machine value of the domain (stages, statuses, kinds' formats and codes)."""
    from adloom.assets import registry
    from adloom.campaigns.brief import BusinessType, Industry
    from adloom.projects.states import STATUSES
    from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger

    values: set[str] = set(STATUSES)
    for enum in (AwarenessStage, PersuasionTrigger, CreativeStyle, BusinessType, Industry):
        values |= {str(member.value) for member in enum}
    for spec in registry.specs():
        values |= set(spec.value_labels) | set(spec.field_labels)
    return {value for value in values if "_" in value}


def raw_words(text: str, enum_values: set[str]) -> list[str]:
    """The machine words in a page's visible text (file names excepted: they are names)."""
    text = FILE_NAME.sub(" ", text)
    found = SNAKE.findall(text) + MISCASED.findall(text) + BARE_SIZE.findall(text)
    found += [value for value in enum_values if re.search(rf"\b{re.escape(value)}\b", text)]
    return sorted(set(found))


class Journey:
    """The browser, the pages seen, the files downloaded."""

    def __init__(self, page: Any, live: LiveServer, downloads: Path) -> None:
        self.page, self.live, self.downloads = page, live, downloads
        self.seen: dict[str, str] = {}
        self.files: list[Path] = []
        self.overflow: dict[str, int] = {}
        self.shot_seconds = 0.0

    def read(self, step: str) -> None:
        """Keep what a person sees on this page, for the machine-word check."""
        self.page.wait_for_load_state("load")
        self.seen[f"{step} {self.page.url}"] = self.page.inner_text("body")

    def shot(self, number: int, step: str, *, focus: str = "") -> None:
        """Photograph the page at both sizes (and measure how wide it is on the phone); a long
        page from its top, or from the ``focus`` element down."""
        name = f"journey-{number:02d}-{step}"
        started = time.monotonic()
        self.read(name)
        for size, width, height in SIZES:
            self.page.set_viewport_size({"width": width, "height": height})
            self.page.wait_for_timeout(150)
            if size == "mobile":
                wide = int(self.page.evaluate("document.documentElement.scrollWidth"))
                if wide > width:
                    self.overflow[name] = wide
            if not os.environ.get("ADLOOM_NO_SCREENSHOTS"):
                SHOTS.mkdir(parents=True, exist_ok=True)
                tall = int(self.page.evaluate("document.documentElement.scrollHeight"))
                top = 0
                if focus:
                    y = self.page.locator(focus).first.evaluate("e => e.getBoundingClientRect().top + scrollY")
                    top = max(0, min(int(y) - 60, tall - height))
                path = SHOTS / f"{name}-{size}.png"
                self.page.screenshot(path=str(path), full_page=True, timeout=120_000,
                                     clip={"x": 0, "y": top, "width": width,
                                           "height": min(tall - top, MAX_SHOT_HEIGHT)})
                compact_png(path)
        self.page.set_viewport_size({"width": SIZES[0][1], "height": SIZES[0][2]})
        self.shot_seconds += time.monotonic() - started

    def download(self, link: Any) -> Path:
        with self.page.expect_download() as info:
            link.click()
        target = self.downloads / f"{len(self.files):02d}-{info.value.suggested_filename}"
        info.value.save_as(str(target))
        self.files.append(target)
        return target

    def heading(self, name: str | re.Pattern[str], timeout: float = 60_000) -> None:
        expect(self.page.get_by_role("heading", name=name)).to_be_visible(timeout=timeout)

    def balance(self) -> int:
        return int(self.page.locator(".sidebar .balance-figure").inner_text())


def compact_png(path: Path) -> None:
    """A 256-colour palette: a fraction of the size, the same look for a UI page."""
    from PIL import Image as PILImage

    with PILImage.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=PILImage.Quantize.MEDIANCUT,
                                              dither=PILImage.Dither.NONE)
    small.save(path, optimize=True)


def video_frames(path: Path, folder: Path, *, every: float = 1.0, last: float = 0.0) -> list[Path]:
    """Frames of a video, one each ``every`` seconds (or only the last ``last`` seconds)."""
    import imageio_ffmpeg

    folder.mkdir(parents=True, exist_ok=True)
    seek = ["-sseof", f"-{last}"] if last else []
    args = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", *seek, "-i", str(path), "-vf",
            f"fps={1 / every:g}", "-y", str(folder / "f%03d.png")]
    subprocess.run(args, check=True, capture_output=True, timeout=120)
    return sorted(folder.glob("f*.png"))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from factories import make_settings

    settings = make_settings(tmp_path_factory.mktemp("journeys"), queue_url="", generators={},
                             secret_key="journey-secret-0123456789abcdef0123", welcome_credits=WELCOME_CREDITS,
                             sweep_seconds=5.0)
    server = LiveServer(settings).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def journey(live: LiveServer, tmp_path: Path) -> Iterator[Journey]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": SIZES[0][1], "height": SIZES[0][2]},
                                      accept_downloads=True, base_url=live.url)
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield Journey(page, live, tmp_path)
        context.close()
        browser.close()
        assert errors == [], f"JavaScript errors: {errors}"


# --- the steps ---------------------------------------------------------------------------------

def sign_up(j: Journey) -> None:
    page = j.page
    page.goto("/signup")
    page.get_by_label("Your name").fill("Hana Harbour")
    page.get_by_label("Work email").fill("hana@harbour.example")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("Workspace name").fill("Harbour Ceramics")
    j.shot(1, "sign-up")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert j.balance() == WELCOME_CREDITS


def create_campaign_with_the_form(j: Journey) -> str:
    page = j.page
    page.goto("/dashboard/campaigns/new")
    form = page.locator("#form")
    form.get_by_label("Campaign name").fill("Harbour mug launch")
    form.get_by_label("Product name").fill("Harbour Mug")
    form.get_by_label("What it is").fill("A hand-thrown stoneware mug that keeps coffee hot for an hour. "
                                         "Made in a small studio by the harbour, dishwasher safe.")
    form.get_by_label("Offer").fill("Free shipping this week")
    form.get_by_label("Price").fill("€28")
    form.get_by_label("Audience").fill("Home baristas who sip slowly and hate lukewarm coffee.")
    form.get_by_label("Messaging").fill("The mug that keeps your coffee hot to the last sip.")
    form.get_by_label("Brand name").fill("Harbour Ceramics")
    page.locator("#c-photos").set_input_files(str(PHOTO))
    page.locator("#c-logo").set_input_files(str(LOGO))
    j.shot(2, "new-campaign-form")
    page.get_by_role("button", name="Create campaign").click()
    page.wait_for_url(re.compile(r"/dashboard/campaigns/[0-9a-f]{32}$"))
    photo = page.locator(".hero-card img")
    expect(photo).to_have_attribute("src", re.compile(r"/photo/0$"))
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 600  # the uploaded photo itself
    j.shot(3, "campaign-hub")
    return str(page.url.rsplit("/", 1)[-1])


def video_with_reroll_and_a_broken_scene(j: Journey, campaign_id: str) -> str:
    page = j.page
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=video")
    page.get_by_label("15 s").check()
    j.shot(4, "create-video")
    page.get_by_role("button", name=re.compile("Write ideas")).click()
    page.wait_for_url(re.compile(r"/studio"))
    project_id = page.url.split("/")[-2]
    j.heading("Pick an idea")
    hooks = page.locator(".idea .hook").all_inner_texts()
    j.shot(5, "ideas")
    page.get_by_role("button", name=re.compile(r"Reroll ideas")).click()
    expect(page.locator(".idea .hook").first).not_to_have_text(hooks[0])
    rerolled = page.locator(".idea .hook").all_inner_texts()
    assert len(rerolled) == 3 and not set(rerolled) & set(hooks), (hooks, rerolled)  # three new ideas
    j.shot(6, "ideas-rerolled")
    page.locator(".idea").nth(0).click()
    page.get_by_role("button", name=re.compile("Write the script with this idea")).click()
    j.heading("Edit the script")
    j.shot(7, "script")
    page.get_by_role("button", name=re.compile("Save and plan the scenes")).click()
    j.heading("Edit the scenes")
    page.locator("[name='f.scenes.0.voiceover']").fill(PHONE_LINE)
    with page.expect_response(lambda r: r.url.endswith("/edit/scenes") and r.request.method == "POST") as saved:
        page.get_by_role("button", name="Save", exact=True).click()
    assert saved.value.status < 400, saved.value.status  # the save check lets the line through
    page.wait_for_load_state("load")
    j.heading("Edit the scenes")
    expect(page.locator("[name='f.scenes.0.voiceover']")).to_have_value(PHONE_LINE)
    j.shot(8, "scenes-storyboard")
    render(j, 9)
    j.heading(re.compile("This run stopped at"), timeout=180_000)
    failure = page.locator("#panel .error-box")
    expect(failure).to_contain_text("scene 1")
    assert len(failure.inner_text()) < 600, failure.inner_text()  # plain words, not the whole line pasted
    j.shot(10, "render-failed")
    page.get_by_role("button", name="Back to scenes").click()
    j.heading("Edit the scenes")
    flagged = page.locator("[data-flagged-scene='0']")
    expect(flagged).to_be_visible()
    expect(flagged).to_contain_text("The last run stopped on this scene")
    expect(page.locator("[name='f.scenes.0.voiceover']")).to_have_value(PHONE_LINE)  # the work is kept
    j.shot(11, "back-to-scenes")
    page.locator("[name='f.scenes.0.voiceover']").fill(FIXED_LINE)
    render(j, None)
    j.heading("Your files are ready", timeout=240_000)
    j.shot(12, "video-ready")
    return project_id


def render(j: Journey, shot_number: int | None) -> None:
    """Scenes → quote → render, checking that the render costs what the quote said."""
    page = j.page
    page.get_by_role("button", name="Save and see the quote").click()
    j.heading("Quote")
    total = int(page.locator("#quote-total").inner_text().split()[0])
    before = j.balance()
    if shot_number:
        j.shot(shot_number, "quote")
    page.get_by_role("button", name=f"Render for {total} credits").click()
    expect(page.locator("#panel .badge-active").first).to_be_visible()
    page.reload()
    assert j.balance() <= before - total or page.locator("#panel h2", has_text="stopped").count()


def autopilot(j: Journey, campaign_id: str, kind: str, shot_number: int | None) -> None:
    page = j.page
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind={kind}")
    page.get_by_label(re.compile("Autopilot")).check()
    make_it = page.get_by_role("button", name=re.compile(r"Make it · \d+ credits"))
    expect(make_it).to_be_visible()
    total = re.search(r"(\d+) credits", make_it.inner_text()).group(1)  # type: ignore[union-attr]
    make_it.click()
    confirm = page.locator("[data-autopilot-confirm]")
    expect(confirm.get_by_role("heading")).to_have_text(f"Make it on autopilot for {total} credits?")
    if shot_number:
        j.shot(shot_number, "autopilot-confirm")
    page.get_by_role("button", name=f"Yes, spend {total} credits").click()
    page.wait_for_url(re.compile(r"/dashboard/videos$"))


def wait_until_done(j: Journey, shot_number: int) -> None:
    page = j.page
    page.goto("/dashboard/videos")
    j.shot(shot_number, "my-videos-processing")
    expect(page.locator("#videos .badge.processing")).to_have_count(0, timeout=300_000)
    assert page.locator("#videos tbody tr[data-status='failed']").count() == 0, page.inner_text("#videos")


def jingle_draft_resumed_after_signing_out(j: Journey, campaign_id: str) -> None:
    page = j.page
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=jingle")
    page.get_by_role("button", name=re.compile("Write ideas")).click()
    page.wait_for_url(re.compile(r"/studio"))
    project_id = page.url.split("/")[-2]
    j.heading("Pick an idea")
    page.locator(".idea").nth(1).click()
    chosen = page.locator(".idea strong").nth(1).inner_text()
    j.shot(15, "jingle-draft")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.get_by_label("Email").fill("hana@harbour.example")
    page.get_by_label("Password").fill("a long enough password")
    j.shot(16, "sign-in")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    page.goto("/dashboard/videos")
    row = page.locator(f"#row-{project_id}")
    j.shot(17, "my-videos-draft")
    row.get_by_role("link", name="Continue in Studio").click()
    j.heading("Pick an idea")
    expect(page.locator(".idea strong").nth(0)).to_be_visible()
    assert chosen in page.locator(".idea strong").all_inner_texts()  # the same ideas, kept
    page.locator(".idea", has_text=chosen).click()
    page.get_by_role("button", name=re.compile("Write the script with this idea")).click()
    j.heading("Edit the script")
    page.get_by_role("button", name=re.compile("Save and plan the scenes")).click()
    j.heading("Edit the scenes")
    j.shot(18, "jingle-resumed")
    render(j, None)
    j.heading("Your files are ready", timeout=240_000)


def too_few_credits(j: Journey, campaign_id: str) -> None:
    page = j.page
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=video")
    before = j.balance()
    page.get_by_label("60 s").check()
    for box in page.locator("input[name='formats']").all():
        box.check()
    page.get_by_label(re.compile("Autopilot")).check()
    make_it = page.get_by_role("button", name=re.compile(r"Make it · \d+ credits"))
    expect(make_it).to_have_text(re.compile(r"Make it · (\d{3,}|[2-9]\d) credits"))
    total = int(re.search(r"(\d+) credits", make_it.inner_text()).group(1))  # type: ignore[union-attr]
    assert total > before, f"the journey left {before} credits, enough for {total}: raise nothing, lower WELCOME"
    make_it.click()
    yes = page.get_by_role("button", name=f"Yes, spend {total} credits")
    expect(yes).to_be_disabled()
    expect(yes).to_have_attribute("title", f"Needs {total} credits; {before} available")
    expect(page.locator("[data-autopilot-confirm] .alert")).to_contain_text(
        f"This needs {total} credits but only {before} credits are available.")
    j.shot(21, "too-few-credits")
    page.goto("/dashboard/credits")
    assert j.balance() == before  # nothing charged, nothing held
    j.shot(22, "credits")


# --- what the user gets ------------------------------------------------------------------------

def files_of(j: Journey, project_id: str) -> dict[str, Any]:
    """The project's Files table: each file's name and its Download link."""
    j.page.goto(f"/dashboard/projects/{project_id}/studio")
    rows = j.page.locator("#panel section:has(#files-title) tbody tr").all()
    names = [row.locator("td strong").first.inner_text() for row in rows]
    assert len(set(names)) == len(names), f"files shown under the same name: {names}"
    return {name: row.get_by_role("link", name="Download") for name, row in zip(names, rows, strict=True)}


def project_ids(j: Journey) -> dict[str, str]:
    """Kind → project id, read from My Videos (the first row of each kind, newest first)."""
    j.page.goto("/dashboard/videos")
    found: dict[str, str] = {}
    for row in j.page.locator("#videos tbody tr[data-status='completed']").all():
        kind = row.locator("td").nth(2).inner_text().split("\n")[0].strip()
        found.setdefault(kind, str(row.get_attribute("id")).removeprefix("row-"))
    return found


def assert_photo_in(label: str, page_image: Image, photo: Image, other: Image) -> None:
    match, control = find_photo(page_image, photo), find_photo(page_image, other)
    print(f"{label}: photo {match.score:.2f} (difference {match.difference:.1f}) at scale {match.scale:.2f}; "
          f"a photo never uploaded {control.score:.2f} ({control.difference:.1f})")
    assert match.found, f"the uploaded photo is not in the {label}: {match}"
    assert not control.found, f"a photo never uploaded 'found' in the {label}: {control} (threshold too low)"


def check_what_was_made(j: Journey, video_id: str, tmp: Path) -> None:
    photo, other, logo = read_rgb(PHOTO), read_rgb(OTHER_PHOTO), read_rgb(LOGO)
    ids = project_ids(j)
    assert set(ids) == {"Video ad", "Display banners", "Flyer / poster", "Jingle"}, ids

    banners = files_of(j, ids["Display banners"])
    name = next(n for n in banners if "300x250" in n and n.endswith(".png"))
    assert_photo_in("300×250 banner", read_rgb(j.download(banners[name])), photo, other)

    flyers = files_of(j, ids["Flyer / poster"])
    name = next(n for n in flyers if "A4" in n and n.endswith(".png"))
    assert_photo_in("A4 flyer's page", read_rgb(j.download(flyers[name])), photo, other)
    j.download(flyers[next(n for n in flyers if "A4" in n and n.endswith(".pdf"))])

    jingles = files_of(j, ids["Jingle"])
    j.download(jingles[next(n for n in jingles if n.endswith(".mp3"))])

    assert ids["Video ad"] == video_id
    videos = files_of(j, video_id)
    mp4 = j.download(videos[next(n for n in videos if n.endswith(".mp4"))])
    frames = [read_rgb(p) for p in video_frames(mp4, tmp / "frames", every=1.5)]
    best = max((find_photo(frame, photo) for frame in frames), key=lambda m: m.score)
    assert best.found, f"the uploaded photo is in no frame of the video: {best}"
    print(f"video frames: photo {best.score:.2f} (difference {best.difference:.1f}) at best")
    assert not any(find_photo(frame, other).found for frame in frames[::4])
    end_card = [read_rgb(p) for p in video_frames(mp4, tmp / "end", every=0.25, last=1.0)]
    logo_crop = central_crop(logo, 0.5)
    logo = max((find(frame, logo_crop) for frame in end_card), key=lambda m: m.score)
    early = find(frames[1], logo_crop)
    print(f"end card: logo {logo.score:.2f} (difference {logo.difference:.1f}); an early scene {early.score:.2f}")
    assert logo.found, f"the logo is not on the end card: {logo}"
    assert not early.found, f"the logo 'found' on an early scene (threshold too low): {early}"

    names = [path.name.split("-", 1)[1] for path in j.files]
    assert len(set(names)) == len(names), names
    assert all(n.startswith("Harbour-mug-launch-") for n in names), names


# --- the suite ---------------------------------------------------------------------------------

def test_the_marketers_journeys_through_the_dashboard(journey: Journey, tmp_path: Path) -> None:
    j = journey
    lap = Laps()
    sign_up(j)
    campaign_id = create_campaign_with_the_form(j)
    lap("sign up, campaign")
    video_id = video_with_reroll_and_a_broken_scene(j, campaign_id)
    lap("video (failed, fixed, rendered)")
    autopilot(j, campaign_id, "banner", 13)
    autopilot(j, campaign_id, "flyer", None)
    wait_until_done(j, 14)
    lap("banner and flyer on autopilot")
    jingle_draft_resumed_after_signing_out(j, campaign_id)
    lap("jingle draft resumed")
    j.page.goto(f"/dashboard/campaigns/{campaign_id}")
    expect(j.page.locator(".asset-tile")).to_have_count(4)
    j.shot(19, "campaign-hub-assets", focus=".asset-tile")
    j.page.goto("/dashboard/videos")
    j.shot(20, "my-videos-done")
    too_few_credits(j, campaign_id)
    lap("too few credits")
    check_what_was_made(j, video_id, tmp_path)
    lap("downloads checked")
    print(f"journeys: {lap.report()}; screenshots {j.shot_seconds:.0f} s of it")

    enum_values = domain_enum_values()
    raw = {page: words for page, text in j.seen.items() if (words := raw_words(text, enum_values))}
    assert (raw, j.overflow) == ({}, {}), f"machine words on screen: {raw}; pages wider than a phone: {j.overflow}"


class Laps:
    """Wall and CPU seconds per part of the journey (printed; the machine may be loaded)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.monotonic(), time.process_time()
        self.parts: list[str] = []

    def __call__(self, name: str) -> None:
        wall, cpu = time.monotonic(), time.process_time()
        self.parts.append(f"{name} {wall - self.wall:.0f} s (CPU {cpu - self.cpu:.0f} s)")
        self.wall, self.cpu = wall, cpu

    def report(self) -> str:
        return "; ".join(self.parts)


# --- the checks can fail -----------------------------------------------------------------------

def test_the_photo_finder_finds_a_scaled_framed_photo_and_rejects_another() -> None:
    """The template match sees the photo pasted smaller and cropped into a designed page, and
    does not see it in the same page made with another photo."""
    import cv2
    import numpy as np

    photo, other = read_rgb(PHOTO), read_rgb(OTHER_PHOTO)

    def page_with(picture: Image) -> Image:
        canvas = np.full((1350, 1080, 3), (246, 240, 232), np.uint8)
        cv2.rectangle(canvas, (60, 80), (1020, 300), (31, 58, 95), -1)  # a headline block
        framed = picture[40:-40, 60:-60]  # the framing crops the edges
        framed = cv2.resize(framed, (round(framed.shape[1] * 1.3), round(framed.shape[0] * 1.3)))
        canvas[500:500 + framed.shape[0], 200:200 + framed.shape[1]] = framed
        ok, jpeg = cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, 70])
        assert ok
        return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)

    with_photo, with_other = page_with(photo), page_with(other)
    hit = find_photo(with_photo, photo)
    assert hit.found and hit.score > 0.9 and abs(hit.scale - 1.3) < 0.15, hit
    assert abs(hit.x - (200 + 1.3 * (photo.shape[1] * 0.35 - 60))) < 30, hit
    assert not find_photo(with_other, photo).found
    assert not find_photo(with_photo, other).found
    assert not find_photo(np.full((600, 400, 3), 128, np.uint8), photo).found  # a flat page
    assert MATCH_THRESHOLD >= 0.6


def test_the_machine_word_check_catches_what_the_issue_saw() -> None:
    values = domain_enum_values()
    assert {"problem_aware", "social_proof", "push_in", "text_left", "b2b_services"} <= values
    seen = "Motion push_in · Layout text_left\nUgc · Saas\nSeed (optional)\nSize 300x250\nAwareness: problem_aware"
    assert set(raw_words(seen, values)) >= {"push_in", "text_left", "Ugc", "Saas", "Seed", "300x250",
                                             "problem_aware"}
    fine = ("Slow push-in · Text on the left · UGC style · Medium rectangle · 300×250 · "
            "Harbour-mug-launch-banner-300x250-v1.png · Problem aware")
    assert raw_words(fine, values) == []


def test_every_kinds_format_summary_reads_as_words() -> None:
    """My Videos and the Hub show a project's formats with the kind's summary: no bare "1080x1350"."""
    from adloom.assets import registry

    values = domain_enum_values()
    for spec in registry.specs():
        for fmt in spec.format_labels:
            options = {**spec.options().model_dump(), "formats": [fmt], "sizes": [fmt]}
            assert raw_words(spec.summary(options), values) == [], (spec.name, spec.summary(options))
