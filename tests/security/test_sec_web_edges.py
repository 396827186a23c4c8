"""Issue item 11 (parts): /metrics needs a token or a loopback client, state-changing dashboard
requests from another site's page are refused by their Origin, and ADLOOM_COOKIE_SECURE forces the
Secure flag on the session cookie."""

from __future__ import annotations

from pathlib import Path

from helpers_sec import client_for, csrf_of, runtime_on, sign_up, signed_in


def test_metrics_answers_only_loopback_clients_without_a_token(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        assert client_for(rt, client=("203.0.113.5", 4000)).get("/metrics").status_code == 403
        local = client_for(rt, client=("127.0.0.1", 4000)).get("/metrics")
        assert local.status_code == 200 and "adloom_credits_available" in local.text


def test_metrics_with_a_token_needs_it_as_a_bearer(tmp_path: Path) -> None:
    token = "scrape-token-0123456789"
    with runtime_on(tmp_path, metrics_token=token) as rt:
        scraper = client_for(rt, client=("10.0.0.8", 4000))
        assert scraper.get("/metrics").status_code == 401
        assert scraper.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client_for(rt, client=("127.0.0.1", 4000)).get("/metrics").status_code == 401
        good = scraper.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert good.status_code == 200 and "adloom_queue_depth" in good.text


def test_a_form_posted_from_another_site_is_refused_even_with_the_token(tmp_path: Path) -> None:
    with runtime_on(tmp_path, base_url="https://ads.example.com") as rt:
        browser = client_for(rt)
        sign_up(browser, "org@example.com")
        token = csrf_of(browser, "/dashboard/members")
        for header in ({"Origin": "https://evil.example"}, {"Origin": "null"},
                       {"Referer": "https://evil.example/page.html"}):
            refused = browser.post("/logout", data={"csrf_token": token}, headers=header)
            assert refused.status_code == 403 and "another site" in refused.text, header
            assert signed_in(browser)
        # The request's own host and ADLOOM_BASE_URL (a proxy's public address) are this site.
        ours = browser.post("/logout", data={"csrf_token": token}, headers={"Origin": "http://testserver"})
        assert ours.status_code == 303 and not signed_in(browser)
        sign_up(browser, "org2@example.com")
        token = csrf_of(browser, "/dashboard/members")
        public = browser.post("/logout", data={"csrf_token": token}, headers={"Origin": "https://ads.example.com"})
        assert public.status_code == 303


def test_cookie_secure_forces_the_secure_flag_over_plain_http(tmp_path: Path) -> None:
    with runtime_on(tmp_path, cookie_secure=True) as rt:
        response = client_for(rt).get("/login")
        assert "secure" in response.headers["set-cookie"].lower()
    with runtime_on(tmp_path / "plain") as rt:
        response = client_for(rt).get("/login")
        assert "secure" not in response.headers["set-cookie"].lower()
