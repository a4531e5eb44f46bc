"""The data area where the data lives: the personal-data scan and the leakage aggregates.

The scan of a table read through the engine (per-column counts and a bounded sample of distinct
values, computed by DuckDB or PostgreSQL) must give the pandas path's hits; the data checks of an
engine source must never hold its rows in pandas.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from auditkit import _area
from auditkit._errors import InputDataError
from auditkit.cli import app
from auditkit.engine import Source, open_table
from auditkit.engine._profile import (
    ColumnProfile,
    TimeAggregates,
    _bottom,
    profile_columns,
    time_aggregates,
)
from auditkit.engine._source import close
from auditkit.privacy import DistinctValues, PersonalDataHit, scan_distinct, scan_path
from auditkit.privacy._files import _read_csv
from tests.engine._compare import files_source, query_source

CORPUS = Path(__file__).parents[1] / "data" / "scan_corpus"
COUNTRY = {
    "la_myla311_2017.csv": "US",
    "nyc_311.csv": "US",
    "nyc_311_parks_synthetic.csv": "US",
    "compas_broward.csv": "US",
    "cdmx_solicitudes_synthetic.csv": "MX",
    "curitiba_156_synthetic.csv": "BR",
}
runner = CliRunner()


def profiles_of(source: Source, limit: int = 20_000) -> list[ColumnProfile]:
    table = open_table(source)
    try:
        return profile_columns(table, source, limit=limit)
    finally:
        close(table)


def times_of(source: Source, **columns: str | None) -> TimeAggregates:
    table = open_table(source)
    try:
        return time_aggregates(table, source, **columns)  # type: ignore[arg-type]
    finally:
        close(table)


def engine_scan(source: Source, *, country: str | None, limit: int = 20_000) -> list[dict]:
    profiles = profiles_of(source, limit)
    columns = [DistinctValues(p.name, p.values, p.counts, p.nonnull, p.complete) for p in profiles]
    return _plain(scan_distinct(columns, source="t", country=country))


def _plain(hits: list[PersonalDataHit]) -> list[dict]:
    return [{**h.to_dict(), "source": "t"} for h in hits]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus table as text columns: one Parquet file, two Parquet parts, a UTF-8 CSV."""
    folder = tmp_path_factory.mktemp("corpus")
    for name in COUNTRY:
        header, table = _read_csv(CORPUS / name, name)
        table = table.rename_columns(header)
        stem = Path(name).stem
        pq.write_table(table, folder / f"{stem}.parquet")
        (folder / stem).mkdir()
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), folder / stem / "part-0.parquet")
        pq.write_table(table.slice(half), folder / stem / "part-1.parquet")
        pcsv.write_csv(table, folder / f"{stem}.csv")
    return folder


@pytest.mark.parametrize("name", sorted(COUNTRY))
@pytest.mark.parametrize("with_country", [True, False])
def test_corpus_scan_in_duckdb_equals_the_file_scan(corpus: Path, name: str, with_country: bool):
    """Parquet file, Parquet parts and SQL over the CSV: the file scan's hits, every count."""
    country = COUNTRY[name] if with_country else None
    expected = _plain(list(scan_path(CORPUS / name, country=country).hits))
    stem = Path(name).stem
    parts = tuple(sorted((corpus / stem).glob("*.parquet")))
    sql = f"SELECT * FROM read_csv('{stem}.csv', header = true, all_varchar = true)"
    for source in (
        files_source(corpus / f"{stem}.parquet"),
        files_source(*parts),
        query_source(sql, corpus),
    ):
        assert engine_scan(source, country=country) == expected, (name, source.kind)


def test_corpus_scan_in_postgres_equals_the_file_scan(postgres_url: str, corpus: Path):
    """Each corpus table loaded into PostgreSQL (text columns) and scanned in place."""
    for name in sorted(COUNTRY):
        header, table = _read_csv(CORPUS / name, name)
        relation = "corpus_" + Path(name).stem
        names: list[str] = []
        for h in header:  # COMPAS repeats a column name; DuckDB reads the second as name_1
            names.append(h if h not in names else f"{h}_{names.count(h)}")
        columns = ", ".join(f'"{h}" text' for h in names)
        with psycopg.connect(postgres_url) as con, con.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "{relation}"')
            cur.execute(f'CREATE TABLE "{relation}" ({columns})')
            with cur.copy(f'COPY "{relation}" FROM STDIN') as copy:
                for row in zip(*(c.to_pylist() for c in table.columns), strict=True):
                    copy.write_row(row)
        source = Source(
            kind="table",
            label=relation,
            base_dir=corpus,
            table=relation,
            connection=postgres_url,
        )
        country = COUNTRY[name]
        expected = _plain(list(scan_path(CORPUS / name, country=country).hits))
        assert engine_scan(source, country=country) == expected, name


