"""Traceable, updatable pilots: `.cruft.json` on every bake, `auditkit update` on a real change.

The template's history is a real git repository made in the test: commit A is today's
`template/`, commit B changes it; a pilot baked from A and edited locally is updated to B.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.scaffold import (
    CRUFT_FILE,
    Origin,
    bake_pilot,
    bump_template_version,
    recorded_template_version,
)
from tests.template.conftest import TEMPLATE

runner = CliRunner()
ANSWERS = {"city": "Recife", "country": "BR", "language": "pt"}
GITIGNORE = "{{cookiecutter.project_slug}}/.gitignore"


def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity; return stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit_all(cwd: Path, message: str) -> str:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "-m", message)
    return git(cwd, "rev-parse", "HEAD")


@pytest.fixture
def template_repo(tmp_path: Path) -> tuple[Path, str]:
    """A git repository holding today's template under template/; returns it and commit A."""
    repo = tmp_path / "auditkit-repo"
    shutil.copytree(TEMPLATE, repo / "template", ignore=shutil.ignore_patterns("__pycache__"))
    git(repo, "init", "-q", "-b", "main")
    return repo, commit_all(repo, "template A")


@pytest.fixture
def pilot(tmp_path: Path, template_repo: tuple[Path, str]) -> Path:
    """A pilot baked from commit A, committed to its own git repository."""
    repo, commit = template_repo
    origin = Origin(str(repo), commit, f"auditkit-cities @ git+https://example.org/a@{commit}")
    project = bake_pilot(
        ANSWERS, output_dir=tmp_path / "pilots", template=repo / "template", origin=origin
    )
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Pilot as baked")
    return project


def test_bake_records_template_source_and_answers(pilot, template_repo):
    """`.cruft.json` has cruft's keys, the template's source and commit and every answer."""
    repo, commit = template_repo
    record = json.loads((pilot / CRUFT_FILE).read_text(encoding="utf-8"))
    assert set(record) == {"template", "commit", "checkout", "context", "directory"}
    assert (record["template"], record["commit"], record["directory"]) == (
        str(repo),
        commit,
        "template",
    )
    context = record["context"]["cookiecutter"]
    answers = json.loads((pilot / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    public = {k: v for k, v in answers.items() if not k.startswith("_")}
    assert {k: v for k, v in context.items() if not k.startswith("_")} == public
    assert public["auditkit_source"] == f"auditkit-cities @ git+https://example.org/a@{commit}"
    assert answers["_template_version"] == recorded_template_version(repo / "template")[0]


def _change_template(repo: Path) -> tuple[str, str]:
    """Commit B: a new .gitignore rule and a version bump; returns (commit, new version)."""
    path = repo / "template" / GITIGNORE
    path.write_text(path.read_text(encoding="utf-8") + "# template B\n*.tmp\n", encoding="utf-8")
    version = bump_template_version(repo / "template", part="minor")
    return commit_all(repo, "template B"), version


def test_update_brings_a_template_change_and_keeps_local_edits(pilot, template_repo):
    """A template change reaches a pilot with local edits; both are there afterwards."""
    repo, commit_a = template_repo
    readme = pilot / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nNotas locais.\n", encoding="utf-8")
    commit_all(pilot, "Local notes")
    commit_b, version = _change_template(repo)

    result = runner.invoke(app, ["update", str(pilot)])

    assert result.exit_code == 0, result.output
    assert "atualizado" in result.stderr
    assert "*.tmp" in (pilot / ".gitignore").read_text(encoding="utf-8")
    assert "Notas locais." in readme.read_text(encoding="utf-8")
    record = json.loads((pilot / CRUFT_FILE).read_text(encoding="utf-8"))
    assert record["commit"] == commit_b != commit_a
    answers = json.loads((pilot / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    assert answers["_template_version"] == version
    assert not list(pilot.rglob("*.rej"))
    # once committed, a second update has nothing to do
    commit_all(pilot, "Template B")
    again = runner.invoke(app, ["update", str(pilot)])
    assert again.exit_code == 0, again.output
    assert "em dia" in again.stderr


def test_update_reports_a_clash_with_a_local_edit(pilot, template_repo):
    """The same line changed locally and in the template: listed, exit 1, nothing lost."""
    repo, _ = template_repo
    local = pilot / ".gitignore"
    text = local.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    local.write_text(text.replace(first, first + "  # local", 1), encoding="utf-8")
    commit_all(pilot, "Local .gitignore")
    upstream = repo / "template" / GITIGNORE
    upstream.write_text(
        upstream.read_text(encoding="utf-8").replace(first, first + "  # upstream", 1),
        encoding="utf-8",
    )
    bump_template_version(repo / "template", part="patch")
    commit_all(repo, "template B clashes")

    result = runner.invoke(app, ["update", str(pilot)])

    assert result.exit_code == 1, result.output
    assert ".gitignore" in result.stderr
    assert "<<<<<<<" in result.stderr or "<<<<<<<" in local.read_text(encoding="utf-8")
    merged = local.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in pilot.rglob("*.rej")
    )
    assert "# local" in merged and "# upstream" in merged


def test_update_refuses_uncommitted_changes(pilot):
    """cruft applies updates only over a clean working tree: said plainly, exit 2."""
    (pilot / "README.md").write_text("edited\n", encoding="utf-8")
    result = runner.invoke(app, ["update", str(pilot)])
    assert result.exit_code == 2
    assert "uncommitted changes" in result.stderr
    assert (pilot / "README.md").read_text(encoding="utf-8") == "edited\n"


def test_update_without_a_record_is_explained(tmp_path):
    """A folder without .cruft.json: which file is missing and how to link it."""
    result = runner.invoke(app, ["update", str(tmp_path)])
    assert result.exit_code == 2
    assert ".cruft.json" in result.stderr and "cruft link" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("template", "/nonexistent/auditkit", "could not be updated from"),
        ("commit", "0" * 40, "could not be updated from"),
    ],
)
def test_update_from_an_unreachable_source_is_explained(pilot, field, value, match):
    """A template source or commit that cannot be reached: the file, the value, exit 2."""
    path = pilot / CRUFT_FILE
    record = json.loads(path.read_text(encoding="utf-8"))
    record[field] = value
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    commit_all(pilot, "Point elsewhere")
    result = runner.invoke(app, ["update", str(pilot)])
    assert result.exit_code == 2, result.output
    assert match in result.stderr and ".cruft.json" in result.stderr
    assert "Traceback" not in result.output
