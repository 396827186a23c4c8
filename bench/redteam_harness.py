"""The machinery of bench/redteam.py: the result table, ``adloom serve`` processes, tenants set up
with the CLI, a loopback receiver, and small HTTP helpers for the API and the dashboard.

Nothing here attacks anything; the attacks live in ``redteam.py``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

SQL_WORDS = ("SELECT", "INSERT", "UPDATE", "sqlite", "psycopg")
RESTING = frozenset({"ideas_ready", "script_ready", "scenes_ready", "completed", "failed", "cancelled"})
TIMEOUT = httpx.Timeout(20.0, connect=5.0)

# ---------------------------------------------------------------------------- the table


@dataclass
class Row:
    """One replayed attack and what the server did."""

    item: str
    attack: str
    expected: str
    observed: str
    ok: bool


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: str, attack: str, expected: str, observed: str, ok: bool) -> None:
        with self.lock:
            self.rows.append(Row(item, attack, expected, observed, ok))

    def check(self, item: str, attack: str, expected: str, probe: Callable[[], tuple[bool, str]]) -> None:
        """Run one probe; an exception in it is a failed row that says what broke."""
        try:
            ok, observed = probe()
        except Exception as exc:  # noqa: BLE001 -- a probe that breaks is a finding, not a crash
            ok, observed = False, f"probe error: {type(exc).__name__}: {str(exc)[:160]}"
        self.add(item, attack, expected, observed, ok)

    @property
    def failed(self) -> int:
        return sum(not row.ok for row in self.rows)

    def sorted_rows(self) -> list[Row]:
        def key(row: Row) -> tuple[int, str]:
            number = re.match(r"\d+", row.item)
            return (int(number.group()) if number else 99, row.item)

        return sorted(self.rows, key=key)

    def plain(self) -> str:
        headers = ("item", "attack", "expected", "observed", "result")
        cells = [(r.item, r.attack, r.expected, r.observed, "ok" if r.ok else "FAIL") for r in self.sorted_rows()]
        widths = [min(60, max(len(h), *(len(c[i]) for c in cells))) for i, h in enumerate(headers)]

        def line(values: tuple[str, ...]) -> str:
            return "  ".join(_clip(v, w).ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

        out = [line(headers), line(tuple("-" * w for w in widths))]
        out += [line(c) for c in cells]
        out.append(f"\n{len(cells) - self.failed} ok, {self.failed} FAIL of {len(cells)} rows")
        return "\n".join(out)

    def markdown(self) -> str:
        out = ["| item | attack | expected | observed | result |", "| --- | --- | --- | --- | --- |"]
        for r in self.sorted_rows():
            cells = (r.item, r.attack, r.expected, r.observed, "ok" if r.ok else "**FAIL**")
            out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
        return "\n".join(out)


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------- processes


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def adloom_command() -> list[str]:
    """The ``adloom`` console script next to this Python, else the CLI module through it."""
    script = Path(sys.executable).parent / "adloom"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from adloom.cli import app; sys.argv[0] = 'adloom'; app()"]


def base_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """This process's environment without any ADLOOM_ variable, plus the given settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADLOOM_")}
    env.update({"ADLOOM_DATA_DIR": str(data_dir), "ADLOOM_WELCOME_CREDITS": "0", "ADLOOM_LOG_LEVEL": "INFO"})
    env.update({f"ADLOOM_{k.upper()}": v for k, v in settings.items()})
    return env


@dataclass
class Server:
    """One ``adloom serve`` process on a loopback port."""

    name: str
    env: dict[str, str]
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"serve-{self.name}.log"

    def start(self, *extra: str) -> None:
        self.env["ADLOOM_BASE_URL"] = self.url
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [*adloom_command(), "serve", "--host", "127.0.0.1", "--port", str(self.port), *extra],
            env=self.env, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float) -> bool:
        """True once /healthz answers; False when the process exits or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        return False

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def cli(self, *args: str) -> Any:
        """Run ``adloom ARGS --json`` as the operator, with this server's settings."""
        done = subprocess.run([*adloom_command(), *args, "--json"], env=self.env, cwd=self.workdir,
                              capture_output=True, timeout=90, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"adloom {' '.join(args)} exited {done.returncode}: "
                               f"{done.stderr.decode(errors='replace')[-300:]}")
        return json.loads(done.stdout)


@dataclass
class Tenant:
    """A user with a workspace of their own, a write key and a read key."""

    email: str
    password: str
    workspace: str
    write: str
    read: str

    @property
    def w(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.write}"}

    @property
    def r(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.read}"}


def strong_password() -> str:
    return f"Rt-{secrets.token_urlsafe(12)}-harbour"


