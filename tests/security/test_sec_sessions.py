"""Issue item 6: sessions end on the server (sign-out, password change, sign out everywhere, an
owner's sign-out of a member), and the cookie carries no part of the password hash."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from helpers_sec import PASSWORD, client_for, post, replay, runtime_on, sign_in, sign_up, signed_in
from sqlalchemy import select

from adloom.accounts import service as accounts
from adloom.accounts.models import User


def _cookie_payload(cookie: str) -> dict[str, object]:
    """The (signed, not encrypted) JSON inside an itsdangerous cookie."""
    assert not cookie.startswith(".")  # a leading dot would mean zlib-compressed
    body = cookie.split(".")[0]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    loaded: dict[str, object] = json.loads(raw)
    return loaded


def test_logout_ends_the_session_on_the_server(tmp_path: Path, database_url: str) -> None:
    with runtime_on(tmp_path, database_url=database_url) as rt:
        browser = client_for(rt)
        assert sign_up(browser, "lea@example.com").status_code == 303
        stolen = browser.cookies["adloom_session"]
        assert post(browser, "/logout", page="/dashboard").status_code == 303
        assert not signed_in(browser)
        assert not signed_in(replay(rt, stolen))  # the copied cookie no longer opens the dashboard


def test_the_cookie_carries_only_a_random_session_token(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        browser = client_for(rt)
        sign_up(browser, "max@example.com")
        payload = _cookie_payload(browser.cookies["adloom_session"])
        with rt.db.session() as session:
            user = session.scalars(select(User).where(User.email == "max@example.com")).one()
            password_hash, user_id = user.password_hash, user.id
        text = json.dumps(payload)
        assert password_hash[-12:] not in text and user_id not in text
        assert set(payload) <= {"sid", "csrf", "ws"} and len(str(payload["sid"])) >= 40


def test_password_change_ends_every_other_session_and_keeps_this_browser(tmp_path: Path, database_url: str) -> None:
    with runtime_on(tmp_path, database_url=database_url) as rt:
        laptop, phone = client_for(rt), client_for(rt)
        sign_up(laptop, "ida@example.com")
        assert sign_in(phone, "ida@example.com").status_code == 303
        old_laptop_cookie = laptop.cookies["adloom_session"]
        changed = post(laptop, "/dashboard/account/password",
                       {"current_password": PASSWORD, "new_password": "an entirely new passphrase"})
        assert changed.status_code == 303, changed.text[:500]
        assert signed_in(laptop)  # a fresh session for the browser that made the change
        assert not signed_in(phone)
        assert not signed_in(replay(rt, old_laptop_cookie))
        with rt.db.session() as session:
            user = session.scalars(select(User).where(User.email == "ida@example.com")).one()
            assert accounts.verify_password(user.password_hash, "an entirely new passphrase")


def test_password_change_needs_the_current_password(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        browser = client_for(rt)
        sign_up(browser, "ole@example.com")
        refused = post(browser, "/dashboard/account/password",
                       {"current_password": "not my password", "new_password": "an entirely new passphrase"})
        assert refused.status_code == 401 and "current password is not right" in refused.text
        assert signed_in(browser)


def test_sign_out_of_all_devices(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        laptop, phone = client_for(rt), client_for(rt)
        sign_up(laptop, "noa@example.com")
        sign_in(phone, "noa@example.com")
        assert post(phone, "/dashboard/account/sign-out-everywhere").status_code == 303
        assert not signed_in(phone) and not signed_in(laptop)


def test_an_owner_signs_out_a_member_and_only_a_member(tmp_path: Path, database_url: str) -> None:
    with runtime_on(tmp_path, database_url=database_url) as rt:
        owner, member, stranger = client_for(rt), client_for(rt), client_for(rt)
        sign_up(owner, "own@example.com")
        sign_up(stranger, "out@example.com")
        with rt.db.session() as session:
            owner_user = session.scalars(select(User).where(User.email == "own@example.com")).one()
            workspace = accounts.get_workspace_or_raise(session, accounts.memberships(session, user_id=owner_user.id)[0].workspace_id)
            editor = accounts.create_user(session, email="mem@example.com", password=PASSWORD, workspace=workspace,
                                          role="editor")
            editor_id = editor.id
            stranger_id = session.scalars(select(User.id).where(User.email == "out@example.com")).one()
        sign_in(member, "mem@example.com")
        assert signed_in(member)
        assert post(owner, f"/dashboard/members/{stranger_id}/sign-out").status_code == 404
        assert signed_in(stranger)
        assert post(member, f"/dashboard/members/{owner_user.id}/sign-out").status_code == 403  # editors cannot
        assert post(owner, f"/dashboard/members/{editor_id}/sign-out").status_code == 303
        assert not signed_in(member) and signed_in(owner)
