"""Package-level contracts: exported names, message catalogues, check registry, examples."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import auditkit
from auditkit.i18n import LANGUAGES, catalog, placeholders

PUBLIC_MODULES = [
    "auditkit",
    "auditkit.data",
    "auditkit.explain",
    "auditkit.fairness",
    "auditkit.privacy",
    "auditkit.register",
    "auditkit.report",
    "auditkit.review",
    "auditkit.scaffold",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_resolves(name):
    """__all__ is sorted (constants, classes, functions: ruff's RUF022) and every name exists."""
    module = importlib.import_module(name)

    def kind(member: str) -> tuple[int, str]:
        rank = 0 if member.isupper() else 1 if member[0].isupper() else 2
        return rank, member

    assert list(module.__all__) == sorted(module.__all__, key=kind)
    for member in module.__all__:
        assert getattr(module, member) is not None


def test_catalogues_agree_across_languages():
    """Every message exists in es, pt and en with the same placeholders."""
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    assert keys["es"] == keys["en"] == keys["pt"]
    for key in keys["en"]:
        expected = placeholders(catalog("en")[key])
        for lang in ("es", "pt"):
            assert placeholders(catalog(lang)[key]) == expected, (lang, key)


def test_every_check_has_messages_for_its_fairness_findings():
    from auditkit._checks import CHECKS

    assert auditkit.__version__
    for check in ("fairness.group_coverage", "fairness.disparity", "fairness.intersectional"):
        assert check in CHECKS
        assert any(key.startswith(check + ".") for key in catalog("en"))


def test_examples_are_in_sync(repo_root: Path, tmp_path: Path):
    """The example predictions (generated for the tests, not committed) are make_examples.py's."""
    copy = tmp_path / "audits"
    shutil.copytree(repo_root / "examples" / "audits", copy)
    subprocess.run([sys.executable, str(copy / "make_examples.py")], check=True)
    for name in ("sla-classifier", "demand-forecast"):
        generated = (repo_root / "examples" / "audits" / name / "predictions.csv").read_bytes()
        assert (copy / name / "predictions.csv").read_bytes() == generated, name


def test_ci_runs_the_readme_test_command(repo_root: Path):
    """.ci/run ends with the README quick start's test command, verbatim."""
    import re

    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", quick_start)
    assert len(commands) == 2, "the quick start is two commands"
    ci = (repo_root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]
    assert "auditkit new" in commands[0] and "auditkit review" in commands[0]
