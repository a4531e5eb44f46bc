"""`auditkit new`: bakes the bundled template offline, checks answers before writing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.scaffold import auditkit_origin, recorded_template_version

runner = CliRunner()


def test_new_bakes_with_answers(tmp_path):
    """key=value answers reach the template; the project path goes to stdout."""
    result = runner.invoke(
        app,
        ["new", "--no-input", "-o", str(tmp_path), "language=pt", "city=Recife", "country=BR"],
    )
    assert result.exit_code == 0, result.output
    project = tmp_path / "recife-demanda-servicos"
    assert result.stdout.strip() == str(project)
    answers = json.loads((project / ".cookiecutter-answers.json").read_text(encoding="utf-8"))
    assert (answers["language"], answers["city"], answers["country"]) == ("pt", "Recife", "BR")
    assert (project / "src" / "recife_demanda_servicos" / "pipeline.py").exists()
    assert "Próximos passos" in result.stderr
    # where it came from: cruft's record of the template's source and commit, every answer
    record = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    origin = auditkit_origin()
    assert (record["template"], record["commit"], record["directory"]) == (
        origin.template,
        origin.commit,
        "template",
    )
    assert record["context"]["cookiecutter"]["city"] == "Recife"
    assert answers["_template_version"] == recorded_template_version()[0]
    assert "python -m recife_demanda_servicos train" in result.stderr


def test_new_writes_the_questionnaire_even_where_the_hook_cannot(tmp_path, capfd, without_auditkit):
    """`auditkit new` has auditkit at hand: questionnaire.yaml is `questionnaire init`'s text."""
    from auditkit.risk import answers_template

    result = runner.invoke(
        app, ["new", "--no-input", "-o", str(tmp_path), "language=es", "city=Rosario"]
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "rosario-demanda-servicios" / "questionnaire.yaml").read_text("utf-8")
    assert text == answers_template("es")
    assert "Nota: auditkit no está disponible aquí" in capfd.readouterr().err  # the hook could not


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["country=mx"], "Use capital letters"),
        (["language=fr"], "language must be one of es, pt, en; found 'fr'"),
        (["project_slug=Mi Piloto"], "project_slug must be lowercase"),
        (["ciudad=Zapopan"], "unknown question 'ciudad'. The template asks: language, city"),
        (["Zapopan"], "answers are given as key=value; found 'Zapopan'"),
    ],
)
def test_bad_answers_exit_2_and_write_nothing(tmp_path, args, match):
    """A bad answer is explained on stderr, exit code 2, and the output folder stays empty."""
    result = runner.invoke(app, ["new", "--no-input", "-o", str(tmp_path), *args])
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_existing_project_is_not_overwritten(tmp_path):
    """Baking twice into the same place stops with a hint instead of mixing files."""
    args = ["new", "--no-input", "-o", str(tmp_path), "city=Montevideo", "country=UY"]
    assert runner.invoke(app, args).exit_code == 0
    marker = tmp_path / "montevideo-demanda-servicios" / "config" / "pilot.yaml"
    before = marker.read_text(encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--overwrite" in result.stderr
    assert marker.read_text(encoding="utf-8") == before


def test_failed_bake_leaves_no_new_output_folder(tmp_path):
    """An output folder created for a bake that the hook rejects is removed again."""
    target = tmp_path / "nuevo" / "pilotos"
    # an empty city passes the command's own checks and is refused by the template's hook
    result = runner.invoke(app, ["new", "--no-input", "-o", str(target), "city= "])
    assert result.exit_code == 2
    assert "rejected the answers" in result.stderr
    assert not target.exists()
