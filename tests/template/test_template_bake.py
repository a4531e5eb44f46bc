"""Baking the template: the exact file tree, nothing unrendered, every file parses, ruff passes."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from auditkit._config import load_config
from auditkit.scaffold import recorded_template_version
from tests.template.conftest import LANGUAGES, REPO, TEMPLATE, bake

EXPECTED_TREE = [
    ".cookiecutter-answers.json",
    ".github/workflows/ci.yml",
    ".gitignore",
    "README.md",
    "audit.yaml",
    "config/pilot.yaml",
    "data/raw/.gitkeep",
    "docs/datasheet.md",
    "docs/model_card.md",
    "pyproject.toml",
    "questionnaire.yaml",
    "src/{pkg}/__init__.py",
    "src/{pkg}/__main__.py",
    "src/{pkg}/backtest.py",
    "src/{pkg}/contract.py",
    "src/{pkg}/features.py",
    "src/{pkg}/history.py",
    "src/{pkg}/holidays.py",
    "src/{pkg}/ingest.py",
    "src/{pkg}/model.py",
    "src/{pkg}/pipeline.py",
    "src/{pkg}/sample.py",
    "src/{pkg}/settings.py",
    "src/{pkg}/tracking.py",
    "src/{pkg}/zoning.py",
    "tests/conftest.py",
    "tests/test_contract.py",
    "tests/test_features.py",
    "tests/test_ingest.py",
    "tests/test_pipeline.py",
]

# Words that only appear in the other languages' README / model card / comments.
FOREIGN_WORDS = {
    "es": ["the pilot", "Caution", "previsão", "Atenção"],
    "pt": ["the pilot", "Caution", "pronóstico", "Aviso."],
    "en": ["pronóstico", "previsão", "Aviso.", "Atenção", "[completar"],
}


def files(root: Path) -> list[str]:
    """Every file under root, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def baked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One bake per language; the default (Spanish) through the root dispatcher."""
    out = tmp_path_factory.mktemp("baked")
    projects = {"default": bake(out / "default")}
    for language in LANGUAGES:
        projects[language] = bake(
            out / language, directory="template", language=language, city="Medellín", country="CO"
        )
    return projects


def test_default_bake(baked):
    """`cookiecutter REPO --no-input` gives the Spanish Zapopan pilot."""
    assert baked["default"].name == "zapopan-demanda-servicios"
    answers = json.loads((baked["default"] / ".cookiecutter-answers.json").read_text("utf-8"))
    assert answers["language"] == "es" and answers["country"] == "MX"


@pytest.mark.parametrize("which", ["default", *LANGUAGES])
def test_exact_file_tree(baked, which):
    """The project has exactly the expected files, no more (no __pycache__, no hook leftovers)."""
    project = baked[which]
    pkg = project.name.replace("-", "_")
    assert files(project) == sorted(path.format(pkg=pkg) for path in EXPECTED_TREE)


@pytest.mark.parametrize("which", ["default", *LANGUAGES])
def test_nothing_left_unrendered(baked, which):
    """No Jinja markup survives in any file."""
    for name in files(baked[which]):
        text = (baked[which] / name).read_text(encoding="utf-8")
        for marker in ("{{ cookiecutter", "{{cookiecutter", "{% ", "{%-", " %}", "-%}", "{#"):
            assert marker not in text, f"{name} contains {marker!r}"


@pytest.mark.parametrize("which", ["default", *LANGUAGES])
def test_every_file_parses(baked, which):
    """Python, TOML, YAML and JSON files all parse."""
    project = baked[which]
    parsers = {
        ".py": lambda text: ast.parse(text),
        ".toml": tomllib.loads,
        ".yaml": yaml.safe_load,
        ".yml": yaml.safe_load,
        ".json": json.loads,
    }
    checked = 0
    for name in files(project):
        parser = parsers.get(Path(name).suffix)
        if parser:
            parser((project / name).read_text(encoding="utf-8"))
            checked += 1
    assert checked >= 17


@pytest.mark.parametrize("which", ["default", *LANGUAGES])
def test_audit_yaml_is_accepted_by_auditkit(baked, which):
    """The pre-filled audit.yaml validates against auditkit's own schema."""
    config = load_config(baked[which] / "audit.yaml")
    assert config.pilot.task == "forecast"
    language = "es" if which == "default" else which
    assert config.pilot.language == language
    assert config.data.y_pred_lower == "y_pred_lower"


@pytest.mark.parametrize("language", LANGUAGES)
def test_documents_follow_the_language(baked, language):
    """README, model card, datasheet and settings comments are in the chosen language only."""
    project = baked[language]
    documents = ("README.md", "docs/model_card.md", "docs/datasheet.md", "config/pilot.yaml")
    for name in (*documents, "audit.yaml", "questionnaire.yaml"):
        text = (project / name).read_text(encoding="utf-8")
        for word in FOREIGN_WORDS[language]:
            assert word not in text, f"{language}: {name} contains {word!r}"


