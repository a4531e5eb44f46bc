"""``auditkit register`` end to end: exit codes, every bad input, the publishing gate, atomicity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()


def test_register_writes_three_files_and_says_how_complete(pilot: Path):
    """Exit 0, the three paths and the number of filled and missing fields on stdout."""
    out = pilot / "transparency"
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(out), "--lang", "pt"])
    assert result.exit_code == 0, result.output
    for name in ("register.json", "notice.html", "notice.md"):
        assert str(out.resolve() / name) in result.stdout
    entry = json.loads((out / "register.json").read_text(encoding="utf-8"))
    assert f"{entry['filled']} fields filled, {len(entry['missing'])} missing" in result.stdout
    # the bundle itself is untouched: it still verifies
    assert runner.invoke(app, ["verify", str(pilot / "audit")]).exit_code == 0


def test_outputs_are_clean_under_auditkit_scan(pilot: Path):
    """`auditkit scan` finds no personal data in any output, in any language."""
    for lang in ("es", "pt", "en"):
        out = pilot / f"t-{lang}"
        assert (
            runner.invoke(
                app, ["register", str(pilot / "audit"), "-o", str(out), "--lang", lang]
            ).exit_code
            == 0
        )
        files = [str(out / n) for n in ("register.json", "notice.html", "notice.md")]
        scan = runner.invoke(app, ["scan", *files, "--country", "MX"])
        assert scan.exit_code == 0, scan.output


def _remove(path: Path) -> None:
    path.unlink()


def _tamper(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("ESCALAR", "GO"), encoding="utf-8")


def _wrong_schema(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema"] = "auditkit.findings/0"
    path.write_text(json.dumps(data), encoding="utf-8")


def _not_json(path: Path) -> None:
    path.write_text("{ not json", encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "file", "match"),
    [
        (_remove, "findings.json", "the review bundle has no findings.json"),
        (_remove, "manifest.json", "the review bundle has no manifest.json"),
        (_tamper, "report.md", "does not match its manifest.json (changed: report.md)"),
        (_wrong_schema, "findings.json", "field 'schema': expected 'auditkit.findings/1'"),
        (_not_json, "decision.json", "is not valid JSON"),
    ],
)
def test_bad_bundles_exit_2_and_write_nothing(pilot: Path, damage, file: str, match: str):
    """A missing, foreign or tampered bundle: exit 2, the file and the problem, nothing written."""
    damage(pilot / "audit" / file)
    out = pilot / "transparency"
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert match in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_an_added_file_is_tampering_too(pilot: Path):
    """A file added to the bundle after the review makes it fail verify: refused."""
    (pilot / "audit" / "extra.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(pilot / "t")])
    assert result.exit_code == 2
    assert "extra: extra.txt" in result.stderr


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["{pilot}/nowhere", "-o", "{pilot}/t"], "it does not exist"),
        (["{pilot}/audit", "-o", "{pilot}/audit/public"], "expected a folder outside the review"),
        (["{pilot}/audit", "-o", "{pilot}/t", "--pilot", "{pilot}/none"], "--pilot: expected"),
        (
            ["{pilot}/audit", "-o", "{pilot}/docs/model_card.md"],
            "expected a folder for the outputs",
        ),
        (["{pilot}/audit", "-o", "{pilot}/t", "--lang", "fr"], "Invalid value"),
        (["{pilot}/audit", "-o", "{pilot}/t", "--standard", "cplt"], "Invalid value"),
    ],
)
def test_bad_arguments_exit_2(pilot: Path, args: list[str], match: str):
    """Usage errors name the option and what was expected."""
    argv = ["register", *(a.format(pilot=pilot) for a in args)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert match in result.stderr
    assert not (pilot / "t").exists()
    assert not (pilot / "audit" / "public").exists()


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("- Planear cuadrillas; dudas a maria.lopez.guadalajara@gmail.com.", "e-mail address"),
        ("- Planear cuadrillas; dudas al 33 1234 5678 de la jefa de turno.", "phone number"),
    ],
)
def test_the_gate_refuses_a_personal_value_planted_in_the_model_card(
    pilot: Path, planted: str, kind: str
):
    """Personal data in the model card reaches no output: exit 2, named, nothing written."""
    card = pilot / "docs" / "model_card.md"
    text = card.read_text(encoding="utf-8")
    assert text.count("- Planear cuadrillas") == 1
    card.write_text(text.replace("- Planear cuadrillas", planted), encoding="utf-8")
    out = pilot / "transparency"
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "refusing to publish the register" in result.stderr
    assert kind in result.stderr
    assert "notice.md" in result.stderr and "register.json" in result.stderr
    assert "gmail" not in result.stderr and "1234" not in result.stderr  # never the value
    assert not out.exists()


def test_a_refused_run_leaves_the_previous_outputs_untouched(pilot: Path):
    """Written once, then refused by the gate: the earlier files stay as they were."""
    out = pilot / "transparency"
    assert runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    card = pilot / "docs" / "model_card.md"
    card.write_text(
        card.read_text(encoding="utf-8").replace(
            "contacto: **[completar]**", "contacto: ana.ruiz@gmail.com", 1
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(out)])
    assert result.exit_code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in pilot.iterdir() if p.name.startswith(".transparency-")]


def test_the_pilot_folder_defaults_to_the_bundles_parent(pilot: Path, tmp_path: Path):
    """Without --pilot the bundle's parent is read when it holds docs/model_card.md."""
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(tmp_path / "a")])
    assert result.exit_code == 0
    entry = json.loads((tmp_path / "a" / "register.json").read_text(encoding="utf-8"))
    assert entry["model"]["baseline"] is not None
    shutil.rmtree(pilot / "docs")
    result = runner.invoke(app, ["register", str(pilot / "audit"), "-o", str(tmp_path / "b")])
    assert result.exit_code == 0
    assert "pass --pilot" in result.stderr
