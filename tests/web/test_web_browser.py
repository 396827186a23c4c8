"""Browser flows in Debian's chromium (Playwright): the dashboard as a user meets it.

Sign up → upload the Northbound brief → edit the Messaging pillar → a video through every gate of
the wizard → watch it complete on My Videos → download it; then banner, flyer and jingle on
autopilot. Screenshots of each page are saved under docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_web import ROOT, shared_file
from live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = ROOT / "docs" / "screenshots"
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    from factories import make_settings
    from webgens import PREVIEW

    settings = make_settings(tmp_path, queue_url="", generators=PREVIEW, secret_key="browser-test-secret-0123456789abcdef",
                             sweep_seconds=5.0)
    server = LiveServer(settings).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(live: LiveServer) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True,
                                      base_url=live.url)
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        context.close()
        browser.close()
        assert errors == [], f"JavaScript errors: {errors}"


def shot(page: Any, name: str, *, full: bool = True) -> None:
    """Save a screenshot of the current page (PNG, kept small)."""
    if os.environ.get("ADLOOM_NO_SCREENSHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full, timeout=120_000)
    compact_png(path)
    if path.stat().st_size > 300_000:  # keep the repository light: the visible part only
        page.screenshot(path=str(path), full_page=False, timeout=120_000)
        compact_png(path)


def compact_png(path: Path) -> None:
    """Quantise a UI screenshot to a 256-colour palette (a fraction of the size, same look)."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def sign_up(page: Any, email: str) -> None:
    page.goto("/signup")
    shot(page, "01-sign-up")
    page.get_by_label("Your name").fill("Nora Northbound")
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("Workspace name").fill("Northbound Coffee Co.")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/dashboard$"))


def upload_brief(page: Any) -> str:
    page.goto("/dashboard/campaigns/new")
    shot(page, "03-new-campaign")
    page.locator("#brief").set_input_files(str(shared_file("briefs", "northbound-coldbrew.yaml")))
    page.locator("#images").set_input_files([str(shared_file("fixtures", "images", "coffee.png")),
                                             str(shared_file("fixtures", "images", "logo.png"))])
    page.get_by_role("button", name="Create from brief").click()
    page.wait_for_url(re.compile(r"/dashboard/campaigns/[0-9a-f]{32}$"))
    return str(page.url.rsplit("/", 1)[-1])


def edit_messaging(page: Any, text: str) -> None:
    page.get_by_role("button", name="Edit the Messaging pillar").click()
    box = page.locator("#pillar-text-messaging")
    box.fill(text)
    page.get_by_role("button", name="Save messaging").click()
    playwright_api.expect(page.locator("#pillar-messaging .pillar-text")).to_have_text(text)
    playwright_api.expect(page.locator("#strategy-version")).to_have_text("Strategy version 2")


def wait_for_heading(page: Any, name: str) -> None:
    playwright_api.expect(page.get_by_role("heading", name=name)).to_be_visible(timeout=30_000)


def video_through_every_gate(page: Any, campaign_id: str) -> str:
    page.goto(f"/dashboard/campaigns/{campaign_id}/create")
    shot(page, "05-create-kind")
    page.get_by_role("link", name=re.compile("Video ad")).first.click()
    page.get_by_label("15 s").check()
    shot(page, "06-create-options")
    page.get_by_role("button", name="Write ideas").click()
    page.wait_for_url(re.compile(r"/studio"))
    project_id = page.url.split("/")[-2]
    wait_for_heading(page, "Pick an idea")
    playwright_api.expect(page.get_by_role("button", name=re.compile(r"Reroll ideas\s+2 credits"))).to_be_visible()
    page.locator(".idea").nth(1).click()
    shot(page, "07-studio-ideas")
    page.get_by_role("button", name=re.compile("Write the script with this idea")).click()
    wait_for_heading(page, "Edit the script")
    first_voiceover = page.locator("textarea[name$='.voiceover'], input[name$='.voiceover']").first
    first_voiceover.fill("Bitter drip coffee between calls? There is a calmer first hour.")
    shot(page, "08-studio-script")
    page.get_by_role("button", name=re.compile("Save and plan the scenes")).click()
    wait_for_heading(page, "Edit the scenes")
    page.get_by_role("button", name="Regenerate this one").first.click()
    page.wait_for_load_state("networkidle")
    wait_for_heading(page, "Edit the scenes")
    shot(page, "09-studio-scenes")
    page.get_by_role("button", name="Save and see the quote").click()
    wait_for_heading(page, "Quote")
    total = page.locator("#quote-total").inner_text()
    assert re.fullmatch(r"\d+ credits", total), total
    shot(page, "10-studio-quote")
    page.get_by_role("button", name=f"Render for {total}").click()
    playwright_api.expect(page.locator("#panel .badge-active").first).to_be_visible()
    return project_id


