"""`auditkit scan` finds the hostile variants in a Markdown report, and its own output is masked."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from auditkit.cli import app

runner = CliRunner()

VARIANTS = [
    ("Maria Hernandez Lopez", "person_name"),
    ("52998224725", "national_id"),
    ("boxw310820hnerxn09", "national_id"),
    ("3312345678", "phone"),
    ("ana.ruiz [at] example.com", "email"),
    ("ana.ruiz (at) example (dot) com", "email"),
    ("ana.ruiz arroba example punto com", "email"),
]


@pytest.mark.parametrize(("value", "kind"), VARIANTS)
@pytest.mark.parametrize("where", ["cell", "sentence"])
def test_scan_finds_variant_in_markdown(tmp_path, value, kind, where):
    """A report.md with the value in a table cell or a sentence: exit 1, kind named, no value."""
    if where == "cell" or kind == "phone":  # bare digits count only as a whole cell
        text = f"| Grupo | n |\n|---|---:|\n| {value} | 120 |\n"
    else:
        text = f"El grupo más lejano es {value} con 0,395×.\n"
    path = tmp_path / "report.md"
    path.write_text(f"# Informe\n\n{text}", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(path), "--country", "MX", "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert kind in {h["kind"] for f in document["files"] for h in f["hits"]}
    assert value not in result.output


def test_ordinary_report_is_clean(tmp_path):
    """Counts, ratios, intervals, dates, zone names that honour people: nothing found."""
    path = tmp_path / "report.md"
    path.write_text(
        "# Informe: Demanda Guadalajara\n\n"
        "| Grupo | Registros | Valor | Intervalo |\n|---|---:|---:|---:|\n"
        "| Benito Juárez | 1.234 | 0,812 | 0,701 – 0,923 |\n"
        "| Miguel Hidalgo | 96 | 4.373 | 4.192 – 4.54 |\n"
        "| Rafael Uribe Uribe | < 10 | — | — |\n\n"
        "Fecha de corte: 2026-03-01. Solicitud 1-870704831. Huella `3f2a9c0d1e5b7a8c…`.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["scan", str(path), "--country", "MX"])
    assert result.exit_code == 0, result.output


def test_scan_output_masks_a_personal_file_name(tmp_path):
    """The file name is printed by scan: an e-mail in it is masked, the scan still runs."""
    path = tmp_path / "ana.ruiz@example.com.csv"
    path.write_text("zona,n\nCentro,3\n", encoding="utf-8")
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == 0, result.output
    assert "ana.ruiz@example.com" not in result.output and "[e-mail]" in result.output