@pytest.mark.parametrize("which", ["default", *LANGUAGES])
def test_ruff_passes_on_the_generated_project(baked, which):
    """The generated project is clean under its own ruff settings."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=baked[which],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_questionnaire_is_auditkit_answers_template(baked, language):
    """questionnaire.yaml is exactly what `auditkit questionnaire init --lang L` writes."""
    from auditkit.risk._render import answers_template

    text = (baked[language] / "questionnaire.yaml").read_text(encoding="utf-8")
    assert text == answers_template(language)


def test_bake_without_auditkit_leaves_the_questionnaire_to_one_command(
    tmp_path, capfd, without_auditkit
):
    """A plain cookiecutter bake without auditkit: every other file, and a note with the command."""
    project = bake(tmp_path, directory="template", language="en", city="Medellín", country="CO")
    pkg = project.name.replace("-", "_")
    expected = [p for p in EXPECTED_TREE if p != "questionnaire.yaml"]
    assert files(project) == sorted(path.format(pkg=pkg) for path in expected)
    command = "auditkit questionnaire init --lang en --out questionnaire.yaml"
    assert command in capfd.readouterr().err
    # the README and CI of that pilot name the same command
    assert command in (project / "README.md").read_text(encoding="utf-8")
    ci = yaml.safe_load((project / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    steps = {step.get("name"): step.get("run", "") for step in ci["jobs"]["pilot"]["steps"]}
    assert steps["Questionnaire"] == f"test -f questionnaire.yaml || {command}"
    names = list(steps)
    assert names.index("Questionnaire") < names.index("Audit")


@pytest.mark.parametrize("pilot_type", ["demand-forecast", "request-triage"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_readme_and_ci_name_the_questionnaire_command(tmp_path, language, pilot_type):
    """Every pilot's README and CI give the command that writes a missing questionnaire."""
    project = bake(tmp_path, directory="template", language=language, pilot_type=pilot_type)
    command = f"auditkit questionnaire init --lang {language} --out questionnaire.yaml"
    assert command in (project / "README.md").read_text(encoding="utf-8")
    assert f"|| {command}" in (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")


def test_answers_file_has_no_private_keys_or_paths(baked):
    """The answers file holds the public answers only."""
    text = (baked["es"] / ".cookiecutter-answers.json").read_text(encoding="utf-8")
    answers = json.loads(text)
    # the one private key kept is the template's version (cookiecutter ignores it on a re-bake)
    assert [key for key in answers if key.startswith("_")] == ["_template_version"]
    assert answers["_template_version"] == recorded_template_version(TEMPLATE)[0]
    assert str(baked["es"].parent) not in text
    assert answers["city"] == "Medellín"
    assert answers["project_slug"] == "medellin-demanda-servicios"


@pytest.mark.parametrize(
    ("answers", "match"),
    [
        ({"project_slug": "Mi Piloto"}, "project_slug must be lowercase"),
        ({"country": "XX"}, "ISO 3166-1 alpha-2"),
        ({"country": "mx"}, "Use capital letters"),
        ({"service_categories": "alumbrado"}, "at least two"),
        ({"equity_attribute": "Estrato"}, "column name"),
    ],
)
def test_bad_answers_fail_in_the_hook_and_leave_nothing(tmp_path, capfd, answers, match):
    """The pre-generation hook rejects the answer, says why, and no folder is left behind."""
    from cookiecutter.exceptions import FailedHookException

    with pytest.raises(FailedHookException):
        bake(tmp_path, **answers)
    assert match in capfd.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_unknown_language_is_refused_before_writing(tmp_path):
    """A language outside the choices never reaches the file system."""
    with pytest.raises(ValueError, match="language"):
        bake(tmp_path, language="fr")
    assert list(tmp_path.iterdir()) == []


def test_pycache_in_the_template_is_not_copied(tmp_path):
    """Byte-compiled files (pip compiles the template inside the wheel) are removed."""
    copy = tmp_path / "template"
    shutil.copytree(TEMPLATE, copy)
    pkg_dir = next((copy / "{{cookiecutter.project_slug}}" / "src").iterdir())
    (pkg_dir / "__pycache__").mkdir()
    (pkg_dir / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"\0")
    project = bake(tmp_path / "out", template=copy)
    assert not list(project.rglob("__pycache__"))


def test_template_files_are_tracked_by_git():
    """The template's own .gitignore must not hide its files from this repository."""
    result = subprocess.run(
        [
            "git",
            "check-ignore",
            "--no-index",
            "template/{{cookiecutter.project_slug}}/data/raw/.gitkeep",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout


QUOTED_CITY = 'O\'Higgins "Centro" \\ Sur'


def _markdown_text(source: str) -> str:
    """The text a Markdown renderer shows (tags dropped, entities decoded)."""
    import html

    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(source)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize("language", LANGUAGES)
def test_quotes_apostrophes_and_backslashes_bake_into_valid_files(tmp_path, language):
    """A city named O'Higgins "Centro" \\ Sur: valid Python, TOML, YAML and Markdown, importable."""
    project = bake(tmp_path, directory="template", language=language, city=QUOTED_CITY)
    package = project.name.replace("-", "_")
    answers = json.loads((project / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    assert answers["city"] == QUOTED_CITY
    name, organization = answers["project_name"], answers["organization"]
    assert QUOTED_CITY in name and QUOTED_CITY in organization

    for path in (project / "src" / package).glob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    probe = (
        f"import json, {package} as p, {package}.__main__ as m; "
        "print(json.dumps([p.CITY, p.__doc__, m.MESSAGES['description']]))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        cwd=project / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    city, doc, description = json.loads(done.stdout)
    assert city == QUOTED_CITY
    assert doc.startswith(name) and description.startswith(name)

    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == f"{name} ({organization})"
    audit = yaml.safe_load((project / "audit.yaml").read_text(encoding="utf-8"))
    assert (audit["pilot"]["name"], audit["pilot"]["city"]) == (name, QUOTED_CITY)
    assert load_config(project / "audit.yaml").pilot.city == QUOTED_CITY
    yaml.safe_load((project / "config" / "pilot.yaml").read_text(encoding="utf-8"))

    for doc_name in ("README.md", "docs/model_card.md", "docs/datasheet.md"):
        shown = _markdown_text((project / doc_name).read_text(encoding="utf-8"))
        assert organization in shown, doc_name
    assert name in _markdown_text((project / "README.md").read_text(encoding="utf-8"))
    assert QUOTED_CITY in _markdown_text(
        (project / "docs" / "datasheet.md").read_text(encoding="utf-8")
    )
