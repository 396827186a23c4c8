"""The red-team replay of the hardening issue (issue 15) against a live ``adloom serve``.

Run: ``python bench/redteam.py [--markdown] [--database-url postgresql://…]``.

It starts real ``adloom serve`` processes on free loopback ports, each in a temporary data
folder with its own settings (environment variables), sets up tenants the way an operator would
(the ``adloom`` CLI), and replays every attack of the issue over loopback HTTP as a hostile tenant:

* server **A** — the defaults an operator gets (no secret key, private webhooks refused, the real
  generators); the per-address sign-in limit is raised so that the per-account one is measured.
* server **B** — ``ADLOOM_WEBHOOK_ALLOW_PRIVATE``, ``ADLOOM_METRICS_TOKEN`` and
  ``ADLOOM_COOKIE_SECURE`` set, for what needs a receiver on loopback, a token or the flag.
* server **C** — started with the known-weak secret key; it must refuse to start.

It prints one row per attack — item of the issue, attack, expected, observed, ok/FAIL — and exits
1 when any row fails. Every request is bounded by a timeout and every target is 127.0.0.1: the
"internal service" of the SSRF rows is a small HTTP server this script starts itself.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from redteam_harness import (
    NO_REUSE,
    TIMEOUT,
    Receiver,
    Report,
    Server,
    Tenant,
    api,
    base_env,
    browser,
    csrf_of,
    error_text,
    free_port,
    has_sql,
    make_tenant,
    opens_dashboard,
    pg_schema,
    session_cookie,
    short,
    sign_in,
    sign_up,
    strong_password,
    wait_rest,
)

WEAK_KEY = "dev-insecure-change-me"

SETTLE_SECONDS = 150.0  # how long background projects may take to come to rest
BRIEF: dict[str, Any] = {
    "name": "Red team — Northbound",
    "product": {"name": "Northbound Cold Brew",
                "description": "Small-batch cold brew concentrate, steeped 18 hours, smooth and low in acid.",
                "url": "https://northbound.example/cold-brew"},
    "brand": {"name": "Northbound", "tone": "warm, confident", "tagline": "Brewed slow. Drink it cold."},
    "awareness_stage": "problem_aware",
    "assets": ["banner", "jingle", "video"],
}


# ---------------------------------------------------------------------------- item 1: webhooks


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "2130706433", "0x7f000001", "017700000001", "127.1",
                  "0.0.0.0", "[::ffff:127.0.0.1]", "user:pass@127.0.0.1")


def loopback_forms(port: int) -> list[str]:
    """Every spelling of loopback from the issue, each with a path of its own."""
    return [f"http://{host}:{port}/ssrf-{i}" for i, host in enumerate(LOOPBACK_HOSTS)]


def ssrf_subscriptions(report: Report, a: Server, t1: Tenant, receiver: Receiver) -> None:
    """Every loopback spelling must be refused when subscribed (default settings).

    ``t1`` runs no projects, so an accepted subscription only ever gets the test event."""
    with api(a) as client:
        for url in loopback_forms(receiver.port):
            def probe(url: str = url) -> tuple[bool, str]:
                response = client.post("/webhooks", json={"url": url, "events": ["project.*"]}, headers=t1.w)
                if response.status_code in (400, 422):
                    about_url = "url" in response.text.lower()
                    return about_url, f"refused {short(response)}" + ("" if about_url else ", not about the url")
                observed = f"accepted {response.status_code}"
                if response.status_code == 201:
                    observed += ssrf_delivery(client, t1, response.json()["id"], receiver, "/" + url.rsplit("/", 1)[1])
                return False, observed

            report.check("1", f"subscribe {url.split('//')[1].split('/')[0]}", "refused 400/422", probe)


def ssrf_delivery(client: httpx.Client, t1: Tenant, webhook_id: str, receiver: Receiver, path: str) -> str:
    """Fire the test event at an accepted loopback URL, say what leaked, then delete it."""
    client.post(f"/webhooks/{webhook_id}/test", headers=t1.w)
    deadline = time.monotonic() + 8
    shown = False
    while time.monotonic() < deadline and not shown:
        time.sleep(0.3)
        shown = receiver.marker in client.get(f"/webhooks/{webhook_id}/deliveries", headers=t1.w).text
    client.delete(f"/webhooks/{webhook_id}", headers=t1.w)
    return f"; delivered={receiver.hit(path)}, service body shown={shown}"


def create_hook(client: httpx.Client, tenant: Tenant, url: str) -> dict[str, Any]:
    # This workspace runs no projects: only the test event is ever sent.
    response = client.post("/webhooks", json={"url": url, "events": ["project.completed"]}, headers=tenant.w)
    if response.status_code != 201:
        raise RuntimeError(f"subscribing {url} on the allow-private server: {short(response)}")
    data: dict[str, Any] = response.json()
    return data


def wait_attempt(client: httpx.Client, tenant: Tenant, webhook_id: str, seconds: float = 15) -> dict[str, Any]:
    """The first delivery of a subscription (with its attempt log) once an attempt is logged."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        deliveries = client.get(f"/webhooks/{webhook_id}/deliveries", headers=tenant.r).json()
        if deliveries and deliveries[0].get("attempts"):
            url = f"/webhooks/{webhook_id}/deliveries/{deliveries[0]['id']}"
            delivery: dict[str, Any] = client.get(url, headers=tenant.r).json()
            if delivery.get("attempt_log"):
                return delivery
        time.sleep(0.3)
    raise RuntimeError(f"no delivery attempt logged within {seconds:.0f} s")


