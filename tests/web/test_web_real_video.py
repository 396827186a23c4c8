"""The wizard with the real video generator (voiceover, music, motion, captions), in chromium.

Slow (a real 15 s render), so it only runs when ``ADLOOM_TEST_REAL_VIDEO=1``; the other browser
flows use quick stand-in generators.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer
from test_web_browser import sign_up, upload_brief

pytestmark = [
    pytest.mark.browser, pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("ADLOOM_TEST_REAL_VIDEO") != "1", reason="set ADLOOM_TEST_REAL_VIDEO=1"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    from conftest import make_settings

    settings = make_settings(tmp_path, queue_url="", generators={}, secret_key="real-video-secret-0123456789abcdef")
    server = LiveServer(settings).start()
    try:
        yield server
    finally:
        server.stop()


def test_a_real_video_from_the_wizard_on_autopilot(live: LiveServer, tmp_path: Path) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page: Any = browser.new_context(base_url=live.url, accept_downloads=True).new_page()
        sign_up(page, "real@northbound.example")
        campaign_id = upload_brief(page)
        page.goto(f"/dashboard/campaigns/{campaign_id}/create?kind=video")
        page.get_by_label("15 s").check()
        page.get_by_label(re.compile("Autopilot")).check()
        page.get_by_role("button", name=re.compile(r"Make it · \d+ credits")).click()  # asks once, with the price
        page.get_by_role("button", name=re.compile(r"Yes, spend \d+ credits")).click()
        page.wait_for_url(re.compile(r"/dashboard/videos$"))
        done = page.locator("#videos tbody tr[data-status='completed'], #videos tbody tr[data-status='failed']")
        playwright_api.expect(done).to_have_count(1, timeout=300_000)
        failed = page.locator("#videos tbody tr[data-status='failed']")
        assert failed.count() == 0, page.locator("#videos").inner_text()
        with page.expect_download() as info:
            page.locator("#videos tbody tr").first.get_by_role("link", name="Download").click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(str(target))
        data = target.read_bytes()
        assert data[4:8] == b"ftyp" and len(data) > 100_000
        browser.close()