def test_postgres_samples_in_place(postgres_url: str, tmp_path: Path):
    """A column beyond the limit in PostgreSQL: bounded, repeatable, blank-free, estimated."""
    with psycopg.connect(postgres_url) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS contacts")
        cur.execute("CREATE TABLE contacts (correo text, n bigint)")
        with cur.copy("COPY contacts FROM STDIN") as copy:
            for i in range(6000):
                copy.write_row([" " if i % 50 == 0 else f"vecino{i % 3000}@correo.mx", i % 7])
    source = Source(
        kind="table", label="contacts", base_dir=tmp_path, table="contacts", connection=postgres_url
    )
    first, again = profiles_of(source, limit=200), profiles_of(source, limit=200)
    mail, number = first
    assert mail.values.to_pylist() == again[0].values.to_pylist()
    assert len(mail.values) <= 200 and not mail.complete
    assert mail.nonnull == 6000 - 120 and abs(mail.distinct - 3000) < 0.3 * 3000
    assert number.complete and sorted(number.values.to_pylist()) == list(range(7))
    hits = engine_scan(source, country=None, limit=200)
    assert [(h["column"], h["kind"], h["estimated"]) for h in hits] == [("correo", "email", True)]
    assert abs(hits[0]["rows"] - 5880) < 0.1 * 5880


def test_the_sample_is_bounded_and_the_same_every_run(tmp_path: Path):
    """Beyond the limit: exactly ``limit`` values, the same ones each run, estimated counts."""
    n = 30_000
    rng = np.random.default_rng(3)
    users = [f"persona{i}@example.org" for i in range(n)]
    frame = pd.DataFrame({"contacto": users, "zona": rng.choice(["a", "b"], n)})
    frame.to_parquet(tmp_path / "p.parquet")
    source = files_source(tmp_path / "p.parquet")
    runs = []
    for _ in range(2):
        runs.append(profiles_of(source, limit=500))
    contact = runs[0][0]
    assert not contact.complete and len(contact.values) == 500
    assert contact.values.equals(runs[1][0].values)
    assert contact.nonnull == n and contact.rows == n
    assert abs(contact.distinct - n) < 0.15 * n  # bottom-k estimate: 1/sqrt(500) = 4.5 % error
    assert runs[0][1].complete and sorted(runs[0][1].values.to_pylist()) == ["a", "b"]
    hits = engine_scan(source, country=None, limit=500)
    assert [(h["column"], h["kind"], h["rows"], h["estimated"]) for h in hits] == [
        ("contacto", "email", n, True)
    ]


