"""The embedded engine (DuckDB through Ibis) gives the pandas path's numbers, intervals included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from auditkit._errors import ConfigError, InputDataError
from auditkit._io import read_table
from auditkit.cli import app
from auditkit.engine import block_of_rows
from auditkit.engine._source import expand_connection
from tests.engine._compare import (
    assert_same,
    engine_metrics,
    files_source,
    frame_metrics,
    query_source,
)

COMPAS = Path(__file__).parents[1] / "data" / "scan_corpus" / "compas_broward.csv"
GROUPS = ["zone", "lang", "age"]
runner = CliRunner()


def _table(n: int = 6000, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    zone = rng.choice(["norte", "sul", "leste", None], n, p=[0.5, 0.3, 0.19, 0.01])
    y = rng.integers(0, 2, n)
    return pd.DataFrame(
        {
            "zone": zone,
            "lang": rng.choice(["es", "pt", "qu"], n),
            "age": rng.choice([18, 30, 45, 60], n),
            "y": y,
            "p": np.where(rng.random(n) < 0.8, y, 1 - y),
            "w": rng.uniform(0, 2, n),
            "count": rng.poisson(5, n).astype(float),
        }
    ).assign(
        forecast=lambda f: f["count"] * rng.uniform(0.7, 1.3, n),
        low=lambda f: f["forecast"] - 2,
        high=lambda f: f["forecast"] + 2,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engine")
    frame = _table()
    frame.to_csv(folder / "p.csv", index=False)
    frame.to_parquet(folder / "p.parquet")
    (folder / "parts").mkdir()
    for i in range(4):
        frame.iloc[i * 1500 : (i + 1) * 1500].to_parquet(folder / "parts" / f"part-{i}.parquet")
    return folder


@pytest.mark.parametrize("name", ["p.csv", "p.parquet"])
@pytest.mark.parametrize("weighted", [False, True])
def test_classification_same_as_pandas(files: Path, name: str, weighted: bool):
    """Values, intervals, ratios, statuses and suppressions equal the frame path (1e-9)."""
    frame = read_table(files / name, text_columns=GROUPS)
    options = dict(
        y_true="y",
        y_pred="p",
        groups=GROUPS,
        task="classification",
        seed=7,
        sample_weight="w" if weighted else None,
        bootstrap=200,
    )
    assert_same(
        frame_metrics(frame, **options), engine_metrics(files_source(files / name), **options)
    )


def test_regression_with_interval_same_as_pandas(files: Path):
    frame = read_table(files / "p.parquet", text_columns=GROUPS)
    options = dict(
        y_true="count",
        y_pred="forecast",
        groups=GROUPS,
        task="forecast",
        seed=2,
        sample_weight="w",
        y_pred_lower="low",
        y_pred_upper="high",
        bootstrap=200,
        metrics=["prediction_to_actual_ratio", "mean_absolute_error", "interval_coverage"],
    )
    assert_same(
        frame_metrics(frame, **options),
        engine_metrics(files_source(files / "p.parquet"), **options),
    )


def test_parquet_parts_same_as_one_file(files: Path):
    """Four parts of a glob are one table, in file order: the same rows in the same blocks."""
    whole = read_table(files / "p.parquet", text_columns=GROUPS)
    parts = tuple(sorted((files / "parts").glob("*.parquet")))
    options = dict(y_true="y", y_pred="p", groups=GROUPS, task="classification", bootstrap=100)
    assert_same(frame_metrics(whole, **options), engine_metrics(files_source(*parts), **options))


def test_small_table_is_the_row_bootstrap(files: Path, tmp_path: Path):
    """Fewer rows than blocks: every row its own block, as in the frame path."""
    small = _table(400, seed=4)
    small.to_csv(tmp_path / "s.csv", index=False)
    frame = read_table(tmp_path / "s.csv", text_columns=["zone"])
    options = dict(
        y_true="y",
        y_pred="p",
        groups=["zone"],
        task="classification",
        bootstrap=100,
        min_group_size=5,
    )
    assert_same(
        frame_metrics(frame, **options), engine_metrics(files_source(tmp_path / "s.csv"), **options)
    )


def test_blocks_are_balanced_and_move_with_the_seed():
    rows = np.arange(200_000, dtype=np.int64)
    counts = np.bincount(block_of_rows(rows, 1000, seed=0), minlength=1000)
    # a multinomial's spread (sd ~ sqrt(200)), not a clumped hash
    assert 0.7 * np.sqrt(200) < counts.std() < 1.3 * np.sqrt(200)
    moved = block_of_rows(rows, 1000, seed=1) != block_of_rows(rows, 1000, seed=0)
    assert moved.mean() > 0.99


def _compas_filtered() -> pd.DataFrame:
    """ProPublica's filter, in pandas (their R notebook's conditions)."""
    df = pd.read_csv(COMPAS)
    df = df[(df.days_b_screening_arrest <= 30) & (df.days_b_screening_arrest >= -30)]
    df = df[(df.is_recid != -1) & (df.c_charge_degree != "O") & (df.score_text != "N/A")]
    return df.assign(high_risk=(df.score_text != "Low").astype(int))


COMPAS_SQL = (
    "SELECT race, sex, two_year_recid, score_text <> 'Low' AS high_risk FROM 'compas.csv' "
    "WHERE days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid <> -1 "
    "AND c_charge_degree <> 'O' AND score_text <> 'N/A'"
)


def test_compas_filter_in_sql_matches_fairlearn(tmp_path: Path):
    """The filter written in SQL over the CSV gives MetricFrame's numbers on the filtered table."""
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
    )

    shutil.copy(COMPAS, tmp_path / "compas.csv")
    expected = _compas_filtered()
    assert 10 < len(expected) < 30  # the filter drops rows of the excerpt
    result = engine_metrics(
        query_source(COMPAS_SQL, tmp_path),
        y_true="two_year_recid",
        y_pred="high_risk",
        groups=["race", "sex"],
        task="classification",
        bootstrap=0,
        min_group_size=1,
        min_cell=1,
        metrics=["selection_rate", "false_positive_rate", "false_negative_rate"],
    )
    assert result.n_rows == len(expected)
    frame = MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "false_positive_rate": false_positive_rate,
            "false_negative_rate": false_negative_rate,
        },
        y_true=expected.two_year_recid,
        y_pred=expected.high_risk,
        sensitive_features=expected[["race"]],
    )
    rows = {(r["group"], r["metric"]): r for r in result.rows if r["attribute"] == "race"}
    compared = 0
    for group, values in frame.by_group.iterrows():
        members = expected[expected.race == group]
        for metric, value in values.items():
            got = rows[(str(group), metric)]["value"]
            # fairlearn says 0 where the rate is 0/0; the core says undefined (None)
            undefined = {
                "false_positive_rate": (members.two_year_recid == 0).sum() == 0,
                "false_negative_rate": (members.two_year_recid == 1).sum() == 0,
            }
            if got is None:
                assert undefined.get(metric), (group, metric)
                continue
            assert got == pytest.approx(value, abs=1e-12), (group, metric)
            compared += 1
    assert compared >= 7
    overall = {r["metric"]: r["value"] for r in result.rows if r["attribute"] == "(all)"}
    assert overall["selection_rate"] == pytest.approx(frame.overall["selection_rate"], abs=1e-12)


