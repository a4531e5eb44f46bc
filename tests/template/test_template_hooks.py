"""The template's hooks, called directly: answers are checked, the answers file is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.template.conftest import load_hook

pre = load_hook("pre_gen_project")
post = load_hook("post_gen_project")

GOOD = {
    "language": "es",
    "city": "Zapopan",
    "country": "MX",
    "project_name": "Demanda de servicios Zapopan",
    "project_slug": "zapopan-demanda-servicios",
    "service_categories": "alumbrado, basura, baches",
    "equity_attribute": "estrato_marginacion",
    "mlflow_tracking_uri": "sqlite:///mlflow.db",
    "organization": "Gobierno de Zapopan",
    "auditkit_source": "auditkit-cities @ git+https://github.com/auditkit-cities/auditkit@v0.1.0",
}


def test_good_answers_pass():
    """The defaults of a Spanish pilot are accepted."""
    assert pre.validate(GOOD) == []


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("project_slug", "Zapopan Demanda", "lowercase letters, digits and single hyphens"),
        ("project_slug", "zapopan--demanda", "single hyphens"),
        ("project_slug", "1zapopan", "starting with a letter"),
        ("project_slug", "json", "reserved or already used by Python"),
        ("project_slug", "mlflow", "reserved"),
        ("country", "mx", "Use capital letters"),
        ("country", "XX", "ISO 3166-1 alpha-2"),
        ("country", "MEX", "ISO 3166-1 alpha-2"),
        ("language", "fr", "one of es, pt, en"),
        ("service_categories", "alumbrado", "at least two"),
        ("service_categories", "alumbrado,, baches", "at least two non-empty"),
        ("service_categories", "Alumbrado Público, baches", "lowercase letters"),
        ("service_categories", "baches, baches", "repeated"),
        ("equity_attribute", "Estrato Marginación", "column name"),
        ("mlflow_tracking_uri", "file:./mlruns", "must start with"),
        ("city", " ", "city must not be empty"),
        ("city", "Zapopan\nCentro", "one line without control characters"),
        ("project_name", "Demanda\tZapopan", "one line"),
        ("organization", "", "organization must not be empty"),
        # the unrelated project that owns the name "auditkit" on the package index
        ("auditkit_source", "auditkit", "an unrelated project"),
        ("auditkit_source", "auditkit==0.1.0", "an unrelated project"),
        ("auditkit_source", "auditkit-cities", "must pin where auditkit comes from"),
        ("auditkit_source", "auditkit-cities @ ./wheel", "after ' @ ' comes a URL"),
        ("auditkit_source", 'auditkit-cities @ git+https://x/y@main"; rm -rf /', "without quotes"),
    ],
)
def test_bad_answer_is_explained(key, value, match):
    """Each bad answer gives a message that names the field and the expected form."""
    errors = pre.validate({**GOOD, key: value})
    assert len(errors) == 1
    assert match in errors[0]
    assert key.split("_")[0] in errors[0]


@pytest.mark.parametrize(
    "source",
    [
        "auditkit-cities @ git+https://github.com/auditkit-cities/auditkit@0123456789abcdef",
        "auditkit-cities @ https://example.org/auditkit_cities-0.1.0-py3-none-any.whl",
        "dist/auditkit_cities-0.1.0-py3-none-any.whl",
        "git+https://github.com/auditkit-cities/auditkit@v0.1.0",
    ],
)
def test_pinned_auditkit_sources_pass(source):
    """Direct references and wheel files are pinned sources."""
    assert pre.check_auditkit_source(source) is None


def test_quotes_apostrophes_and_backslashes_are_accepted():
    """Names with quotes, apostrophes and backslashes are fine: the template escapes them."""
    name = 'O\'Higgins "Centro" \\ Sur'
    assert pre.validate({**GOOD, "city": name, "project_name": name, "organization": name}) == []


def test_iso_table_is_complete():
    """All 249 officially assigned ISO 3166-1 alpha-2 codes, and only those."""
    assert len(pre.ISO_3166_ALPHA_2) == 249
    assert {"MX", "BR", "CO", "UY", "AR", "US", "PT", "ES"} <= pre.ISO_3166_ALPHA_2
    assert not {"UK", "EU", "XK", "ZZ"} & pre.ISO_3166_ALPHA_2


def test_pre_hook_main_exit_code(capsys):
    """main() prints every problem to stderr and returns 1, or returns 0."""
    assert pre.main(json.dumps(GOOD)) == 0
    assert pre.main(json.dumps({**GOOD, "country": "XX", "language": "fr"})) == 1
    err = capsys.readouterr().err
    assert err.count("ERROR:") == 2


def test_post_hook_removes_pycache_and_writes_public_answers(tmp_path: Path):
    """__pycache__ folders go; the answers file keeps public keys and no absolute path."""
    (tmp_path / "src" / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "__pycache__").mkdir()
    context = {
        **GOOD,
        "_template": "/home/someone/auditkit/template",
        "_output_dir": "/home/someone/projects",
        "_repo_dir": "/home/someone/auditkit/template",
        "__package": "zapopan_demanda_servicios",
    }
    assert post.main(json.dumps(context), tmp_path) == 0
    assert not list(tmp_path.rglob("__pycache__"))
    answers = json.loads((tmp_path / post.ANSWERS_FILE).read_text(encoding="utf-8"))
    assert answers == dict(sorted(GOOD.items()))
    assert "/home/someone" not in (tmp_path / post.ANSWERS_FILE).read_text(encoding="utf-8")


# ------------------------------------------------------------- the questionnaire at bake time


def test_post_hook_writes_the_questionnaire_with_auditkit_importable(tmp_path: Path):
    """With auditkit in cookiecutter's Python, questionnaire.yaml is `questionnaire init`'s text."""
    from auditkit.risk import answers_template

    context = {**GOOD, "language": "pt", "__package": "zapopan_demanda_servicios"}
    assert post.main(json.dumps(context), tmp_path) == 0
    text = (tmp_path / post.QUESTIONNAIRE_FILE).read_text(encoding="utf-8")
    assert text == answers_template("pt")


def test_import_source_gives_up_without_auditkit(monkeypatch):
    """An auditkit that cannot be imported (or another project's 'auditkit') gives nothing."""
    import sys

    monkeypatch.setitem(sys.modules, "auditkit.risk", None)  # import now raises ImportError
    assert post.questionnaire_from_import("es") is None


def _fake_command(folder: Path, script: str) -> Path:
    """An executable 'auditkit' in ``folder`` running ``script`` (Python) with its arguments."""
    import stat
    import sys

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "auditkit"
    path.write_text(f"#!{sys.executable}\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_command_source_runs_auditkit_on_the_path(tmp_path: Path, monkeypatch):
    """Without the import, the `auditkit` command on the PATH writes it (pipx installs)."""
    from auditkit.risk import answers_template

    # the real command line, run as a separate program, exactly as a user's PATH would
    _fake_command(tmp_path / "bin", "from auditkit.cli import main\nmain()")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert post.questionnaire_from_command("en") == answers_template("en")


@pytest.mark.parametrize(
    "script",
    [
        "print('auditkit 1.1.3: usage: auditkit [scan]')",  # the unrelated 'auditkit' project
        "import sys\nprint('schema: auditkit.answers/1')\nsys.exit(2)",  # a failing command
    ],
)
def test_command_source_refuses_another_auditkit(tmp_path: Path, monkeypatch, script):
    """A command that is not auditkit's (or fails) writes nothing rather than a wrong file."""
    _fake_command(tmp_path / "bin", script)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert post.questionnaire_from_command("es") is None


def test_no_source_leaves_the_file_out_and_says_the_command(tmp_path: Path, capsys):
    """With no auditkit at hand nothing is written and the note gives the one command."""
    assert post.write_questionnaire(tmp_path, "pt", sources=(lambda _: None,)) is None
    assert not (tmp_path / post.QUESTIONNAIRE_FILE).exists()
    err = capsys.readouterr().err
    assert "auditkit questionnaire init --lang pt --out questionnaire.yaml" in err
    assert err.startswith("Nota: o auditkit não está disponível")


def test_first_source_that_answers_wins(tmp_path: Path):
    """Sources are tried in order; the first text is written as is."""
    path = post.write_questionnaire(
        tmp_path, "es", sources=(lambda _: None, lambda lang: f"# {lang}\n", lambda _: "no")
    )
    assert path is not None and path.read_text(encoding="utf-8") == "# es\n"
