"""Dependency direction between Adloom's layers, checked by walking every module's imports.

STYLE.md's direction is web/api -> services -> pipeline -> generators -> render/providers/storage.
Every ``import`` and ``from … import`` is read with :mod:`ast`, including those inside functions
(a function-level import is still a dependency; it only hides a cycle from the interpreter).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import adloom

ROOT = Path(adloom.__file__).resolve().parent
SERVICES = ("accounts", "brands", "campaigns", "projects", "credits", "webhooks", "strategy")
FACES = ("web", "api")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> Iterator[str]:
    """Every adloom module (or name in one) that ``path`` imports, wherever the import sits."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield first.value


@lru_cache(maxsize=1)
def import_edges() -> tuple[tuple[str, str], ...]:
    """(importing module, imported adloom name) for every module under src/adloom."""
    edges: set[tuple[str, str]] = set()
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.relative_to(ROOT).parts[:1]:
            continue  # Alembic's env and revisions load every table by design
        source = module_name(path)
        edges.update((source, name) for name in imported_names(path) if name.startswith("adloom."))
    return tuple(sorted(edges))


def top(name: str) -> str:
    """The top-level subpackage (or module) of adloom a dotted name belongs to."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def violations(sources: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted({f"{a} imports {b}" for a, b in import_edges() if top(a) in sources and top(b) in forbidden})


def package_cycles() -> list[list[str]]:
    """Strongly connected groups of more than one top-level subpackage (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for a, b in import_edges():
        if top(a) != top(b):
            graph.setdefault(top(a), set()).add(top(b))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while (member := stack.pop()) != node:
                group.append(member)
            group.append(node)
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def edges_within(group: list[str]) -> list[str]:
    return sorted({f"{a} -> {b}" for a, b in import_edges() if top(a) in group and top(b) in group
                   and top(a) != top(b)})


def test_the_walk_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    # the walker itself: an import inside a function counts, a relative import is resolved
    module = ROOT / "pipeline" / "engine.py"
    names = set(imported_names(module))
    assert "adloom.projects.models" in names
    assert top("adloom.web.errors") == "web" and top("adloom.cli") == "cli"
    assert any(b.startswith("adloom.") for _, b in import_edges())


def test_render_knows_nothing_of_assets_or_the_database() -> None:
    assert violations(("render",), ("assets", "db")) == []


def test_services_pipeline_and_assets_never_import_the_faces() -> None:
    assert violations((*SERVICES, "pipeline", "assets"), FACES) == []


def test_no_cycle_between_top_level_packages() -> None:
    cycles = package_cycles()
    assert cycles == [], "\n".join(f"{group}:\n  " + "\n  ".join(edges_within(group)) for group in cycles)


def kind_of(name: str) -> str | None:
    """The asset kind folder a dotted name lives in (``adloom.assets.<kind>.…``), if any."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[1] == "assets" and (ROOT / "assets" / parts[2]).is_dir():
        return parts[2]
    return None


def cross_kind_imports(edges: tuple[tuple[str, str], ...]) -> list[str]:
    """Edges from one kind's folder into another's: what two kinds share belongs in render/
    (the music engine), writer/ (copy) or assets/ itself (the seam), never in a sibling."""
    return sorted({f"{a} imports {b}" for a, b in edges
                   if (ka := kind_of(a)) and (kb := kind_of(b)) and ka != kb})


def test_the_cross_kind_check_catches_a_kind_reaching_into_another() -> None:
    bad = (("adloom.assets.video.soundtrack", "adloom.assets.jingle.bed.render_bed"),
           ("adloom.assets.banner.generator", "adloom.assets.flyer"),
           ("adloom.assets.video.plan", "adloom.assets.video.models"),
           ("adloom.assets.banner.spec", "adloom.assets.kind"),
           ("adloom.assets.registry", "adloom.assets.jingle.spec"))
    assert cross_kind_imports(bad) == ["adloom.assets.banner.generator imports adloom.assets.flyer",
                                       "adloom.assets.video.soundtrack imports adloom.assets.jingle.bed.render_bed"]


def test_no_asset_kind_imports_another_kinds_folder() -> None:
    assert cross_kind_imports(import_edges()) == []