def webhook_private_rows(report: Report, b: Server, tb: Tenant, receiver: Receiver) -> None:
    """With private receivers allowed: no body stored, no redirect followed, one network error."""
    with api(b) as client:
        def body_probe() -> tuple[bool, str]:
            hook = create_hook(client, tb, f"http://127.0.0.1:{receiver.port}/body")
            client.post(f"/webhooks/{hook['id']}/test", headers=tb.w)
            delivery = wait_attempt(client, tb, hook["id"])
            listed = client.get(f"/webhooks/{hook['id']}/deliveries", headers=tb.r).text
            shown = receiver.marker in listed or receiver.marker in json.dumps(delivery)
            return not shown, f"receiver body {'shown' if shown else 'not shown'} in the delivery log"

        report.check("1", "delivery log of a receiver's reply", "status and timing only, no body", body_probe)

        def redirect_probe() -> tuple[bool, str]:
            hook = create_hook(client, tb, f"http://127.0.0.1:{receiver.port}/redirect")
            client.post(f"/webhooks/{hook['id']}/test", headers=tb.w)
            wait_attempt(client, tb, hook["id"])
            time.sleep(1.0)
            followed = receiver.hit("/redirected")
            return not followed, f"redirect {'followed' if followed else 'not followed'}"

        report.check("1", "receiver answers 302 to another loopback URL", "redirect not followed", redirect_probe)

        def closed_port_probe() -> tuple[bool, str]:
            hook = create_hook(client, tb, f"http://127.0.0.1:{free_port()}/closed")
            client.post(f"/webhooks/{hook['id']}/test", headers=tb.w)
            delivery = wait_attempt(client, tb, hook["id"])
            log = delivery.get("attempt_log") or []
            errors = " ".join(str(a.get("error") or "") for a in log).strip() or str(delivery.get("last_error") or "")
            if not errors:
                return False, "no error logged for the failed attempt"
            leaks = [w for w in ("refused", "Errno", "[Errno", "111", "ConnectError") if w in errors]
            return not leaks, f"error text: {errors[:90]!r}"

        report.check("1", "delivery to a closed loopback port", "generic network error (no 'refused'/errno)",
                     closed_port_probe)


# ---------------------------------------------------------------------------- items 2, 3, 5: inputs


