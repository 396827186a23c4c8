from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from factories import make_settings, make_workspace

from adloom.credits import service as credits
from adloom.errors import InsufficientCredits, ValidationError
from adloom.pipeline.runtime import Runtime


@pytest.fixture
def db_rt(tmp_path: Path, database_url: str) -> Any:
    runtime = Runtime(make_settings(tmp_path, database_url=database_url), migrate=True)
    yield runtime
    runtime.close()


def _balances(rt: Any, ws: str) -> tuple[credits.Balance, credits.Balance]:
    with rt.db.session() as session:
        return credits.get_balance(session, workspace_id=ws), credits.ledger_sum(session, workspace_id=ws)


def test_fifty_concurrent_holds_of_three_against_thirty(db_rt: Any) -> None:
    ws = make_workspace(db_rt, credits=30)
    outcomes: list[str] = []
    barrier = threading.Barrier(50)

    def attempt(n: int) -> None:
        barrier.wait()
        try:
            with db_rt.db.session() as session:
                credits.hold(session, workspace_id=ws, amount=3, idempotency_key=f"race:{n}")
            outcomes.append("held")
        except InsufficientCredits:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("held") == 10 and outcomes.count("refused") == 40
    balance, from_ledger = _balances(db_rt, ws)
    assert balance == credits.Balance(available=0, held=30)
    assert from_ledger == balance


def test_hold_capture_release_are_each_applied_once(db_rt: Any) -> None:
    ws = make_workspace(db_rt, credits=20)
    with db_rt.db.session() as session:
        a = credits.hold(session, workspace_id=ws, amount=5, idempotency_key="a")
        again = credits.hold(session, workspace_id=ws, amount=5, idempotency_key="a")
        b = credits.hold(session, workspace_id=ws, amount=4, idempotency_key="b")
        assert again.id == a.id
        assert credits.capture(session, hold_id=a.id) is not None
        assert credits.capture(session, hold_id=a.id) is None
        assert credits.release(session, hold_id=a.id) is None  # a captured hold is never released
        assert credits.release(session, hold_id=b.id) is not None
        assert credits.capture(session, hold_id=b.id) is None
    balance, from_ledger = _balances(db_rt, ws)
    assert balance == credits.Balance(available=15, held=0) == from_ledger


def test_a_refused_hold_writes_nothing(db_rt: Any) -> None:
    ws = make_workspace(db_rt, credits=2)
    with pytest.raises(InsufficientCredits) as info, db_rt.db.session() as session:
        credits.hold(session, workspace_id=ws, amount=3, idempotency_key="too-much")
    assert (info.value.needed, info.value.available) == (3, 2)
    with db_rt.db.session() as session:
        assert [e.kind for e in credits.list_ledger(session, workspace_id=ws)] == ["grant"]


def test_grants_are_idempotent_and_positive(db_rt: Any) -> None:
    ws = make_workspace(db_rt, credits=0)
    with db_rt.db.session() as session:
        credits.grant(session, workspace_id=ws, amount=7, idempotency_key="g1")
        credits.grant(session, workspace_id=ws, amount=7, idempotency_key="g1")
        with pytest.raises(ValidationError):
            credits.grant(session, workspace_id=ws, amount=0, idempotency_key="g2")
    assert _balances(db_rt, ws)[0].available == 7


def test_the_check_constraint_backs_up_the_conditional_update(db_rt: Any) -> None:
    from sqlalchemy import update
    from sqlalchemy.exc import IntegrityError

    from adloom.credits.models import CreditAccount

    ws = make_workspace(db_rt, credits=1)
    with pytest.raises(IntegrityError), db_rt.db.session() as session:
        session.execute(update(CreditAccount).where(CreditAccount.workspace_id == ws).values(available=-1))
