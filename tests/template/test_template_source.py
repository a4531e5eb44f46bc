"""Where a pilot's auditkit comes from, and which template version it was baked with.

* The distribution is ``auditkit-cities`` ("auditkit" on the package index is another project);
  baked CI installs auditkit from a pinned source, never by a bare name.
* ``template/cookiecutter.json`` records ``__template_version`` beside a content hash of
  ``template/``: any change to the template must bump the version.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from auditkit._version import __version__
from auditkit.cli import app
from auditkit.scaffold import (
    DISTRIBUTION,
    REPOSITORY,
    auditkit_origin,
    bump_template_version,
    recorded_template_version,
    template_hash,
)
from tests.template.conftest import LANGUAGES, REPO, TEMPLATE, bake

PIP_INSTALL = re.compile(r"pip install\s+(?P<args>.+)")


def _requirements(line: str) -> list[str]:
    """The requirement arguments of a `pip install ...` line (options dropped)."""
    match = PIP_INSTALL.search(line)
    if not match:
        return []
    requirements = []
    for arg in re.findall(r'"[^"]*"|\'[^\']*\'|\S+', match.group("args")):
        if arg in {"&&", "||", ";", "|", "#"} or arg.startswith(("#", "`")):
            break  # the next shell command or a comment
        if not arg.startswith("-"):
            requirements.append(arg.strip("\"'"))
    return requirements


def _is_pinned(requirement: str) -> bool:
    """A direct reference, a wheel, a local folder, never a name the index resolves."""
    return (
        " @ " in requirement
        or requirement.endswith(".whl")
        or requirement.startswith(("git+", ".", "/"))
    )


def test_distribution_name_is_not_the_index_s_auditkit():
    """pyproject names the free distribution; the import and the command stay `auditkit`."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "auditkit-cities"
    assert project["scripts"] == {"auditkit": "auditkit.cli:main"}
    assert project["urls"]["Source"] == REPOSITORY


def test_template_default_source_is_this_release():
    """The default `auditkit_source` pins this version's tag of this repository."""
    context = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))
    expected = f"{DISTRIBUTION} @ git+{REPOSITORY}@v{__version__}"
    assert context["auditkit_source"] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_ci_installs_a_pinned_auditkit(tmp_path, language):
    """Every `pip install` in the baked CI is the project itself or a pinned auditkit."""
    project = bake(tmp_path, language=language, city="Recife", country="BR")
    ci = (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    yaml.safe_load(ci)
    assert not re.search(r"pip install\s+[\"']?auditkit\b(?![-_])", ci)
    installs = [r for line in ci.splitlines() for r in _requirements(line)]
    auditkit = [r for r in installs if "auditkit" in r]
    assert auditkit == [f"{DISTRIBUTION} @ git+{REPOSITORY}@v{__version__}"]
    assert all(_is_pinned(r) or r in {"pip", ".[dev]"} for r in installs), installs


def test_auditkit_new_pins_the_running_auditkit(tmp_path):
    """`auditkit new` fills `auditkit_source` with where this auditkit comes from."""
    result = CliRunner().invoke(app, ["new", "--no-input", "-o", str(tmp_path), "city=Quito"])
    assert result.exit_code == 0, result.output
    project = tmp_path / "quito-demanda-servicios"
    origin = auditkit_origin()
    ci = (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert f'pip install "{origin.requirement}"' in ci
    assert origin.requirement.startswith(f"{DISTRIBUTION} @ git+")
    assert origin.commit and origin.requirement.endswith(f"@{origin.commit}")
    assert origin.requirement in result.stderr  # the next steps say how to install it


@pytest.mark.parametrize("path", ["README.md", "docs/mlflow.md"])
def test_docs_never_install_the_index_s_auditkit(path):
    """No install command in the docs' code blocks resolves `auditkit` on the package index."""
    text = (REPO / path).read_text(encoding="utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.M | re.S)
    assert blocks
    for line in "\n".join(blocks).splitlines():
        for requirement in _requirements(line):
            if "auditkit" in requirement:
                assert _is_pinned(requirement), line


def test_template_version_matches_its_content():
    """Any change under template/ bumps __template_version (the recorded hash must match)."""
    version, recorded = recorded_template_version(TEMPLATE)
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert recorded == template_hash(TEMPLATE), (
        "template/ changed: record a new template version with "
        "`python -m auditkit.scaffold --bump minor` (or --bump patch / major)"
    )


def test_bump_changes_version_only_when_content_changes(tmp_path: Path):
    """A content change gives a new hash and a new version; recording it is idempotent."""
    copy = tmp_path / "template"
    shutil.copytree(TEMPLATE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    bump_template_version(copy, part="patch", force=True)
    version, recorded = recorded_template_version(copy)
    assert recorded == template_hash(copy)
    assert bump_template_version(copy) == version  # nothing changed: nothing bumped
    readme = copy / "{{cookiecutter.project_slug}}" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert template_hash(copy) != recorded
    major, minor, _ = (int(n) for n in version.split("."))
    assert bump_template_version(copy, part="minor") == f"{major}.{minor + 1}.0"
    assert recorded_template_version(copy) == (f"{major}.{minor + 1}.0", template_hash(copy))