def yaml_bomb(levels: int = 7) -> str:
    """Nested anchors: ``levels`` lines expand to 10**levels scalars when walked."""
    lines = ["l0: &l0 [" + ",".join(["x"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def yaml_bomb_row(report: Report, a: Server, t1: Tenant) -> None:
    def probe() -> tuple[bool, str]:
        bomb = yaml_bomb()
        started = time.perf_counter()
        try:
            with api(a) as client:
                response = client.post("/campaigns/brief", content=bomb.encode(), timeout=httpx.Timeout(8.0),
                                       headers={**t1.w, "Content-Type": "application/yaml"})
        except httpx.TimeoutException:
            return False, f"no answer within 8 s ({len(bomb)}-byte brief)"
        took = time.perf_counter() - started
        ok = response.status_code == 422 and took < 1.0
        return ok, f"{short(response)} in {took * 1000:.0f} ms ({len(bomb)}-byte brief)"

    report.check("2", "YAML alias bomb to POST /campaigns/brief", "422 in < 1 s", probe)


def amplification_row(report: Report, a: Server, t1: Tenant, campaign: str) -> None:
    def probe() -> tuple[bool, str]:
        body = {"campaign_id": campaign, "kind": "banner", "options": {"sizes": ["9x9"] * 1_000_000}}
        health: list[float] = []
        stop = threading.Event()

        def poll_health() -> None:
            with httpx.Client(timeout=10.0) as client:
                while not stop.is_set():
                    started = time.perf_counter()
                    try:
                        client.get(f"{a.url}/healthz")
                    except httpx.HTTPError:
                        pass
                    health.append(time.perf_counter() - started)
                    time.sleep(0.1)

        poller = threading.Thread(target=poll_health, daemon=True)
        poller.start()
        started = time.perf_counter()
        try:
            with api(a) as client:
                response = client.post("/credits/quote", json=body, headers=t1.r, timeout=httpx.Timeout(30.0))
        finally:
            took = time.perf_counter() - started
            stop.set()
            poller.join(12)
        slowest = max(health, default=0.0)
        ok = 400 <= response.status_code < 500 and len(response.content) <= 8192 and took < 2.0 and slowest < 1.0
        return ok, (f"{response.status_code}, {len(response.content):,} B in {took:.1f} s; "
                    f"slowest /healthz {slowest * 1000:.0f} ms")

    report.check("3", "quote with options.sizes of 1,000,000 items",
                  "4xx, body <= 8 KB, < 2 s, /healthz < 1 s", probe)


def start_duplicate_sizes(client: httpx.Client, t1: Tenant, campaign: str) -> tuple[httpx.Response, httpx.Response]:
    """Quote and start a banner run with the same size 40 times (item 5)."""
    options = {"sizes": ["1080x1080"] * 40, "formats": ["png"]}
    quote = client.post("/credits/quote", json={"campaign_id": campaign, "kind": "banner", "options": options},
                        headers=t1.r)
    create = client.post("/projects", json={"campaign_id": campaign, "kind": "banner", "options": options,
                                            "autopilot": True}, headers=t1.w)
    return quote, create


def duplicate_sizes_rows(report: Report, client: httpx.Client, t1: Tenant,
                         started: tuple[httpx.Response, httpx.Response], deadline: float) -> None:
    quote, create = started
    project: dict[str, Any] = {}
    if create.status_code == 201:
        project = wait_rest(client, t1.w, create.json()["id"], deadline)

    def refused() -> tuple[bool, str]:
        if 400 <= quote.status_code < 500 or 400 <= create.status_code < 500:
            return True, f"quote {short(quote)}, create {short(create)}"
        error = project.get("error") or {}
        rendered = any(s.get("name") == "render" and s.get("status") != "queued" for s in project.get("steps", []))
        return False, (f"quote {quote.status_code}, create {create.status_code}; project {project.get('status')}"
                       f" {error.get('code', '')}, render ran={rendered}")

    report.check("5", "banner sizes ['1080x1080'] * 40", "refused up front (4xx), no render", refused)

    def no_sql() -> tuple[bool, str]:
        texts = error_text(quote) + error_text(create) + json.dumps(project.get("error") or {})
        found = has_sql(texts)
        error = project.get("error") or {}
        where = f"project error {error.get('code')}" if error else "refusal bodies"
        return not found, f"{where}: SQL words {found}" if found else f"{where}: no SQL"

    report.check("5", "read the failure's message", "no SQL, parameters or storage keys", no_sql)


# ---------------------------------------------------------------------------- item 4: credits


def autopilot_row(report: Report, a: Server, t2: Tenant, deadline: float) -> None:
    """10 parallel autopilot banner runs on a workspace that can afford exactly 2."""
    def probe() -> tuple[bool, str]:
        with api(a) as client:
            campaign = client.post("/campaigns", json=BRIEF, headers=t2.w).json()["id"]
            options = {"sizes": ["300x250"], "formats": ["png"]}
            price = client.post("/credits/quote", json={"campaign_id": campaign, "kind": "banner",
                                                        "options": options}, headers=t2.r).json()["total"]
            a.cli("credits", "grant", str(2 * price), "--workspace", t2.workspace)
            body = {"campaign_id": campaign, "kind": "banner", "options": options, "autopilot": True}
            with ThreadPoolExecutor(10) as pool:
                responses = list(pool.map(lambda _: client.post("/projects", json=body, headers=t2.w), range(10)))
            accepted = [r.json()["id"] for r in responses if r.status_code == 201]
            refused = sum(r.status_code == 402 for r in responses)
            finals = [wait_rest(client, t2.w, pid, deadline).get("status") for pid in accepted]
            balance = client.get("/credits/balance", headers=t2.r).json()
        spent = 2 * price - balance["available"] - balance["held"]
        completed = finals.count("completed")
        ok = (len(accepted) <= 2 and refused == 10 - len(accepted) and completed == len(accepted)
              and spent == completed * price and balance["held"] == 0)
        return ok, (f"price {price}: {len(accepted)} started, {refused} refused 402; {completed} completed, "
                    f"{finals.count('failed')} failed; spent {spent}/{2 * price}, held {balance['held']}")

    report.check("4", "10 parallel autopilot banner runs, credits for 2",
                 "<= 2 complete, rest 402, nothing spent on refused", probe)


# ---------------------------------------------------------------------------- items 6, 7, 8: sessions


def password_tail(server: Server, email: str, database_url: str) -> str:
    """The last 12 characters of the user's argon2 hash, read as the operator (the database)."""
    from sqlalchemy import create_engine, text

    url = database_url or f"sqlite:///{server.env['ADLOOM_DATA_DIR']}/adloom.db"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            value = conn.execute(text("SELECT password_hash FROM users WHERE email = :e"), {"e": email}).scalar()
    finally:
        engine.dispose()
    return str(value or "")[-12:]


def cookie_payload(cookie: str) -> str:
    """What an itsdangerous cookie carries, readable without the key."""
    from itsdangerous import URLSafeTimedSerializer

    try:
        _, payload = URLSafeTimedSerializer("unknown", salt="adloom.session").loads_unsafe(cookie)
    except Exception:  # noqa: BLE001 -- not an itsdangerous cookie: nothing to decode
        payload = None
    return json.dumps(payload) if payload is not None else ""


def forged_cookie(payload_json: str) -> str:
    from itsdangerous import URLSafeTimedSerializer

    payload = json.loads(payload_json) if payload_json else {"uid": "x"}
    return URLSafeTimedSerializer(WEAK_KEY, salt="adloom.session").dumps(payload)


def session_rows(report: Report, a: Server, t1: Tenant, campaign: str, database_url: str) -> None:
    """Signed in as T1 in the dashboard: cookie contents, forgery, Origin, offsets, sign-out."""
    with browser(a) as client:
        signed = sign_in(client, t1.email, t1.password)
        cookie = session_cookie(client)
        if signed.status_code != 303 or not cookie:
            report.add("6", "sign in to the dashboard", "303 and a session cookie", short(signed), False)
            return
        payload = cookie_payload(cookie)

        def tail_probe() -> tuple[bool, str]:
            tail = password_tail(a, t1.email, database_url)
            found = bool(tail) and (tail in cookie or tail in payload)
            return not found, f"hash tail {'found' if found else 'absent'}; payload keys {sorted(json.loads(payload)) if payload else '?'}"

        report.check("6", "decode the session cookie", "no part of the argon2 hash", tail_probe)

        def forge_probe() -> tuple[bool, str]:
            opened, status = opens_dashboard(a, forged_cookie(payload))
            return not opened, f"/dashboard answered {status}"

        report.check("7", f"cookie forged with '{WEAK_KEY}'", "does not open /dashboard", forge_probe)
        report.check("11", "huge offset on the hub's 'show all'", "not 5xx", lambda: offset_probe(a, cookie, campaign))
        report.check("11", "POST with a foreign Origin and a valid session+CSRF", "403",
                     lambda: origin_probe(client, t1.workspace))

        def logout_probe() -> tuple[bool, str]:
            token = csrf_of(client.get("/dashboard").text)
            out = client.post("/logout", data={"csrf_token": token}, headers={"X-CSRF-Token": token})
            opened, status = opens_dashboard(a, cookie)
            return not opened, f"logout {out.status_code}; old cookie -> /dashboard {status}"

        report.check("6", "reuse the cookie after POST /logout", "/dashboard refused (303 to sign-in or 401)",
                     logout_probe)


def offset_probe(server: Server, cookie: str, campaign: str) -> tuple[bool, str]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT, follow_redirects=False, headers=NO_REUSE) as client:
        client.cookies.set("adloom_session", cookie, domain="127.0.0.1")
        response = client.get(f"/dashboard/campaigns/{campaign}/assets/banner",
                              params={"offset": "100000000000000000000"})
    return response.status_code < 500, str(response.status_code)


def origin_probe(client: httpx.Client, workspace: str) -> tuple[bool, str]:
    token = csrf_of(client.get("/dashboard").text)
    response = client.post("/dashboard/workspace", data={"workspace_id": workspace, "csrf_token": token},
                           headers={"Origin": "http://evil.example", "X-CSRF-Token": token})
    return response.status_code == 403, str(response.status_code)


def weak_key_row(report: Report, c: Server) -> None:
    def probe() -> tuple[bool, str]:
        ready = c.wait_ready(25)
        if ready:
            c.stop()
            return False, "started and served /healthz"
        code = c.process.poll() if c.process else None
        if code is None:
            c.stop()
            return False, "neither started nor exited within 25 s"
        named = "ADLOOM_SECRET_KEY" in c.log_text()
        return code != 0 and named, f"exit {code}; message names ADLOOM_SECRET_KEY: {named}"

    report.check("7", f"adloom serve with ADLOOM_SECRET_KEY={WEAK_KEY}", "refuses to start, names the variable",
                 probe)


def key_file_row(report: Report, a: Server) -> None:
    def probe() -> tuple[bool, str]:
        folder = Path(a.env["ADLOOM_DATA_DIR"])
        candidates = [p for p in folder.iterdir() if p.is_file() and ("secret" in p.name or p.suffix == ".key")]
        if not candidates:
            return False, "no secret key file in the data dir"
        modes = {p.name: oct(p.stat().st_mode & 0o777) for p in candidates}
        return all(m == "0o600" for m in modes.values()), ", ".join(f"{n} {m}" for n, m in modes.items())

    report.check("7", "no ADLOOM_SECRET_KEY set", "a generated key kept in the data dir, mode 0600", probe)


def throttle_rows(report: Report, a: Server) -> None:
    """Per-account throttle, the timing of unknown e-mails, weak passwords at sign-up."""
    with browser(a) as client:
        victim, password = f"victim-{uuid.uuid4().hex[:6]}@redteam.example", strong_password()
        timing_user = f"timing-{uuid.uuid4().hex[:6]}@redteam.example"
        made = [sign_up(client, email, password).status_code for email in (victim, timing_user)]
        if made != [303, 303]:
            report.add("8", "sign up two accounts", "303", str(made), False)
            return

        def throttle_probe() -> tuple[bool, str]:
            with browser(a) as attacker:
                answers = [sign_in(attacker, victim, f"wrong-{i}-password") for i in range(40)]
                right = sign_in(attacker, victim, password)
            counts: dict[int, int] = {}
            for response in answers:
                counts[response.status_code] = counts.get(response.status_code, 0) + 1
            retry = [r.headers.get("retry-after") for r in answers if r.status_code == 429]
            ok = bool(retry) and all(retry)
            return ok, f"statuses {counts}, Retry-After {retry[:1]}; then the right password -> {right.status_code}"

        report.check("8", "40 wrong passwords in a row for one account", "429 with Retry-After appears",
                     throttle_probe)

        def timing_probe() -> tuple[bool, str]:
            known: list[float] = []
            unknown: list[float] = []
            with browser(a) as attacker:
                for i in range(3):
                    for email, bucket in ((timing_user, known),
                                          (f"nobody-{uuid.uuid4().hex[:8]}@redteam.example", unknown)):
                        started = time.perf_counter()
                        sign_in(attacker, email, f"wrong-{i}-password")
                        bucket.append(time.perf_counter() - started)
            k, u = statistics.median(known), statistics.median(unknown)
            ratio = max(k, u) / max(min(k, u), 1e-6)
            return ratio <= 3, f"known {k * 1000:.0f} ms, unknown {u * 1000:.0f} ms (x{ratio:.1f})"

        report.check("8", "sign-in timing, known vs unknown e-mail", "within 3x", timing_probe)

    for label, weak in (("'password'", "password"), ("eight spaces", " " * 8), ("9 characters", "Abcdefg1!")):
        def weak_probe(weak: str = weak) -> tuple[bool, str]:
            with browser(a) as fresh:
                response = sign_up(fresh, f"weak-{uuid.uuid4().hex[:6]}@redteam.example", weak)
            return 400 <= response.status_code < 500, str(response.status_code)

        report.check("8", f"sign up with the password {label}", "refused 4xx", weak_probe)


def address_throttle_row(report: Report, b: Server) -> None:
    def probe() -> tuple[bool, str]:
        with browser(b) as attacker:
            answers = [sign_in(attacker, f"spray-{i}-{uuid.uuid4().hex[:4]}@redteam.example", "Wrong-password-1")
                       for i in range(30)]
        limited = [r for r in answers if r.status_code == 429]
        first = next((i for i, r in enumerate(answers) if r.status_code == 429), None)
        ok = bool(limited) and all(r.headers.get("retry-after") for r in limited)
        return ok, f"{len(limited)} of 30 answered 429 (first at #{first})"

    report.check("8", "30 sign-ins for 30 e-mails from one address (default 20/min)",
                 "429 with Retry-After appears", probe)


def cookie_secure_row(report: Report, b: Server) -> None:
    def probe() -> tuple[bool, str]:
        # The sign-in page already sets the session cookie (its CSRF token); a client never sends a
        # Secure cookie back over http, so the page's own Set-Cookie is the one to read.
        with browser(b) as client:
            response = client.get("/login")
        cookies = [v for k, v in response.headers.multi_items() if k.lower() == "set-cookie"]
        session = [c for c in cookies if c.startswith("adloom_session=")]
        secure = bool(session) and all("secure" in (a.strip().lower() for a in c.split(";")[1:]) for c in session)
        return secure, f"{len(session)} session cookie(s) set; Secure flag {'set' if secure else 'missing'}"

    report.check("11", "ADLOOM_COOKIE_SECURE=true, open the sign-in page over http", "session cookie has Secure",
                 probe)


# ---------------------------------------------------------------------------- items 9, 11: secrets, edits


def webhook_secret_row(report: Report, b: Server, tb: Tenant, receiver: Receiver) -> None:
    def probe() -> tuple[bool, str]:
        with api(b) as client:
            hook = create_hook(client, tb, f"http://127.0.0.1:{receiver.port}/secret")
            secret = str(hook.get("secret") or "")
            listed = client.get("/webhooks", headers=tb.r).text
            one = client.get(f"/webhooks/{hook['id']}", headers=tb.r).text
        leaked = bool(secret) and (secret in listed or secret in one)
        return bool(secret) and not leaked, (f"secret at creation: {'yes' if secret else 'no'}; "
                                             f"read key sees it in list/get: {leaked}")

    report.check("9", "read-only key lists webhooks", "secret shown once at creation, masked after", probe)


def metrics_rows(report: Report, b: Server) -> None:
    token = b.env["ADLOOM_METRICS_TOKEN"]
    report.check("11", "GET /metrics without the configured token", "401/403",
                 lambda: _status_in(httpx.get(f"{b.url}/metrics", timeout=TIMEOUT), (401, 403)))
    report.check("11", "GET /metrics with the token", "200",
                 lambda: _status_in(httpx.get(f"{b.url}/metrics", timeout=TIMEOUT,
                                              headers={"Authorization": f"Bearer {token}"}), (200,)))


def _status_in(response: httpx.Response, wanted: tuple[int, ...]) -> tuple[bool, str]:
    return response.status_code in wanted, str(response.status_code)


def soundfont_rows(report: Report, client: httpx.Client, t1: Tenant, started: dict[str, httpx.Response],
                   deadline: float) -> None:
    """Each probe path must be refused with one and the same message (the path itself aside)."""
    messages: dict[str, str] = {}
    for path, response in started.items():
        if response.status_code == 201:
            project = wait_rest(client, t1.w, response.json()["id"], deadline)
            error = project.get("error") or {}
            messages[path] = (f"{project.get('status')}: {error.get('message', '')}" if project.get("status") != "completed"
                              else "completed (not refused)")
        else:
            messages[path] = f"{response.status_code}: {_message(response)}"

    def probe() -> tuple[bool, str]:
        normal = {p: m.replace(p, "<path>").replace(Path(p).name, "<path>") for p, m in messages.items()}
        same = len(set(normal.values())) == 1
        refused = all(not m.startswith(("2", "completed")) for m in messages.values())
        shown = "; ".join(f"{Path(p).name}: {m[:60]}" for p, m in normal.items())
        return same and refused, shown

    report.check("9", "jingle soundfont=/etc/passwd, /proc/self/environ, the db, /nonexistent/x.sf2",
                 "refused, one message for all", probe)


def _message(response: httpx.Response) -> str:
    try:
        error = response.json().get("error") or {}
        return str(error.get("message", ""))
    except (ValueError, AttributeError):
        return response.text[:200]


def start_soundfonts(client: httpx.Client, t1: Tenant, campaign: str, a: Server) -> dict[str, httpx.Response]:
    paths = ["/etc/passwd", "/proc/self/environ", f"{a.env['ADLOOM_DATA_DIR']}/adloom.db", "/nonexistent/x.sf2"]
    return {path: client.post("/projects", json={"campaign_id": campaign, "kind": "jingle", "autopilot": True,
                                                 "options": {"soundfont": path}}, headers=t1.w)
            for path in paths}


def scenes_patch_row(report: Report, client: httpx.Client, t1: Tenant, project_id: str, deadline: float) -> None:
    def probe() -> tuple[bool, str]:
        if not project_id:
            return False, "setup: the project was not created"
        project = wait_rest(client, t1.w, project_id, deadline)
        if project.get("status") != "scenes_ready":
            return False, f"setup: project rests at {project.get('status')}"
        response = client.patch(f"/projects/{project_id}/outputs/scenes", json={"scenes": {"x": {}}}, headers=t1.w)
        return 400 <= response.status_code < 500, short(response)

    report.check("11", 'PATCH outputs/scenes {"scenes":{"x":{}}}', "4xx, not 500", probe)


def emoji_voiceover_row(report: Report, client: httpx.Client, t1: Tenant, project_id: str, deadline: float) -> None:
    def probe() -> tuple[bool, str]:
        if not project_id:
            return False, "setup: the project was not created"
        project = wait_rest(client, t1.w, project_id, deadline)
        script = (project.get("outputs") or {}).get("script") or {}
        if project.get("status") != "script_ready" or not script.get("beats"):
            return False, f"setup: project rests at {project.get('status')}"
        beats = [{**beat, "voiceover": "🚀🔥✨"} for beat in script["beats"]]
        response = client.patch(f"/projects/{project_id}/outputs/script", json={"beats": beats}, headers=t1.w)
        return 400 <= response.status_code < 500, short(response)

    report.check("11", "video script edited to an emoji-only voiceover", "refused at edit time (4xx)", probe)


def odd_product_row(report: Report, client: httpx.Client, t1: Tenant, started: httpx.Response,
                    deadline: float) -> None:
    def probe() -> tuple[bool, str]:
        if started.status_code != 201:
            return 400 <= started.status_code < 500, f"refused up front {short(started)}"
        project = wait_rest(client, t1.w, started.json()["id"], deadline)
        error = project.get("error") or {}
        ok = project.get("status") == "completed" or (project.get("status") == "failed"
                                                      and error.get("code") != "internal_error")
        return ok, f"{project.get('status')} {error.get('code', '')} {str(error.get('message', ''))[:60]}".strip()

    report.check("11", "jingle for the product '§Å'", "no internal error", probe)


def nul_rows(report: Report, client: httpx.Client, t1: Tenant, campaign: str) -> None:
    yaml_brief = ('name: "Nul brief"\nproduct:\n  name: "Cold\\0Brew"\n'
                  '  description: "Small-batch cold brew concentrate, steeped 18 hours."\n')
    probes: list[tuple[str, str, Callable[[], httpx.Response]]] = [
        ("YAML brief with a NUL in product.name", "product.name",
         lambda: client.post("/campaigns/brief", content=yaml_brief.encode(),
                             headers={**t1.w, "Content-Type": "application/yaml"})),
        ("JSON brief with a NUL in brand.tagline", "brand.tagline",
         lambda: client.post("/campaigns", json={**BRIEF, "brand": {**BRIEF["brand"], "tagline": "a\x00b"}},
                             headers=t1.w)),
        ("PATCH campaign name with a NUL", "name",
         lambda: client.patch(f"/campaigns/{campaign}", json={"name": "Nul\x00name"}, headers=t1.w)),
        ("PATCH strategy audience with a NUL", "audience",
         lambda: client.patch(f"/campaigns/{campaign}/strategy", json={"audience": "a\x00b"}, headers=t1.w)),
    ]
    for attack, field_name, send in probes:
        def probe(send: Callable[[], httpx.Response] = send, field_name: str = field_name) -> tuple[bool, str]:
            response = send()
            named = field_name in response.text
            return 400 <= response.status_code < 500 and named, f"{short(response)}, names the field: {named}"

        report.check("11", attack, "4xx naming the field", probe)


def start_servers(root: Path, database_url: str) -> tuple[Server, Server, Server]:
    a = Server("a", base_env(root / "a", database_url=database_url, login_rate_address="10000/minute",
                             worker_threads="2"), root)
    b = Server("b", base_env(root / "b", webhook_allow_private="true", cookie_secure="true",
                             metrics_token=secrets.token_urlsafe(16)), root)
    c = Server("c", base_env(root / "c", secret_key=WEAK_KEY), root)
    for server in (a, b, c):
        Path(server.env["ADLOOM_DATA_DIR"]).mkdir(parents=True)
    a.start()
    b.start("--no-seed-demo")
    c.start("--no-seed-demo")
    for server in (a, b):
        if not server.wait_ready(90):
            raise RuntimeError(f"server {server.name} did not start:\n{server.log_text()[-2000:]}")
    return a, b, c


def run(report: Report, root: Path, database_url: str) -> None:
    receiver = Receiver()
    a, b, c = start_servers(root, database_url)
    try:
        replay(report, a, b, c, receiver, database_url)
    finally:
        for server in (a, b, c):
            server.stop()
        receiver.close()


def replay(report: Report, a: Server, b: Server, c: Server, receiver: Receiver, database_url: str) -> None:
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(make_tenant, a, "attacker", credits=1000), pool.submit(make_tenant, a, "autopilot"),
                   pool.submit(make_tenant, a, "ssrf"), pool.submit(make_tenant, b, "hooks")]
        weak_key_row(report, c)
        t1, t2, ts, tb = (future.result() for future in futures)
    deadline = time.monotonic() + SETTLE_SECONDS
    with ThreadPoolExecutor(2) as pool, api(a) as client:
        autopilot: Future[None] = pool.submit(autopilot_row, report, a, t2, deadline)
        campaign = client.post("/campaigns", json=BRIEF, headers=t1.w).json()["id"]
        background = start_projects(client, t1, campaign, a)
        quick_rows(report, a, b, t1, ts, tb, receiver, campaign, database_url)
        scenes_patch_row(report, client, t1, project_id(background.scenes), deadline)
        emoji_voiceover_row(report, client, t1, project_id(background.script), deadline)
        duplicate_sizes_rows(report, client, t1, background.duplicates, deadline)
        soundfont_rows(report, client, t1, background.soundfonts, deadline)
        odd_product_row(report, client, t1, background.odd, deadline)
        autopilot.result()
        nul_rows(report, client, t1, campaign)
    amplification_row(report, a, t1, campaign)
    yaml_bomb_row(report, a, t1)  # last: on unfixed code it keeps a core busy for a while
    report.add("10", "SIGKILL a worker mid-step", "step re-run elsewhere within 15 s",
               "covered by tests/spine/test_worker_kill.py", True)


@dataclass
class Background:
    """The projects started before the quick rows run, so that they work meanwhile."""

    duplicates: tuple[httpx.Response, httpx.Response]
    soundfonts: dict[str, httpx.Response]
    odd: httpx.Response
    scenes: httpx.Response
    script: httpx.Response


def start_projects(client: httpx.Client, t1: Tenant, campaign: str, a: Server) -> Background:
    odd_brief = {**BRIEF, "product": {**BRIEF["product"], "name": "§Å"}, "brand": {"name": "§Å", "tagline": "§Å"}}
    odd = client.post("/campaigns", json=odd_brief, headers=t1.w).json()["id"]
    return Background(
        duplicates=start_duplicate_sizes(client, t1, campaign),
        soundfonts=start_soundfonts(client, t1, campaign, a),
        odd=client.post("/projects", json={"campaign_id": odd, "kind": "jingle", "autopilot": True}, headers=t1.w),
        scenes=client.post("/projects", json={"campaign_id": campaign, "kind": "video", "until": "scenes_ready"},
                           headers=t1.w),
        script=client.post("/projects", json={"campaign_id": campaign, "kind": "video", "until": "script_ready"},
                           headers=t1.w),
    )


def project_id(response: httpx.Response) -> str:
    return str(response.json().get("id", "")) if response.status_code == 201 else ""


def quick_rows(report: Report, a: Server, b: Server, t1: Tenant, ts: Tenant, tb: Tenant, receiver: Receiver,
               campaign: str, database_url: str) -> None:
    """The rows that answer at once, run while the background projects work."""
    ssrf_subscriptions(report, a, ts, receiver)
    webhook_private_rows(report, b, tb, receiver)
    webhook_secret_row(report, b, tb, receiver)
    metrics_rows(report, b)
    cookie_secure_row(report, b)
    address_throttle_row(report, b)
    key_file_row(report, a)
    session_rows(report, a, t1, campaign, database_url)
    throttle_rows(report, a)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    parser.add_argument("--database-url", default="",
                        help="run server A on PostgreSQL (a throwaway schema in this database)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (server logs)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="adloom-redteam-"))
    report = Report()
    started = time.monotonic()
    try:
        if args.database_url:
            with pg_schema(args.database_url) as url:
                run(report, root, url)
        else:
            run(report, root, "")
    finally:
        if args.keep:
            print(f"server logs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(report.plain())
    print(f"({time.monotonic() - started:.0f} s, database: {'PostgreSQL' if args.database_url else 'SQLite'})")
    if args.markdown:
        print()
        print(report.markdown())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
