"""Helpers for the security tests: a runtime on a chosen database, dashboard clients, sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from factories import make_settings
from fastapi.testclient import TestClient

from adloom.app import create_app
from adloom.pipeline.runtime import Runtime

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a sturdy passphrase"


@contextmanager
def runtime_on(tmp_path: Path, **overrides: Any) -> Iterator[Runtime]:
    rt = Runtime(make_settings(tmp_path, **overrides), migrate=True)
    try:
        yield rt
    finally:
        rt.close()


def client_for(rt: Runtime, *, bind_host: str = "127.0.0.1", client: tuple[str, int] = ("testclient", 50000)) -> TestClient:
    app = create_app(rt.settings, runtime=rt, workers=False, bind_host=bind_host)
    return TestClient(app, follow_redirects=False, client=client)


def csrf_of(client: TestClient, url: str = "/login") -> str:
    match = CSRF.search(client.get(url).text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_up(client: TestClient, email: str, *, password: str = PASSWORD, **extra: str) -> Any:
    data = {"email": email, "password": password, "name": email.split("@")[0], "csrf_token": csrf_of(client),
            **extra}
    return client.post("/signup", data=data)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(client)})


def post(client: TestClient, url: str, data: dict[str, str] | None = None, *, page: str = "/dashboard/members",
         **kw: Any) -> Any:
    return client.post(url, data={"csrf_token": csrf_of(client, page), **(data or {})}, **kw)


def signed_in(client: TestClient) -> bool:
    """Does this client's cookie open the dashboard?"""
    response = client.get("/dashboard")
    assert response.status_code in (200, 303), response.status_code
    return response.status_code == 200


def replay(rt: Runtime, cookie: str) -> TestClient:
    """A fresh browser that carries only ``cookie`` (an attacker who copied it)."""
    other = client_for(rt)
    other.cookies.set("adloom_session", cookie)
    return other
