"""Schemathesis against the live OpenAPI schema (ASGI): no 5xx, no response that breaks the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from helpers_api import BRIEF, Env, auth, make_env
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture(scope="module")
def api_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    env = make_env(tmp_path_factory.mktemp("schemathesis"), welcome_credits=10_000, rate_limit=1_000_000)
    from fastapi.testclient import TestClient

    TestClient(env.app).post("/api/v1/campaigns", json=BRIEF, headers=auth(env.write_key))
    yield env
    env.rt.close()


def check_operation(operation: schemathesis.APIOperation, headers: dict[str, str], *, checks: list[Any] = CHECKS,
                    examples: int = 25) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_api_conforms_to_its_schema(api_env: Env) -> None:
    """Every operation, 25 generated cases each, called through the ASGI app with a write key.
    (The lazy ``schemathesis.pytest.from_fixture`` loader does not run under pytest 9, so the
    operations are walked here; any failure names its operation.)"""
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_env.app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 35
    for operation in operations:
        try:
            check_operation(operation, auth(api_env.write_key))
        except Exception as exc:  # noqa: BLE001 (collect them all, then fail once naming every operation)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_no_operation_ignores_a_missing_or_bad_key(api_env: Env) -> None:
    """Schemathesis' ignored_auth check: each secured operation, replayed without (or with a wrong)
    key, must answer 401."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_env.app)
    failures = []
    for operation in [result.ok() for result in schema.get_all_operations()]:
        try:
            check_operation(operation, auth(api_env.write_key), checks=[ignored_auth], examples=3)
        except Exception as exc:  # noqa: BLE001 (collect them all, then fail once naming every operation)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
