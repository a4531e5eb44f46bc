"""Start-up stays fast: the CLI never imports the heavy libraries to show help or the version."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = (
    "mlflow",
    "shap",
    "fairlearn",
    "sklearn",
    "pandas",
    "cookiecutter",
    "matplotlib",
    "duckdb",
    "ibis",
)

PROBE = """
import sys
from auditkit.cli import app
try:
    app({args!r})
except SystemExit:
    pass
print("LOADED=" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["review", "--help"]])
def test_cli_does_not_import_heavy_libraries(args, repo_root):
    """`auditkit --help` and `--version` in a fresh interpreter load none of the heavy libraries."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        cwd=repo_root,
        check=True,
    ).stdout
    assert "LOADED=\n" in out, out


def test_version(repo_root):
    from auditkit import __version__

    out = subprocess.run(
        [sys.executable, "-m", "auditkit", "--version"],
        capture_output=True,
        text=True,
        cwd=repo_root,
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"auditkit {__version__}"
