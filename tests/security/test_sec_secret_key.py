"""Issue item 7: no published secret key (a cookie forged with the old default signs nobody in),
a generated key kept in the data folder with mode 0600, weak keys refused at start-up, and the
demo user (published password) seeded only on loopback."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from factories import make_settings
from helpers_sec import client_for, runtime_on, sign_up, signed_in
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from adloom.accounts.models import User
from adloom.app import create_app
from adloom.errors import WeakSecretKey

ADLOOM = str(Path(sys.executable).parent / "adloom")


def test_a_cookie_forged_with_the_old_default_key_signs_nobody_in(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        browser = client_for(rt)
        sign_up(browser, "vic@example.com")
        with rt.db.session() as session:
            victim = session.scalars(select(User).where(User.email == "vic@example.com")).one()
            forged_data = {"uid": victim.id, "pw": victim.password_hash[-12:], "csrf": "x"}
        forged = URLSafeTimedSerializer("dev-insecure-change-me", salt="adloom.session").dumps(forged_data)
        attacker = client_for(rt)
        attacker.cookies.set("adloom_session", forged)
        assert not signed_in(attacker)


def test_without_a_key_one_is_generated_kept_private_and_reused(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        first = create_app(rt.settings, runtime=rt, workers=False)
        key_file = rt.settings.data_dir / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(first.state.secret_key) >= 64 and first.state.secret_key == key_file.read_text().strip()
        again = create_app(rt.settings, runtime=rt, workers=False)
        assert again.state.secret_key == first.state.secret_key  # sessions survive a restart


@pytest.mark.parametrize("key", ["dev-insecure-change-me", "changeme", "secret", "a-31-character-key-xxxxxxxxxxxx",
                                 "a" * 40])
def test_weak_keys_stop_the_app(tmp_path: Path, key: str) -> None:
    with pytest.raises(WeakSecretKey, match="ADLOOM_SECRET_KEY"):
        create_app(make_settings(tmp_path, secret_key=key), workers=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_refuses_to_start_with_a_weak_key(tmp_path: Path) -> None:
    env = {**os.environ, "ADLOOM_DATA_DIR": str(tmp_path / "data"), "ADLOOM_SECRET_KEY": "changeme"}
    # A server that starts anyway would run until the timeout, which fails the test.
    result = subprocess.run([ADLOOM, "serve", "--port", str(_free_port())], env=env, capture_output=True, text=True, check=False,
                            timeout=60)
    assert result.returncode == 2
    assert "ADLOOM_SECRET_KEY" in result.stderr + result.stdout


def test_serve_on_a_public_interface_does_not_seed_the_demo_user(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ADLOOM_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen([ADLOOM, "serve", "--host", "0.0.0.0", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "adloom serve did not start"
                time.sleep(0.3)
        page = httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        login = httpx.post(f"http://127.0.0.1:{port}/login", cookies=page.cookies,
                           data={"email": "demo@adloom.local", "password": "adloom-demo", "csrf_token": token})
        assert login.status_code == 401
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "demo@adloom.local" not in output
