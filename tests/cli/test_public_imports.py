"""The CLI uses other packages through their public ``__init__`` only (no private module)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[2] / "auditkit" / "cli"
PENDING: set[str] = set()


def _private_imports(path: Path) -> list[str]:
    """``auditkit.<package>._<module>`` imports of a package other than the CLI."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if (
                len(parts) >= 3
                and parts[0] == "auditkit"
                and parts[1] != "cli"
                and parts[2].startswith("_")
            ):
                found.append(name)
    return found


@pytest.mark.parametrize(
    "path", sorted(p for p in CLI.glob("*.py") if p.name not in PENDING), ids=lambda p: p.name
)
def test_cli_imports_no_private_module_of_another_package(path: Path) -> None:
    """``from auditkit.risk._render import ...`` would tie the CLI to another package's insides."""
    assert _private_imports(path) == []


def test_the_check_catches_a_private_import(tmp_path: Path) -> None:
    """A private import, even inside a function, is reported."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from auditkit.report._html import _environment\n")
    assert _private_imports(module) == ["auditkit.report._html"]


def test_the_language_list_is_spelled_once() -> None:
    """es/pt/en is written out in one module; everything else imports it."""
    package = CLI.parent
    spelled = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        if '"es", "pt", "en"' in path.read_text(encoding="utf-8")
        and path.relative_to(package).as_posix() not in {f"cli/{p}" for p in PENDING}
    ]
    assert spelled == ["_languages.py"]