AUDIT = """\
pilot: {{name: COMPAS, task: classification, language: en}}
data:
{source}
  y_true: two_year_recid
  y_pred: high_risk
  groups: [race]
fairness:
  metrics: [selection_rate, false_positive_rate]
  bootstrap: 50
  min_group_size: 3
privacy: {{min_cell: 1, scan: false}}
"""


def _review(folder: Path, source: str) -> tuple[int, str]:
    (folder / "audit.yaml").write_text(AUDIT.format(source=source), encoding="utf-8")
    result = runner.invoke(
        app, ["review", "-c", str(folder / "audit.yaml"), "-o", str(folder / "out")]
    )
    return result.exit_code, result.output


def test_review_with_query_in_audit_yaml_equals_the_filtered_file(tmp_path: Path):
    """data.query over a CSV and data.predictions on the same rows give the same metrics."""
    shutil.copy(COMPAS, tmp_path / "compas.csv")
    code, output = _review(tmp_path, f'  query: "{COMPAS_SQL}"')
    assert code in (0, 1), output
    by_query = json.loads((tmp_path / "out" / "findings.json").read_text())
    other = tmp_path / "file"
    other.mkdir()
    _compas_filtered()[["race", "two_year_recid", "high_risk"]].to_csv(other / "f.csv", index=False)
    code, output = _review(other, "  predictions: f.csv")
    assert code in (0, 1), output
    by_file = json.loads((other / "out" / "findings.json").read_text())
    assert by_query["metrics"] == by_file["metrics"]
    assert by_query["inputs"][0]["path"].startswith("query SELECT race")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("  query: \"SELECT race, two_year_recid, high_risk FROM 'nowhere.csv'\"", "nowhere.csv"),
        ("  query: \"SELEC race FROM 'compas.csv'\"", "query SELEC race"),
        ("  query: \"SELECT race, two_year_recid FROM 'compas.csv'\"", "high_risk"),
        ("  predictions: parts/*.parquet", "no file matches"),
        ("  table: t", "table needs a connection"),
        ("  predictions: compas.csv\n  query: SELECT 1", "exactly one of"),
        ("  table: t\n  connection: postgresql://auditor:hunter2@db/pilots", "password"),
        ("  table: t\n  connection: mysql://db/pilots", "postgresql://"),
    ],
)
def test_bad_sources_exit_2_with_a_message(tmp_path: Path, source: str, expected: str):
    shutil.copy(COMPAS, tmp_path / "compas.csv")
    code, output = _review(tmp_path, source)
    assert code == 2, output
    assert expected in " ".join(output.split()), output
    assert "Traceback" not in output
    assert not (tmp_path / "out" / "findings.json").exists()


