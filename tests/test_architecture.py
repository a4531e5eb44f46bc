"""The package's stages only import forward: the import graph of its subpackages has no cycle.

The graph is built from the source with ``ast`` (every ``import`` and ``from ... import``,
function-level and ``TYPE_CHECKING`` ones included), so a lazy import cannot hide a cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "auditkit"

# Each subpackage's stage; a package may import only packages of an earlier stage or its own.
# The shared kit is the top-level modules (``auditkit._config``, ``_area``, ``_io``...), the
# translations and the publishing gate.
STAGES: dict[str, int] = {
    "kit": 0,
    "i18n": 0,
    "privacy": 0,
    "engine": 0,  # reading and aggregating where the data lives, for every area
    "data": 1,
    "fairness": 1,
    "performance": 1,
    "explain": 1,
    "risk": 2,
    "review": 3,
    "report": 4,
    "register": 5,
    "tracking": 5,
    "cli": 6,
    "main": 7,  # ``python -m auditkit``
}
# Top-level modules that are not part of the shared kit, and their stage: baking a pilot writes
# its impact questionnaire (risk) and is used by the CLI only.
MODULE_STAGES: dict[str, int] = {"kit:scaffold": 5}
AREAS = ("data", "fairness", "performance", "explain")


def _node(module: str) -> str:
    """``auditkit.report._html`` -> ``report``; a top-level module is one node of the kit."""
    parts = module.split(".")
    if module == "auditkit.__main__":
        return "main"
    if len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return "kit:" + ".".join(parts[1:2]) if len(parts) > 1 else "kit:auditkit"


def _stage(node: str) -> int:
    return MODULE_STAGES.get(node, STAGES[node.partition(":")[0]])


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every auditkit module ``path`` imports, relative imports resolved."""
    found: set[str] = set()
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "auditkit")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], base]).strip(".")
            if base.split(".")[0] == "auditkit":
                found.add(base)
    return found


def import_graph() -> dict[str, dict[str, set[str]]]:
    """subpackage -> imported subpackage -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _node(_module_name(path))
        for module in _imports(path):
            target = _node(module)
            if target != source:
                graph[source][target].add(path.relative_to(PACKAGE.parent).as_posix())
    return graph


def _cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Every elementary cycle found by a depth-first search (enough to name one per edge)."""
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, {})):
            if target == path[0]:
                found.append([*path, target])
            elif target not in path and target > path[0]:
                visit(target, [*path, target])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_every_subpackage_has_a_stage() -> None:
    """A new subpackage must be given its place in the stages."""
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages | {"kit", "main"} == set(STAGES)


def test_the_import_graph_has_no_cycle() -> None:
    """No subpackage reaches itself through its imports (lazy ones included)."""
    assert _cycles(import_graph()) == []


def test_stages_import_only_earlier_stages() -> None:
    """config -> areas -> decision -> review -> outputs -> tracking, never backwards."""
    backwards = [
        (source, target, sorted(files))
        for source, targets in import_graph().items()
        for target, files in targets.items()
        if _stage(target) > _stage(source)
    ]
    assert backwards == []


@pytest.mark.parametrize("area", AREAS)
def test_no_area_imports_another_area(area: str) -> None:
    """Areas share the kit, not each other."""
    others = set(AREAS) - {area}
    assert sorted(set(import_graph()[area]) & others) == []


def test_fairness_takes_the_shared_names_from_the_kit() -> None:
    """The metric row and the missing label are spelled once, in the kit; fairness imports them."""
    from auditkit import _area
    from auditkit.fairness import _core, _stats

    assert _core.METRIC_ROW_KEYS is _area.METRIC_ROW_KEYS
    assert _stats.MISSING_LABEL is _area.MISSING_LABEL


def test_the_graph_sees_function_level_imports() -> None:
    """The parser counts an import inside a function (the check cannot be fooled by laziness)."""
    module = PACKAGE / "report" / "_context.py"
    assert "auditkit.report._decision" in _imports(module)
