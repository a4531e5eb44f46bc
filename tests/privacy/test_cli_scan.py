"""``auditkit scan``: exit codes, JSON output, and no value ever printed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from tests.privacy import tables

runner = CliRunner()


def _write(frame: pd.DataFrame, path: Path, **kwargs: object) -> Path:
    frame.to_csv(path, index=False, **kwargs)  # type: ignore[call-overload]
    return path


def _values(frame: pd.DataFrame, columns: set[str]) -> set[str]:
    """Every cell of the personal columns, as text, long enough to be meaningful."""
    out = set()
    for column in columns:
        for value in frame[column].dropna():
            text = str(value)
            out.add(text)
            out.update(part for part in text.split() if len(part) >= 5)
    return {v for v in out if len(v) >= 5}


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("make", [tables.requests_mx, tables.cadastro_br, tables.padron_co])
def test_no_value_in_any_output(tmp_path, make, fmt):
    """stdout and stderr name columns, kinds and counts; no cell value appears in them."""
    frame, expected = make()
    path = _write(frame, tmp_path / "export.csv")
    result = runner.invoke(app, ["scan", str(path), "--format", fmt])
    assert result.exit_code == 1, result.output
    output = result.stdout + result.stderr
    leaked = [v for v in _values(frame, {c for c, _ in expected}) if v in output]
    assert leaked == []
    for column, _ in expected:
        assert column in output


def test_json_document(tmp_path):
    """--format json lists every file with its hits; personal_data is true."""
    frame, expected = tables.cadastro_br()
    path = _write(frame, tmp_path / "cadastro.csv", sep=";", encoding="latin-1")
    result = runner.invoke(app, ["scan", str(path), "--format", "json", "--country", "BR"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["personal_data"] is True
    (entry,) = document["files"]
    assert entry["rows"] == len(frame) and entry["columns"] == frame.shape[1]
    assert {(h["column"], h["kind"]) for h in entry["hits"]} == expected


def test_clean_file_exits_0(tmp_path):
    """A table of aggregates has no personal data: exit 0."""
    frame = pd.DataFrame(
        {
            "colonia": tables.ZONES,
            "solicitudes": range(8),
            "tasa_por_mil": [1.25, 3.5, 0.75, 2.0, 1.0, 4.25, 0.5, 2.75],
        }
    )
    path = _write(frame, tmp_path / "agregados.csv")
    result = runner.invoke(app, ["scan", str(path)])
    assert result.exit_code == 0, result.output
    assert "no personal data" in result.stdout


def test_parquet_json_and_markdown(tmp_path):
    """Parquet tables, JSON documents and Markdown reports are scanned too."""
    frame, _ = tables.requests_mx(rows=20)
    frame.to_parquet(tmp_path / "t.parquet")
    (tmp_path / "f.json").write_text(json.dumps({"contact": {"mail": "ana@example.org"}}))
    (tmp_path / "r.md").write_text("# Report\n\nCall +52 33 1234 5678 for details.\n")
    (tmp_path / "ok.md").write_text("# Report\n\nRatio 0.8123 [0.7012, 0.9234] in Centro.\n")
    for name, code in [("t.parquet", 1), ("f.json", 1), ("r.md", 1), ("ok.md", 0)]:
        result = runner.invoke(app, ["scan", str(tmp_path / name)])
        assert result.exit_code == code, (name, result.output)


@pytest.mark.parametrize(
    ("setup", "args", "match"),
    [
        (None, ["missing.csv"], "does not exist"),
        ("dir", ["folder"], "found a folder"),
        ("xls", ["book.xls"], "cannot scan this kind of file"),
        ("xlsx", ["book.xlsx"], "could not be read as an Excel workbook"),
        ("empty", ["empty.csv"], "empty"),
        ("badjson", ["bad.json"], "not valid JSON"),
        ("ragged", ["ragged.csv"], "expected 2 columns, got 4"),
        ("csv", ["ok.csv", "--country", "Mexico"], "two-letter"),
        ("csv", ["ok.csv", "missing.csv"], "does not exist"),
    ],
)
def test_bad_input_exits_2(tmp_path, monkeypatch, setup, args, match):
    """Bad input: exit 2, a clear message on stderr, no traceback, nothing on stdout."""
    monkeypatch.chdir(tmp_path)
    if setup == "dir":
        (tmp_path / "folder").mkdir()
    elif setup == "xls":
        (tmp_path / "book.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    elif setup == "xlsx":
        (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04")
    elif setup == "empty":
        (tmp_path / "empty.csv").write_text("")
    elif setup == "badjson":
        (tmp_path / "bad.json").write_text('{"a": ')
    elif setup == "ragged":
        (tmp_path / "ragged.csv").write_text("a,b\n1,2\nana@example.org,4,5,6\n")
    elif setup == "csv":
        (tmp_path / "ok.csv").write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["scan", *args])
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output and "ana@" not in result.output
    assert result.stdout == ""


def test_all_rows_finds_a_rare_value(tmp_path):
    """One e-mail in 200,000 rows may escape the sample; --all-rows reads every row."""
    values = ["sin datos"] * 200_000
    values[123_457] = "escribir a ana@example.org"
    path = _write(pd.DataFrame({"nota": values}), tmp_path / "notas.csv")
    result = runner.invoke(app, ["scan", str(path), "--all-rows", "--format", "json"])
    assert result.exit_code == 1
    (hit,) = json.loads(result.stdout)["files"][0]["hits"]
    assert hit["kind"] == "email" and hit["rows"] == 1 and not hit["estimated"]


def test_line_breaks_inside_quoted_values(tmp_path):
    """Free text with line breaks inside quotes is read, and its e-mail found."""
    path = tmp_path / "quoted.csv"
    path.write_text('id,nota\n1,"primera línea\nsegunda: ana@example.org"\n2,"sin datos"\n')
    result = runner.invoke(app, ["scan", str(path), "--format", "json"])
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["rows"] == 2 and entry["hits"][0]["kind"] == "email"


def test_excel_workbook_every_sheet(tmp_path):
    """Each sheet of a workbook is scanned; columns are named 'sheet / column'; no value shown."""
    frame, expected = tables.requests_mx()
    other, expected_br = tables.cadastro_br()
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as writer:
        frame.to_excel(writer, sheet_name="solicitudes", index=False)
        other.to_excel(writer, sheet_name="cadastro", index=False)
    result = runner.invoke(app, ["scan", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.stdout)["files"]
    found = {(h["column"], h["kind"]) for h in entry["hits"]}
    assert found == {(f"solicitudes / {c}", k) for c, k in expected} | {
        (f"cadastro / {c}", k) for c, k in expected_br
    }
    leaked = [v for v in _values(frame, {c for c, _ in expected}) if v in result.output]
    assert leaked == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ["filas", "correo electrónico", "nombre de la columna"]),
        ("pt", ["linhas", "endereço de e-mail", "nome da coluna"]),
    ],
)
def test_text_output_in_spanish_and_portuguese(tmp_path, lang, words):
    """--lang es/pt: the summary has no English words left."""
    frame = pd.DataFrame({"correo": ["a@b.org", "c@d.org"], "zona": ["Centro", "Norte"]})
    path = _write(frame, tmp_path / "t.csv")
    result = runner.invoke(app, ["scan", str(path), "--lang", lang])
    assert result.exit_code == 1
    for word in words:
        assert word in result.stdout
    for english in ("rows", "column name", "e-mail address", "personal data in"):
        assert english not in result.stdout