def make_tenant(server: Server, label: str, *, credits: int = 0) -> Tenant:
    """What an operator does for a new customer: a user, two API keys, a grant."""
    email, password = f"{label}-{uuid.uuid4().hex[:6]}@redteam.example", strong_password()
    user = server.cli("users", "create", "--email", email, "--password", password, "--role", "owner")
    workspace = str(user["workspace"])
    keys = [server.cli("apikey", "create", "--workspace", workspace, "--scope", scope, "--name", f"rt-{scope}",
                       "--rate-limit", "100000")["secret"] for scope in ("write", "read")]
    if credits:
        server.cli("credits", "grant", str(credits), "--workspace", workspace)
    return Tenant(email, password, workspace, str(keys[0]), str(keys[1]))


# ---------------------------------------------------------------------------- a loopback receiver


class Receiver:
    """The "internal service" of the SSRF rows: answers with a secret body, records every hit."""

    def __init__(self) -> None:
        self.marker = f"INTERNAL-SERVICE-BODY-{secrets.token_hex(8)}"
        self.hits: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                receiver.hits.append(self.path)
                if self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/redirected")
                    self.end_headers()
                    return
                body = receiver.marker.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hit(self, prefix: str) -> bool:
        return any(path.startswith(prefix) for path in list(self.hits))

    def close(self) -> None:
        self.server.shutdown()


# ---------------------------------------------------------------------------- HTTP helpers


# One connection per request: a server that crashes on a request drops the connection it answered
# on, and a reused one would fail the next, unrelated, row.
NO_REUSE = {"Connection": "close"}


def api(server: Server) -> httpx.Client:
    return httpx.Client(base_url=f"{server.url}/api/v1", timeout=TIMEOUT, headers=NO_REUSE)


def browser(server: Server) -> httpx.Client:
    """A dashboard client that sends its own Origin, as a browser does on every form post."""
    return httpx.Client(base_url=server.url, timeout=TIMEOUT, follow_redirects=False,
                        headers={"Origin": server.url, **NO_REUSE})


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(r'"X-CSRF-Token": "([^"]+)"', html)
    return match.group(1) if match else ""


def post_form(client: httpx.Client, page: str, fields: dict[str, str],
              headers: dict[str, str] | None = None) -> httpx.Response:
    """GET a page for its CSRF token, then POST its form the way the browser would.

    The session cookie is sent explicitly: with ``ADLOOM_COOKIE_SECURE`` it carries the Secure
    flag, which a client never returns over plain http, whereas the browser it stands for is
    behind TLS."""
    token = csrf_of(client.get(page).text)
    session = next((c.value for c in client.cookies.jar if c.name == "adloom_session" and c.value), None)
    sent = {**(headers or {}), **({"Cookie": f"adloom_session={session}"} if session else {})}
    return client.post(page, data={**fields, "csrf_token": token}, headers=sent)


def sign_up(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return post_form(client, "/signup", {"email": email, "password": password, "name": "Red Team",
                                         "workspace": "Red team", "invite": ""})


def sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    return post_form(client, "/login", {"email": email, "password": password, "next": "/dashboard"})


def opens_dashboard(server: Server, cookie: str) -> tuple[bool, int]:
    with httpx.Client(base_url=server.url, timeout=TIMEOUT, follow_redirects=False, headers=NO_REUSE) as client:
        client.cookies.set("adloom_session", cookie, domain="127.0.0.1")
        response = client.get("/dashboard")
        return response.status_code == 200, response.status_code


def wait_rest(client: httpx.Client, headers: dict[str, str], project_id: str, deadline: float) -> dict[str, Any]:
    """The project once it rests (a gate, completed, failed, cancelled) or at the deadline."""
    project: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = client.get(f"/projects/{project_id}", headers=headers)
        project = response.json()
        if response.status_code != 200 or project.get("status") in RESTING:
            return project
        time.sleep(0.5)
    return project


def error_text(response: httpx.Response) -> str:
    try:
        return json.dumps(response.json())
    except ValueError:
        return response.text


def short(response: httpx.Response) -> str:
    body = response.text
    code = ""
    try:
        error = response.json().get("error") or {}
        code = f" {error.get('code')}" if isinstance(error, dict) else ""
    except (ValueError, AttributeError):
        pass
    return f"{response.status_code}{code} ({len(body)} B)"


def session_cookie(client: httpx.Client) -> str:
    return str(client.cookies.get("adloom_session") or "")


def has_sql(text: str) -> list[str]:
    return [word for word in SQL_WORDS if word in text]


# ---------------------------------------------------------------------------- databases


@contextmanager
def pg_schema(base_url: str) -> Iterator[str]:
    """A throwaway schema in ``base_url`` for server A, dropped afterwards."""
    import psycopg

    schema = f"redteam_{uuid.uuid4().hex[:10]}"
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
