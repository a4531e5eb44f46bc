"""The publishing gate scans a whole bundle at once: shared strings are examined once, and every
file, column and string keeps the verdict it has when scanned alone."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.privacy import PersonalDataError, check_publishable, scan_bytes, scan_columns
from auditkit.privacy._files import scan_many
from auditkit.privacy._text import _id_patterns, _identifiers
from tests.privacy import oracles
from tests.privacy.tables import cadastro_br, padron_co, requests_mx

AUDITS = Path(__file__).resolve().parents[2] / "examples" / "audits"

runner = CliRunner()


def _problems(outputs: dict[str, bytes], country: str | None = None) -> list[str]:
    """The gate's refusals, one per file, column and kind ([] when it publishes)."""
    try:
        check_publishable(outputs, country=country)
    except PersonalDataError as err:
        listed = str(err).split("outputs (", 1)[1].rsplit("). Nothing", 1)[0]
        return listed.split("; ")
    return []


def test_gate_on_a_written_review_does_not_import_pandas(tmp_path):
    """Text, JSON, Markdown, HTML and SVG outputs are lists of strings: no pandas to scan them."""
    out = tmp_path / "review"
    config = AUDITS / "sla-classifier" / "audit.yaml"
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(out)])
    assert out.joinpath("manifest.json").is_file(), result.output
    names = sorted(json.loads(out.joinpath("manifest.json").read_text())["files"])
    assert {"findings.json", "report.md", "report.html"} <= set(names)
    assert any(name.endswith(".svg") for name in names)
    code = f"""
import json, sys
from pathlib import Path
from auditkit.privacy import check_publishable
from auditkit.privacy._publish import declared_in_decision
folder = Path({str(out)!r})
outputs = {{name: (folder / name).read_bytes() for name in {names!r}}}
check_publishable(outputs, country="MX", public=declared_in_decision(outputs))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "pyarrow"))))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    assert "pyarrow" in modules  # the gate did scan, in Arrow
    assert [m for m in modules if m.split(".")[0] == "pandas"] == []


def test_same_string_keeps_each_columns_verdict():
    """One string, several columns and files in one gate call: each column's name still decides
    (a CPF named as such carries its scheme, a latitude is a coordinate only under its name)."""
    document = {
        "cpf": "52998224725",
        "valor": "52998224725",
        "latitude": "-33.456789",
        "nota": "-33.456789",
    }
    outputs = {
        "a.json": json.dumps(document).encode(),
        "b.md": b"52998224725\n-33.456789\n",
    }
    assert _problems(outputs) == [
        "a.json: 'cpf' holds a national identifier (br.cpf)",
        "a.json: 'valor' holds a national identifier",
        "a.json: 'latitude' holds precise coordinates",
        "b.md: its text holds a national identifier",
    ]


def test_country_is_part_of_what_is_remembered():
    """The same bytes gated for two countries in one process: each country's own verdict."""
    outputs = {"report.md": b"(33) 1234-5678\n", "findings.json": b'{"g": "(33) 1234-5678"}'}
    assert _problems(outputs, "BR") == []
    assert _problems(outputs, "MX") == [
        "findings.json: 'g' holds a phone number",
        "report.md: its text holds a phone number",
    ]
    assert _problems(outputs, "BR") == []


def _artefacts(seed: int) -> dict[str, bytes]:
    """Files sharing many strings, some personal, in several columns, spellings and paddings."""
    rng = random.Random(seed)
    personal = [
        oracles.cpf(rng),
        oracles.cpf(rng, formatted=False),
        oracles.curp(rng),
        oracles.cl_rut(rng),
        "+52 33 1234 5678",
        "(33) 1234-5678",
        "ana.ruiz@example.org",
        "ana.ruiz [at] example.org",
        "Maria Hernandez Lopez",
        "-33.456789, -70.654321",
        "3312345678",
    ]
    plain = ["Centro", "0.812", "0.701 – 0.923", "120", "Benito Juárez", "Z01", "", "  ", "1000000"]
    keys = ["group", "telefono", "cpf", "latitude", "nombre", "nota", "count"]

    def value() -> str:
        text = rng.choice(personal) if rng.random() < 0.15 else rng.choice(plain)
        return rng.choice(["", " ", "\u00a0", "\t"]) + text + rng.choice(["", " ", "\u2003"])

    files: dict[str, bytes] = {}
    for i in range(4):
        rows = [{rng.choice(keys): value() for _ in range(3)} for _ in range(rng.randint(1, 25))]
        files[f"f{i}.json"] = json.dumps({"rows": rows}, ensure_ascii=False).encode()
        lines = "\n".join(f"| {value()} | {value()} |" for _ in range(rng.randint(1, 20)))
        files[f"f{i}.md"] = lines.encode()
        cells = "".join(f"<td>{value()}</td>" for _ in range(rng.randint(1, 20)))
        files[f"f{i}.html"] = f"<table><tr>{cells}</tr></table>".encode()
    return files


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("country", [None, "MX", "BR"])
def test_one_scan_of_many_files_equals_each_file_alone(seed, country):
    """Scanning a bundle together gives every file the hits (kinds, schemes, rows, bases,
    estimates) of its own scan; small ``max_values`` and ``max_rows`` sample both ways alike."""
    files = _artefacts(seed)
    for limits in ({}, {"max_values": 3, "max_rows": 5}):
        together = scan_many(files.items(), country=country, as_="artefact", **limits)
        alone = [
            scan_bytes(name, data, country=country, as_="artefact", **limits)
            for name, data in files.items()
        ]
        assert together == alone