def test_connection_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AUDIT_PW", "s3cret")
    assert expand_connection("postgresql://a:${AUDIT_PW}@h/db") == "postgresql://a:s3cret@h/db"
    monkeypatch.delenv("AUDIT_PW")
    with pytest.raises(ConfigError, match="AUDIT_PW"):
        expand_connection("postgresql://a:${AUDIT_PW}@h/db")
    with pytest.raises(ConfigError, match="password"):
        expand_connection("postgresql://a:pw@h/db")


def test_missing_outcomes_are_refused(tmp_path: Path):
    frame = _table(200)
    frame.loc[[3, 9], "y"] = np.nan
    frame.to_parquet(tmp_path / "p.parquet")
    with pytest.raises(InputDataError, match="'y' has 2 missing values"):
        engine_metrics(
            files_source(tmp_path / "p.parquet"),
            y_true="y",
            y_pred="p",
            groups=["zone"],
            task="classification",
        )


GLOB_AUDIT = """\
pilot: {{name: Alertas, task: classification, language: pt}}
data:
  predictions: {predictions}
  y_true: y
  y_pred: p
  groups: [zone, lang]
fairness: {{metrics: [selection_rate, false_negative_rate], bootstrap: 100}}
privacy: {{scan: false}}
"""


def test_review_of_a_glob_equals_the_review_of_the_whole_file(files: Path, tmp_path: Path):
    """Parquet parts by glob (the engine) and the one file (pandas): the same findings' metrics."""
    found = []
    for name, predictions in (
        ("glob", files / "parts" / "*.parquet"),
        ("file", files / "p.parquet"),
    ):
        config = tmp_path / f"{name}.yaml"
        config.write_text(GLOB_AUDIT.format(predictions=predictions.as_posix()), encoding="utf-8")
        result = runner.invoke(app, ["review", "-c", str(config), "-o", str(tmp_path / name)])
        assert result.exit_code in (0, 1), result.output
        found.append(json.loads((tmp_path / name / "findings.json").read_text()))
    assert found[0]["metrics"] == found[1]["metrics"]
    assert found[0]["inputs"][0]["rows"] == 6000
