"""Issue item 8: sign-in is throttled per account and per address (429 with Retry-After, shared
through Redis), unknown e-mails cost as much time as known ones, weak passwords are refused
everywhere a password is chosen, and sign-up follows ADLOOM_SIGNUP."""

from __future__ import annotations

import statistics
import time
import uuid
from pathlib import Path

import pytest
from factories import REDIS_URL
from helpers_sec import PASSWORD, client_for, csrf_of, post, runtime_on, sign_in, sign_up, signed_in
from sqlalchemy import func, select
from typer.testing import CliRunner

from adloom.accounts import membership as people
from adloom.accounts import service as accounts
from adloom.accounts.models import User
from adloom.cli import app as cli_app
from adloom.errors import WeakPassword


def test_failed_sign_ins_are_throttled_per_account_even_for_the_right_password(tmp_path: Path) -> None:
    with runtime_on(tmp_path, login_rate_account="3/minute") as rt:
        browser = client_for(rt)
        sign_up(browser, "acc@example.com")
        guesser = client_for(rt)
        codes = [sign_in(guesser, "acc@example.com", f"wrong guess {n}").status_code for n in range(3)]
        assert codes == [401, 401, 401]
        blocked = sign_in(guesser, "acc@example.com", PASSWORD)
        assert blocked.status_code == 429 and 0 < int(blocked.headers["retry-after"]) <= 60
        assert "Too many failed sign-ins" in blocked.text
        assert not signed_in(guesser)


def test_failed_sign_ins_are_throttled_per_client_address(tmp_path: Path) -> None:
    with runtime_on(tmp_path, login_rate_address="4/minute") as rt:
        sprayer = client_for(rt, client=("203.0.113.7", 4000))
        codes = [sign_in(sprayer, f"user{n}@example.com", "wrong guess").status_code for n in range(5)]
        assert codes == [401, 401, 401, 401, 429]
        elsewhere = client_for(rt, client=("198.51.100.9", 4000))
        assert sign_in(elsewhere, "user9@example.com", "wrong guess").status_code == 401


@pytest.mark.redis
def test_the_throttle_is_shared_by_every_process_through_redis(tmp_path: Path) -> None:
    if not REDIS_URL:
        pytest.skip("ADLOOM_TEST_REDIS_URL is not set")
    email = f"shared-{uuid.uuid4().hex[:8]}@example.com"  # Redis outlives the test: a fresh key
    with runtime_on(tmp_path, queue_url=REDIS_URL, login_rate_account="2/minute") as rt:
        first, second = client_for(rt), client_for(rt)  # two apps: two web processes
        assert sign_in(first, email, "wrong guess").status_code == 401
        assert sign_in(first, email, "wrong guess").status_code == 401
        assert sign_in(second, email, "wrong guess").status_code == 429


def test_sign_ups_are_throttled_per_address(tmp_path: Path) -> None:
    with runtime_on(tmp_path, login_rate_address="2/minute") as rt:
        browser = client_for(rt)
        codes = [sign_up(browser, f"new{n}@example.com").status_code for n in range(3)]
        assert codes == [303, 303, 429]


def test_unknown_emails_take_as_long_as_known_ones(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        with rt.db.session() as session:
            accounts.create_user(session, email="known@example.com", password=PASSWORD)

        def median_seconds(email: str) -> float:
            times = []
            for _ in range(7):
                with rt.db.session() as session:
                    start = time.perf_counter()
                    assert accounts.authenticate(session, email=email, password="wrong guess") is None
                    times.append(time.perf_counter() - start)
            return statistics.median(times)

        known, unknown = median_seconds("known@example.com"), median_seconds("nobody@example.com")
        assert unknown >= 0.5 * known, (unknown, known)


WEAK = ["password", " " * 8, " " * 12, "qwerty123456", "Password123", "iloveyou2024", "1234567890"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_at_sign_up(tmp_path: Path, password: str) -> None:
    with runtime_on(tmp_path) as rt:
        response = sign_up(client_for(rt), "weak@example.com", password=password)
        assert response.status_code == 422
        with rt.db.session() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 0


def test_weak_passwords_are_refused_at_change_reset_and_in_the_cli(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        browser = client_for(rt)
        sign_up(browser, "pat@example.com")
        change = post(browser, "/dashboard/account/password", {"current_password": PASSWORD, "new_password": "password1"})
        assert change.status_code == 422 and "at least 10" in change.text
        with rt.db.session() as session:
            token = people.start_password_reset(session, email="pat@example.com")
        assert token
        with rt.db.session() as session, pytest.raises(WeakPassword):
            people.finish_password_reset(session, token=token, password="qwertyuiop")
        env = {"ADLOOM_DATA_DIR": str(rt.settings.data_dir)}
        result = CliRunner().invoke(cli_app, ["users", "create", "--email", "cli@example.com", "--password",
                                              "letmein123", "--json"], env=env)
        assert result.exit_code == 2 and "weak_password" in result.output
        for n, password in enumerate(["adloom-demo", "correct horse battery", "long-enough"]):  # still fine
            assert sign_up(client_for(rt), f"ok{n}@example.com", password=password).status_code == 303


def test_sign_up_is_closed_by_default_on_a_public_interface(tmp_path: Path) -> None:
    with runtime_on(tmp_path) as rt:
        public = client_for(rt, bind_host="0.0.0.0")
        assert "does not take new sign-ups" in public.get("/signup").text
        response = public.post("/signup", data={"email": "x@example.com", "password": PASSWORD,
                                                "csrf_token": csrf_of(public)})
        assert response.status_code == 403 and "does not take new sign-ups" in response.text
        with rt.db.session() as session:
            assert session.scalar(select(func.count()).select_from(User)) == 0
        assert sign_up(client_for(rt, bind_host="127.0.0.1"), "local@example.com").status_code == 303


def test_invite_only_sign_up_needs_the_invitation_for_that_email(tmp_path: Path) -> None:
    with runtime_on(tmp_path, signup="invite", welcome_credits=0) as rt:
        with rt.db.session() as session:
            owner = accounts.create_user(session, email="boss@example.com", password=PASSWORD)
            workspace_id = accounts.memberships(session, user_id=owner.id)[0].workspace_id
            token = people.invite(session, workspace_id=workspace_id, email="new@example.com", role="editor",
                                  invited_by=owner.id)
        assert sign_up(client_for(rt), "new@example.com").status_code == 403
        assert sign_up(client_for(rt), "other@example.com", invite=token).status_code == 403
        invited = client_for(rt)
        assert sign_up(invited, "new@example.com", invite=token).status_code == 303
        assert signed_in(invited)