@pytest.mark.parametrize(("rows", "repeats"), [(30_000, 10), (200_000, 10), (4_000, 1)])
def test_the_hash_cut_gives_the_sample_of_every_value(tmp_path: Path, rows: int, repeats: int):
    """Filtered passes (one, two, or none) keep exactly the values of smallest hash."""
    values = np.arange(rows // repeats).repeat(repeats)
    codes = pd.Series(values).map(lambda v: f"C-{v:07d}")
    codes[::97] = "   "  # blank text is no value
    pd.DataFrame({"code": codes}).to_parquet(tmp_path / "p.parquet")
    source = files_source(tmp_path / "p.parquet")
    table = open_table(source)
    try:
        every = _bottom(table, "code", 500, None)
    finally:
        close(table)
    (profile,) = profiles_of(source, limit=500)
    expected = [v for v in every.column("__auditkit_value").to_pylist()[:500] if v.strip()]
    assert profile.values.to_pylist() == expected
    assert profile.nonnull == rows - len(codes[::97])
    assert not profile.complete
    assert abs(profile.distinct - rows // repeats) < 0.15 * rows // repeats


def test_time_aggregates_equal_pandas(tmp_path: Path):
    """First and last day, late features: typed dates, ISO text and offsets (UTC)."""
    frame = pd.DataFrame(
        {
            "made": ["2024-03-01", "2024-03-15", "2024-02-10", None],
            "built": ["2024-02-28 10:00", "2024-03-15 08:00", "2024-02-10T12:00:00+02:00", None],
        }
    )
    frame.to_csv(tmp_path / "p.csv", index=False)
    source = files_source(tmp_path / "p.csv")
    found = times_of(source, prediction_time="made", feature_time="built")
    # 2024-03-15 08:00 and 2024-02-10 10:00 UTC are later than their days' midnight
    assert (found.rows, found.later) == (4, 2)
    assert (str(found.first_day), str(found.last_day)) == ("2024-02-10", "2024-03-15")
    frame.loc[1, "made"] = "not a date"
    frame.to_csv(tmp_path / "p.csv", index=False)
    with pytest.raises(InputDataError, match=r"'made' must hold dates .* 1 value\(s\)"):
        times_of(source, prediction_time="made", feature_time=None)


AUDIT = """\
pilot: {{name: Alertas, task: classification, language: es, country: MX}}
data:
{source}
  y_true: y
  y_pred: p
  groups: [zona]
  prediction_time: made
  feature_time: built
  train_window: [2023-01-01, 2024-01-10]
fairness: {{metrics: [selection_rate], bootstrap: 50}}
privacy: {{min_cell: 10}}
"""


def _predictions(n: int = 600, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    late = rng.random(n) < 0.05
    built = days - pd.to_timedelta(np.where(late, -3, 2), unit="D")
    y = rng.integers(0, 2, n)
    return pd.DataFrame(
        {
            "folio": [f"F{i:06d}" for i in range(n)],
            "zona": rng.choice(["Centro", "Norte", "Sur", "Isla"], n, p=[0.45, 0.3, 0.24, 0.01]),
            "correo": [f"vecino{i}@correo.mx" if i % 3 else None for i in range(n)],
            "telefono": [f"+52 33 {1000 + i:04d} {5000 + i:04d}" for i in range(n)],
            "made": days.strftime("%Y-%m-%d"),
            "built": built.strftime("%Y-%m-%d"),
            "y": y,
            "p": np.where(rng.random(n) < 0.8, y, 1 - y),
        }
    )


def _review(folder: Path, source: str, out: str = "out") -> tuple[int, str]:
    (folder / "audit.yaml").write_text(AUDIT.format(source=source), encoding="utf-8")
    result = runner.invoke(
        app, ["review", "-c", str(folder / "audit.yaml"), "-o", str(folder / out)]
    )
    return result.exit_code, result.output


def _data_findings(folder: Path, out: str = "out") -> tuple[list[dict], dict]:
    """The data findings and section; the source's name (file, glob or query) as ``SOURCE``."""
    text = (folder / out / "findings.json").read_text(encoding="utf-8")
    inputs = json.loads(text)["inputs"]
    label = next(i["path"] for i in inputs if i["role"] == "predictions")
    found = json.loads(text.replace(json.dumps(label)[1:-1], "SOURCE"))
    data = [f for f in found["findings"] if f["area"] == "data" or f["id"].startswith("privacy")]
    return data, found["data"]


@pytest.fixture
def never_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any area asks the kit for the whole predictions table."""

    def refuse(context: _area.ReviewContext) -> None:
        raise AssertionError("load_predictions was called on an engine source")

    monkeypatch.setattr(_area, "load_predictions", refuse)
    for module in (
        "auditkit.data._predictions",
        "auditkit.fairness._review",
        "auditkit.performance._review",
        "auditkit.explain._inputs",
    ):
        monkeypatch.setattr(f"{module}.load_predictions", refuse, raising=False)


def test_data_and_fairness_of_a_glob_never_hold_the_table(tmp_path: Path, never_load: None):
    """A review of Parquet parts (scan, leakage, freshness, fairness) reads no row into pandas."""
    frame = _predictions()
    (tmp_path / "parts").mkdir()
    for i in range(3):
        frame.iloc[i * 200 : (i + 1) * 200].to_parquet(tmp_path / "parts" / f"part-{i}.parquet")
    code, output = _review(tmp_path, "  predictions: parts/*.parquet")
    assert code in (0, 1), output
    findings, section = _data_findings(tmp_path)
    assert {f["id"]: f["status"] for f in findings}["data.leakage.features"] == "fail"
    assert section["personal_data"]["files"] == ["SOURCE"]
    inputs = json.loads((tmp_path / "out" / "findings.json").read_text())["inputs"]
    assert [(i["path"], i["rows"]) for i in inputs if i["role"] == "predictions"] == [
        ("parts/*.parquet", 600)
    ]
    kinds = {(h["column"], h["kind"]) for h in section["personal_data"]["hits"]}
    assert kinds == {("correo", "email"), ("telefono", "phone")}
    assert section["leakage"]["features_after_prediction"] == int(
        (pd.to_datetime(frame["built"]) > pd.to_datetime(frame["made"])).sum()
    )


@pytest.mark.parametrize(
    "source",
    [
        "  predictions: parts/*.parquet",
        "  predictions: parts/*.csv",
        "  query: \"SELECT * FROM read_parquet('parts/*.parquet') ORDER BY folio\"",
    ],
)
def test_engine_review_data_findings_equal_the_file_review(tmp_path: Path, source: str):
    """Every data finding and the data section: the same through the engine as from the file."""
    frame = _predictions()
    frame.to_csv(tmp_path / "p.csv", index=False)
    (tmp_path / "parts").mkdir()
    for i in range(3):
        part = frame.iloc[i * 200 : (i + 1) * 200]
        part.to_parquet(tmp_path / "parts" / f"part-{i}.parquet")
        part.to_csv(tmp_path / "parts" / f"part-{i}.csv", index=False)
    code, output = _review(tmp_path, "  predictions: p.csv", out="file")
    assert code in (0, 1), output
    code, output = _review(tmp_path, source, out="engine")
    assert code in (0, 1), output
    by_file, file_section = _data_findings(tmp_path, "file")
    by_engine, engine_section = _data_findings(tmp_path, "engine")
    assert by_engine == by_file
    assert engine_section == file_section
    assert {f["id"]: f["status"] for f in by_engine}["data.leakage.features"] == "fail"


def test_findings_are_byte_identical_and_hold_no_value(tmp_path: Path):
    """Two runs of an engine review: the same findings.json; no raw value in any output."""
    frame = _predictions()
    (tmp_path / "parts").mkdir()
    for i in range(3):
        frame.iloc[i * 200 : (i + 1) * 200].to_parquet(tmp_path / "parts" / f"part-{i}.parquet")
    outputs = []
    for out in ("a", "b"):
        code, output = _review(tmp_path, "  predictions: parts/*.parquet", out=out)
        assert code in (0, 1), output
        outputs.append((tmp_path / out / "findings.json").read_bytes())
    assert outputs[0] == outputs[1]
    written = " ".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (tmp_path / "a").rglob("*")
        if p.is_file()
    )
    for value in ("vecino1@correo.mx", "1001 5001", "F000001"):
        assert value not in written
    # the one-percent zone is a small group: its numbers are hidden
    rows = json.loads(outputs[0])["metrics"]
    small = [r for r in rows if r["group"] == "Isla"]
    assert small and all(r["suppressed"] and r["value"] is None for r in small)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("  query: \"SELECT * FROM read_parquet('nowhere/*.parquet')\"", "nowhere"),
        ("  query: \"SELECT *, 'soon' AS made2 FROM read_parquet('parts/*.parquet')\"", None),
    ],
)
def test_engine_errors_in_the_data_area_exit_2(tmp_path: Path, source: str, expected: str | None):
    """A failing query, and a prediction time that is not a date: exit 2, a message, no bundle."""
    frame = _predictions(60)
    if expected is None:
        frame["made"] = frame["made"].where(frame.index != 5, "pronto")
    (tmp_path / "parts").mkdir()
    frame.to_parquet(tmp_path / "parts" / "part-0.parquet")
    code, output = _review(tmp_path, source)
    text = " ".join(output.split())
    assert code == 2, output
    assert (expected or "'made' must hold dates") in text
    assert "pronto" not in text and "Traceback" not in text
    assert not (tmp_path / "out" / "findings.json").exists()


def test_scan_distinct_takes_any_column_type():
    """Numbers are scanned in their shortest text form (as the frame scan writes them)."""
    column = DistinctValues("x", pa.array([1.0, 2.5]), [3, 1], nonnull_rows=4)
    assert scan_distinct([column], source="t") == []