def watch_my_videos(page: Any, expect_rows: int) -> list[dict[str, str]]:
    """Watch My Videos until nothing is active; returns the status events received over SSE."""
    page.goto("/dashboard/videos")
    page.evaluate("window.__seen = []; document.body.addEventListener('adloom:status', e => window.__seen.push(e.detail))")
    badge = page.locator("#videos .badge.processing")
    playwright_api.expect(badge.first).to_be_visible()
    playwright_api.expect(page.locator("#videos[data-polling='on']")).to_have_count(1)
    shot(page, "11-my-videos-processing", full=False)
    playwright_api.expect(badge).to_have_count(0, timeout=90_000)
    playwright_api.expect(page.locator("#videos[data-polling='off']")).to_have_count(1)
    playwright_api.expect(page.locator("#videos tbody tr[data-status='completed']")).to_have_count(expect_rows)
    return list(page.evaluate("window.__seen"))


def download_from_row(page: Any, row: Any, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        row.get_by_role("link", name="Download").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    return target.read_bytes()


def fail_and_retry(page: Any, data_dir: Path, campaign_id: str) -> None:
    """A jingle whose render fails: the error is shown with what to do, Retry finishes it."""
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=jingle")
    page.get_by_role("button", name="Write ideas").click()
    page.wait_for_url(re.compile(r"/studio"))
    project_id = page.url.split("/")[-2]
    flag = data_dir / "work" / project_id / "fail-render"
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.write_text("1")
    wait_for_heading(page, "Pick an idea")
    page.get_by_role("button", name=re.compile("Write the script with this idea")).click()
    wait_for_heading(page, "Edit the script")
    page.get_by_role("button", name=re.compile("Save and plan the scenes")).click()
    wait_for_heading(page, "Edit the scenes")
    page.get_by_role("button", name="Save and see the quote").click()
    page.get_by_role("button", name=re.compile(r"Render for \d+ credits")).click()
    wait_for_heading(page, "This run stopped at render")
    playwright_api.expect(page.locator("#panel .error-box")).to_contain_text("Remove the flag and retry")
    shot(page, "16-studio-failed", full=False)
    page.goto("/dashboard/videos")
    row = page.locator(f"#videos tr:has(a[href='/dashboard/projects/{project_id}/studio'])")
    playwright_api.expect(row.locator(".badge")).to_have_text("Failed")
    flag.unlink()
    row.get_by_role("button", name="Retry").click()
    page.goto("/dashboard/videos")
    row = page.locator(f"#videos tr:has(a[href='/dashboard/projects/{project_id}/studio'])")
    playwright_api.expect(row).to_have_attribute("data-status", "completed", timeout=60_000)


def test_video_through_every_gate_then_autopilot_for_the_rest(page: Any, live: LiveServer, tmp_path: Path) -> None:
    live_data = live.app.state.settings.data_dir
    sign_up(page, "nora@northbound.example")
    shot(page, "02-campaigns-empty")
    campaign_id = upload_brief(page)
    edit_messaging(page, "Cold brew that is ready when you open the fridge: no machine, no bitterness.")
    shot(page, "04-campaign-hub-pillar-edited")

    project_id = video_through_every_gate(page, campaign_id)
    events = watch_my_videos(page, expect_rows=1)
    assert {"project": project_id, "status": "completed"} in events  # pushed over server-sent events
    shot(page, "12-my-videos-done", full=False)
    video = download_from_row(page, page.locator(f"#videos tr:has(a[href='/dashboard/projects/{project_id}/studio'])"),
                              tmp_path)
    assert video[4:8] == b"ftyp" and len(video) > 1000

    for kind, label in (("banner", "Display banners"), ("flyer", "Flyer / poster"), ("jingle", "Jingle")):
        page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind={kind}")
        page.get_by_label(re.compile("Autopilot")).check()
        page.get_by_role("button", name=re.compile(r"Make it · \d+ credits")).click()  # asks once, with the price
        page.get_by_role("button", name=re.compile(r"Yes, spend \d+ credits")).click()
        page.wait_for_url(re.compile(r"/dashboard/videos$"))
    watch_my_videos(page, expect_rows=4)
    signatures = {"banner": b"\x89PNG", "flyer": b"\x89PNG", "jingle": b"RIFF"}
    for kind, magic in signatures.items():
        row = page.locator("#videos tbody tr", has_text=re.compile(rf"— {kind}")).first
        assert download_from_row(page, row, tmp_path).startswith(magic)

    fail_and_retry(page, live_data, campaign_id)

    page.goto(f"/dashboard/campaigns/{campaign_id}")
    playwright_api.expect(page.locator(".asset-tile")).to_have_count(5)
    shot(page, "13-campaign-hub-assets")
    page.locator("input[name='p']").nth(0).check()
    page.locator("input[name='p']").nth(1).check()
    page.get_by_role("button", name="Compare selected").click()
    wait_for_heading(page, "A/B compare")
    shot(page, "14-compare")
    page.goto(f"/dashboard/projects/{project_id}/studio")
    wait_for_heading(page, "Your files are ready")
    shot(page, "15-studio-completed")
    for url, name in (("/dashboard/credits", "17-credits"), ("/dashboard/brands", "18-brand-kits"),
                      ("/dashboard/members", "19-members")):
        page.goto(url)
        shot(page, name)
    page.goto("/dashboard/api-keys")
    page.get_by_label("Name").fill("Zapier")
    page.get_by_role("button", name="Create key").click()
    secret = page.locator("#new-secret").inner_text()
    assert re.fullmatch(r"adl_[a-z0-9]{8}_[A-Za-z0-9_-]{32}", secret), secret
    shot(page, "20-api-keys")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/dashboard/campaigns/{campaign_id}")
    shot(page, "21-phone-campaign-hub", full=False)
    page.goto("/dashboard/videos")
    shot(page, "22-phone-my-videos", full=False)


def test_the_edit_page_takes_a_photo_from_the_file_input_and_the_hub_shows_it(page: Any, live: LiveServer) -> None:
    """Create a campaign from the form without photos, then Edit campaign → choose a photo → Save:
    the Hub shows the photo, and the offer typed on the edit page."""
    sign_up(page, "edit@example.com")
    page.goto("/dashboard/campaigns/new")
    page.locator("#c-name").fill("Saltmarsh launch")
    page.locator("#c-product").fill("Saltmarsh Coffee")
    page.locator("#c-desc").fill("Small-batch coffee roasted by the sea.")
    page.get_by_role("button", name="Create campaign").click()
    page.wait_for_url(re.compile(r"/dashboard/campaigns/[0-9a-f]{32}$"))
    assert page.locator(".hero-card img").count() == 0
    page.get_by_role("link", name="Edit campaign").click()
    page.wait_for_url(re.compile(r"/edit$"))
    page.locator("#c-offer").fill("Two bags for 20")
    page.locator("#c-photos").set_input_files(str(shared_file("fixtures", "images", "coffee.png")))
    shot(page, "06b-edit-campaign")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/dashboard/campaigns/[0-9a-f]{32}$"))
    photo = page.locator(".hero-card img")
    playwright_api.expect(photo).to_have_attribute("src", re.compile(r"/photo/0$"))
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0
    playwright_api.expect(page.locator(".hero-card")).to_contain_text("Two bags for 20")


def test_the_scenes_gate_storyboard_and_the_autopilot_confirmation(page: Any, live: LiveServer) -> None:
    """The free storyboard appears at the scenes gate and follows an edit; autopilot shows its
    price on the button and asks once, with the quote, before anything is created."""
    import time

    sign_up(page, "story@northbound.example")
    campaign_id = upload_brief(page)
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=video")
    page.get_by_label("30 s").check()
    page.get_by_role("button", name="Write ideas").click()
    wait_for_heading(page, "Pick an idea")
    page.get_by_role("button", name=re.compile("Write the script with this idea")).click()
    wait_for_heading(page, "Edit the script")
    page.get_by_role("button", name=re.compile("Save and plan the scenes")).click()
    wait_for_heading(page, "Edit the scenes")
    started = time.monotonic()
    stills = page.locator("img.story-still")
    count = stills.count()
    assert count >= 4
    loaded = "els => els.every(e => e.complete && e.naturalWidth === 270 && e.naturalHeight === 480)"
    page.wait_for_function(f"() => ({loaded})(Array.from(document.querySelectorAll('img.story-still')))",
                           timeout=30_000)
    print(f"browser storyboard: {count} stills shown {time.monotonic() - started:.2f} s after the page")
    shot(page, "23-studio-storyboard")
    first_src = stills.first.get_attribute("src")
    page.locator("[name='f.scenes.0.on_screen_text']").fill("Slow coffee, fast mornings")
    page.get_by_role("button", name="Save", exact=True).click()
    playwright_api.expect(stills.first).not_to_have_attribute("src", first_src or "", timeout=30_000)
    page.wait_for_function(f"() => ({loaded})(Array.from(document.querySelectorAll('img.story-still')))",
                           timeout=30_000)

    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=banner")
    page.get_by_label(re.compile("Autopilot")).check()
    make_it = page.get_by_role("button", name=re.compile(r"Make it · \d+ credits"))
    playwright_api.expect(make_it).to_be_visible()
    total = re.search(r"(\d+) credits", make_it.inner_text()).group(1)  # type: ignore[union-attr]
    make_it.click()
    confirm = page.locator("[data-autopilot-confirm]")
    playwright_api.expect(confirm).to_be_visible()
    playwright_api.expect(confirm.get_by_role("heading")).to_have_text(f"Make it on autopilot for {total} credits?")
    playwright_api.expect(confirm.locator("tbody tr")).not_to_have_count(0)
    shot(page, "24-autopilot-confirm")
    page.goto("/dashboard/videos")
    playwright_api.expect(page.locator("#videos tbody tr")).to_have_count(1)  # nothing made before the yes
    page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=banner")
    page.get_by_label(re.compile("Autopilot")).check()
    page.get_by_role("button", name=re.compile(r"Make it · \d+ credits")).click()
    page.get_by_role("button", name=f"Yes, spend {total} credits").click()
    page.wait_for_url(re.compile(r"/dashboard/videos$"))
    playwright_api.expect(page.locator("#videos tbody tr")).to_have_count(2)
