"""Scan precision on real exports: every labelled column of the corpus, no miss, no false alarm.

The corpus (tests/data/scan_corpus, see its SOURCES.md) holds excerpts of real public tables
with their own headers (Los Angeles MyLA311, New York City 311, the Broward County COMPAS court
table) and synthetic tables that follow published dictionaries (a Mexico City request export,
Curitiba's 156), each column labelled personal or not in labels.csv.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from auditkit.privacy import scan_path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "scan_corpus"
COUNTRY = {
    "la_myla311_2017.csv": "US",
    "nyc_311.csv": "US",
    "nyc_311_parks_synthetic.csv": "US",
    "compas_broward.csv": "US",
    "cdmx_solicitudes_synthetic.csv": "MX",
    "curitiba_156_synthetic.csv": "BR",
}


def labels() -> dict[str, dict[str, str]]:
    """file -> column -> kind ('' when not personal)."""
    out: dict[str, dict[str, str]] = {}
    with (CORPUS / "labels.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["file"], {})[row["column"]] = (
                row["kind"] if row["personal"] == "yes" else ""
            )
    return out


def evaluate(name: str, *, country: str | None) -> tuple[set[str], set[str]]:
    """(missed columns, false alarms) of the scan of one corpus file."""
    truth = labels()[name]
    found = {hit.column for hit in scan_path(CORPUS / name, country=country).hits}
    personal = {column for column, kind in truth.items() if kind}
    return personal - found, found - personal


def test_every_column_is_labelled():
    """labels.csv covers every column of every file of the corpus."""
    table = labels()
    assert set(table) == set(COUNTRY)
    for name in COUNTRY:
        with (CORPUS / name).open(encoding="latin-1") as handle:
            first = handle.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter))
        assert set(header) == set(table[name]), name


@pytest.mark.parametrize("name", sorted(COUNTRY))
@pytest.mark.parametrize("with_country", [True, False])
def test_no_miss_and_no_false_alarm(name, with_country):
    """Column-level: every personal column found, nothing else reported."""
    missed, false_alarms = evaluate(name, country=COUNTRY[name] if with_country else None)
    assert not missed, f"missed in {name}: {sorted(missed)}"
    assert not false_alarms, f"false alarms in {name}: {sorted(false_alarms)}"
