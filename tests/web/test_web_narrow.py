"""The dashboard on a 390 px phone screen (issue 17): the top navigation wraps, so every link
("Members" was clipped to "M") is whole and inside the screen, on every page of the shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import CHROMIUM, CHROMIUM_ARGS, LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright_api = pytest.importorskip("playwright.sync_api")

NAV = ["Campaigns", "My Videos", "Brand kits", "Credits", "Members", "API keys"]
# Every link: its box inside the screen and its text not cut; the bar itself does not scroll.
CLIPPED = """() => {
  const nav = document.querySelector('.nav');
  const out = [];
  if (nav.scrollWidth > nav.clientWidth + 1) out.push('the navigation scrolls sideways');
  for (const a of nav.querySelectorAll('a')) {
    const box = a.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth + 0.5) out.push(a.textContent.trim() + ' leaves the screen');
    if (a.scrollWidth > a.clientWidth + 1) out.push(a.textContent.trim() + ' is cut');
  }
  return out;
}"""


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    from factories import make_settings
    from webgens import PREVIEW

    settings = make_settings(tmp_path, queue_url="", generators=PREVIEW,
                             secret_key="narrow-test-secret-0123456789abcdef0123")
    server = LiveServer(settings).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def phone(live: LiveServer) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live.url)
        context.set_default_timeout(60_000)
        yield context.new_page()
        context.close()
        browser.close()


def test_every_navigation_link_is_whole_on_a_390_px_screen(phone: Any) -> None:
    phone.goto("/signup")
    phone.get_by_label("Your name").fill("Pat Phone")
    phone.get_by_label("Work email").fill("pat@example.com")
    phone.get_by_label("Password").fill("a long enough password")
    phone.get_by_label("Workspace name").fill("Pocket Co.")
    phone.get_by_role("button", name="Create account").click()
    phone.wait_for_url("**/dashboard")
    for url in ("/dashboard", "/dashboard/videos", "/dashboard/credits", "/dashboard/members"):
        phone.goto(url)
        links = phone.locator(".nav a")
        assert [text.strip() for text in links.all_inner_texts()] == NAV, url
        assert phone.evaluate(CLIPPED) == [], url
        playwright_api.expect(phone.get_by_role("link", name="Members", exact=True)).to_be_in_viewport(ratio=1.0)
