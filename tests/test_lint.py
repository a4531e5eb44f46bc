"""The code stays clean: ruff (lint and format) and mypy strict on the package, as in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def _run(repo_root, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=repo_root, capture_output=True, text=True)


def test_ruff_lint(repo_root):
    result = _run(repo_root, sys.executable, "-m", "ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format(repo_root):
    result = _run(repo_root, sys.executable, "-m", "ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict(repo_root):
    result = _run(repo_root, sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_test_modules_have_unique_names() -> None:
    """pytest imports test files by base name where a folder has no __init__.py: two of the same
    name stop the whole run at collection ("import file mismatch")."""
    root = Path(__file__).parent
    seen: dict[str, Path] = {}
    for path in sorted(root.rglob("test_*.py")):
        if (path.parent / "__init__.py").exists():
            continue
        assert path.name not in seen, f"{path} and {seen[path.name]} share a name"
        seen[path.name] = path