def _as_lists(frame) -> list[tuple[str, list[str | None]]]:
    return [
        (str(name), [None if v is None else str(v) for v in frame[name].astype(object)])
        for name in frame.columns
    ]


@pytest.mark.parametrize("make", [requests_mx, cadastro_br, padron_co])
@pytest.mark.parametrize("profile", ["table", "artefact"])
@pytest.mark.parametrize("limits", [{}, {"max_values": 7, "max_rows": 40}])
def test_lists_of_strings_scan_as_arrow_columns(make, profile, limits):
    """Columns given as Python lists (held in the shared pool) and the same columns given in
    Arrow (the general path: value counts, trimming, blanks dropped) get the same hits."""
    frame, _ = make(rows=80)
    columns = _as_lists(frame)
    padded = [
        (f"{name}_pad", [f" {v}\u00a0" if v else v for v in values]) for name, values in columns
    ]
    listed = columns + padded + [("vacia", [None, "", "  "])]
    arrow = [(name, pa.array(values, pa.string())) for name, values in listed]
    for country in (None, "MX"):
        from_lists = scan_columns(listed, source="t", country=country, profile=profile, **limits)
        from_arrow = scan_columns(arrow, source="t", country=country, profile=profile, **limits)
        assert from_lists == from_arrow
    assert from_lists  # the tables hold personal data: the comparison is not of two empty lists


def test_identifier_prefilter_skips_only_texts_without_identifiers():
    """The one-pattern prefilter of identifiers changes no span: every scheme's own pattern,
    run on each text, finds the same identifiers."""
    rng = random.Random(7)
    makers = [oracles.cpf, oracles.cnpj, oracles.cl_rut, oracles.co_nit, oracles.uy_ci]
    texts = []
    for _ in range(400):
        pieces = [
            rng.choice(makers)(rng, formatted=rng.random() < 0.5),
            oracles.curp(rng),
            oracles.rfc_person(rng).lower(),
            oracles.ar_cuit(rng, formatted=rng.random() < 0.5),
            oracles.random_digits(rng, rng.randint(5, 15)),
            rng.choice(["folio", "ID:", "a", "0.", ",", "/", "-", " ", "K"]),
        ]
        rng.shuffle(pieces)
        texts.append(rng.choice(["", " ", "x"]).join(pieces[: rng.randint(1, 4)]))

    def every_pattern(text: str) -> list[tuple[int, int, str]]:
        spans = []
        for pattern, scheme in _id_patterns():
            for match in pattern.finditer(text):
                token = match.group(0)
                if token.isdigit() and scheme.name not in {  # type: ignore[attr-defined]
                    "br.cpf",
                    "br.cnpj",
                    "ar.cuit",
                    "uy.rut",
                    "mx.curp",
                    "mx.rfc",
                }:
                    continue
                if scheme.validate(token.upper()):  # type: ignore[attr-defined]
                    spans.append((match.start(), match.end(), "national_id"))
        return spans

    found = 0
    for text in texts:
        assert _identifiers(text) == every_pattern(text), text
        found += bool(_identifiers(text))
    assert found > 100  # most texts do hold a valid identifier


def _walk(value, path: str, out: dict[str, list[str]]) -> None:
    """What a JSON document's columns are, written plainly: a path per key, lists flattened,
    fractional numbers only under a coordinate's key, no null and no boolean."""
    from auditkit.privacy._names import column_hints

    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for item in value:
            _walk(item, path, out)
    elif isinstance(value, float):
        hints = column_hints(path.rsplit(".", 1)[-1])
        if hints & {"latitude", "longitude", "projected", "point"}:
            out.setdefault(path or "value", []).append(repr(value))
    elif value is not None and not isinstance(value, bool):
        out.setdefault(path or "value", []).append(str(value))


@pytest.mark.parametrize("seed", range(5))
def test_json_columns_are_every_key_path(seed):
    """A JSON artefact's columns: every key path in order, with its values in order."""
    from auditkit.privacy._files import _json_columns

    rng = random.Random(seed)

    def document(depth: int = 0):
        roll = rng.random()
        if depth > 3 or roll < 0.4:
            return rng.choice(["a", "", " Z01 ", 1, 0, 2.5, -33.456789, None, True, False, "ñ"])
        if roll < 0.7:
            keys = ["lat", "longitud", "x", "", "latitude", "y.z", "grupo"]
            return {rng.choice(keys): document(depth + 1) for _ in range(rng.randint(0, 4))}
        return [document(depth + 1) for _ in range(rng.randint(0, 4))]

    for _ in range(300):
        value = document()
        expected: dict[str, list[str]] = {}
        _walk(value, "", expected)
        columns = _json_columns(json.dumps(value).encode(), "t.json", ".json")
        assert list(columns.items()) == list(expected.items())
