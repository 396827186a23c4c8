"""docs/dashboard.md maps every point of issue 17 to the tests that show it fixed; every test it
names must exist, or the table has rotted."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def issue17_section(doc: str) -> str:
    start = doc.index("## Issue 17, point by point")
    end = doc.find("\n## ", start + 1)
    return doc[start:] if end < 0 else doc[start:end]


def missing_tests(section: str, root: Path) -> list[str]:
    """Every ``path::test`` the section names that is not a test function defined in that file."""
    missing = []
    for path, name in NAMED.findall(section):
        source = root / path
        defined = ({node.name for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
                    if isinstance(node, ast.FunctionDef)} if source.exists() else set())
        if name not in defined:
            missing.append(f"{path}::{name}")
    return missing


def test_every_test_the_issue_17_table_names_exists() -> None:
    section = issue17_section((ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8"))
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`tests/" in line]
    assert len(rows) >= 35, "the table lost rows"
    assert all(NAMED.search(row) for row in rows)
    assert missing_tests(section, ROOT) == []


def test_a_renamed_or_missing_test_is_caught() -> None:
    section = ("## Issue 17, point by point\n| 1 | x | `tests/web/test_web_shell.py::test_no_such_test`, "
               "`tests/web/no_such_file.py::test_x`, "
               "`tests/web/test_web_shell.py::test_the_balance_and_the_processing_badge_are_on_every_page` |\n")
    assert missing_tests(section, ROOT) == ["tests/web/test_web_shell.py::test_no_such_test",
                                            "tests/web/no_such_file.py::test_x"]
