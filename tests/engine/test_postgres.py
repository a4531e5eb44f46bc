"""A PostgreSQL table audited in place: the same numbers as the file path, intervals included."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

from auditkit._io import read_table
from auditkit.cli import app
from auditkit.engine import Source
from tests.engine._compare import assert_same, engine_metrics, frame_metrics
from tests.engine.test_duckdb import GROUPS, _table

runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The test table as a CSV file and as table ``predictions`` (rows in the same order)."""
    folder = tmp_path_factory.mktemp("pg")
    frame = _table(5000, seed=11)
    frame.to_csv(folder / "p.csv", index=False)
    with psycopg.connect(postgres_url) as con, con.cursor() as cur:
        cur.execute(
            "CREATE TABLE predictions (zone text, lang text, age bigint, y bigint, p bigint, "
            "w double precision, count double precision, forecast double precision, "
            "low double precision, high double precision)"
        )
        with cur.copy("COPY predictions FROM STDIN") as copy:
            for row in frame.itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in row])
    return postgres_url, folder


def test_table_in_place_same_as_file(loaded: tuple[str, Path]):
    url, folder = loaded
    source = Source(
        kind="table",
        label="table predictions",
        base_dir=folder,
        table="predictions",
        connection=url,
    )
    frame = read_table(folder / "p.csv", text_columns=GROUPS)
    options = dict(
        y_true="y",
        y_pred="p",
        groups=GROUPS,
        task="classification",
        sample_weight="w",
        bootstrap=200,
        seed=5,
    )
    assert_same(frame_metrics(frame, **options), engine_metrics(source, **options))


def test_query_in_place_same_as_filtered_file(loaded: tuple[str, Path]):
    """A WHERE clause in the database equals the same filter on the file."""
    url, folder = loaded
    query = "SELECT * FROM predictions WHERE lang <> 'qu'"
    source = Source(kind="query", label="query", base_dir=folder, query=query, connection=url)
    frame = read_table(folder / "p.csv", text_columns=GROUPS)
    frame = frame[frame["lang"] != "qu"].reset_index(drop=True)
    frame["lang"] = frame["lang"].cat.remove_unused_categories()
    options = dict(
        y_true="count",
        y_pred="forecast",
        groups=GROUPS,
        task="forecast",
        bootstrap=100,
        y_pred_lower="low",
        y_pred_upper="high",
    )
    assert_same(frame_metrics(frame, **options), engine_metrics(source, **options))


def test_review_of_a_table_with_the_password_from_the_environment(
    loaded: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """audit.yaml names the table and ${PGPASSWORD}; the review gives the file review's metrics."""
    url, folder = loaded
    monkeypatch.setenv("PGPASSWORD", "unused-with-trust-auth")
    with_secret = url.replace("postgres@", "postgres:${PGPASSWORD}@")
    audit = (
        "pilot: {{name: Alertas, task: classification, language: es}}\n"
        "data:\n{source}\n  y_true: y\n  y_pred: p\n  groups: [zone, lang]\n"
        "fairness: {{metrics: [selection_rate, true_positive_rate], bootstrap: 100}}\n"
        "privacy: {{scan: false}}\n"
    )
    results = []
    for name, source in (
        ("db", f"  table: predictions\n  connection: {with_secret}"),
        ("file", f"  predictions: {(folder / 'p.csv').as_posix()}"),
    ):
        (tmp_path / f"{name}.yaml").write_text(audit.format(source=source), encoding="utf-8")
        out = tmp_path / name
        result = runner.invoke(
            app, ["review", "-c", str(tmp_path / f"{name}.yaml"), "-o", str(out)]
        )
        assert result.exit_code in (0, 1), result.output
        results.append(json.loads((out / "findings.json").read_text()))
    assert results[0]["metrics"] == results[1]["metrics"]
    assert "unused-with-trust-auth" not in json.dumps(results[0])


def test_a_bad_query_names_the_query(loaded: tuple[str, Path]):
    from auditkit._errors import InputDataError

    url, folder = loaded
    source = Source(
        kind="query",
        label="query SELECT * FROM nowhere",
        base_dir=folder,
        query="SELECT * FROM nowhere",
        connection=url,
    )
    with pytest.raises(InputDataError, match="query SELECT \\* FROM nowhere"):
        engine_metrics(source, y_true="y", y_pred="p", groups=["zone"], task="classification")
