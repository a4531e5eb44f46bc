"""The performance area where the data lives: the plain file's numbers, byte-stable, checked."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pytest

from auditkit._area import ReviewContext
from auditkit._config import AuditConfig
from auditkit._errors import InputDataError
from auditkit._json import dumps_json
from auditkit.engine import Source, open_table
from auditkit.performance import review_performance
from auditkit.performance._statistics import performance_statistics


def _table(n: int = 4000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    count = rng.poisson(6, n).astype(float)
    forecast = count * rng.uniform(0.8, 1.2, n)
    score = rng.beta(2, 4, n)
    y = (rng.uniform(size=n) < score).astype(int)
    return pd.DataFrame(
        {
            "zone": rng.choice(["norte", "sul", "leste", None], n, p=[0.5, 0.3, 0.19, 0.01]),
            "lang": rng.choice(["es", "pt", "qu"], n),
            "count": count,
            "forecast": forecast,
            "naive": count + rng.normal(0, 2, n),
            "low": forecast - 1.5,
            "high": forecast + 1.5,
            "w": rng.uniform(0.2, 2.0, n),
            "y": y,
            "p": (score > 0.4).astype(int),
            "guess": rng.integers(0, 2, n),
            "prob": score.round(6),
        }
    )


def _config(folder: Path, task: str, source: dict[str, Any], weighted: bool) -> AuditConfig:
    if task == "forecast":
        columns = {
            "y_true": "count",
            "y_pred": "forecast",
            "baseline": "naive",
            "y_pred_lower": "low",
            "y_pred_upper": "high",
            "interval_level": 0.8,
        }
    else:
        columns = {"y_true": "y", "y_pred": "p", "baseline": "guess", "y_score": "prob"}
    data = {**source, **columns, "groups": ["zone", "lang"]}
    if weighted:
        data["sample_weight"] = "w"
    raw = {"pilot": {"name": "Engine", "task": task}, "data": data}
    config = AuditConfig.model_validate(raw)
    return config.model_copy(update={"source": folder / "audit.yaml"})


def _area(config: AuditConfig) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    result = review_performance(config, ReviewContext(config))
    findings = [{"id": f.id, "status": f.status, **f.params} for f in result.findings]
    return findings, result.metrics, result.sections


def _assert_close(a: Any, b: Any, tol: float = 1e-9) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            _assert_close(a[key], b[key], tol)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _assert_close(x, y, tol)
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), (a, b)
    else:
        assert a == b


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("performance")
    frame = _table()
    frame.to_csv(where / "p.csv", index=False)
    (where / "parts").mkdir()
    for i in range(4):
        frame.iloc[i * 1000 : (i + 1) * 1000].to_parquet(where / "parts" / f"part-{i}.parquet")
    return where


SOURCES = {
    "glob": {"predictions": "parts/*.parquet"},
    "query": {"query": "SELECT * FROM 'p.csv'"},
}


@pytest.mark.parametrize("task", ["forecast", "classification"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("where", list(SOURCES))
def test_engine_same_as_plain_file(folder: Path, task: str, weighted: bool, where: str):
    """Skill per group, coverage, Brier, ECE and its null: the plain file's numbers (1e-9)."""
    plain = _area(_config(folder, task, {"predictions": "p.csv"}, weighted))
    engine = _area(_config(folder, task, SOURCES[where], weighted))
    _assert_close(plain, engine)
    checks = {f["id"] for f in plain[0]}
    expected = {"performance.baseline_skill"}
    expected.add(
        "performance.interval_coverage" if task == "forecast" else "performance.calibration"
    )
    assert checks == expected


def test_area_numbers_by_hand(folder: Path):
    """The statistics give numpy's weighted MAE, coverage and Brier score of the same rows."""
    frame = _table()
    findings, metrics, sections = _area(_config(folder, "forecast", SOURCES["glob"], True))
    w = frame["w"].to_numpy()
    mae = np.average(np.abs(frame["forecast"] - frame["count"]), weights=w)
    base = np.average(np.abs(frame["naive"] - frame["count"]), weights=w)
    skill = next(f for f in findings if f["id"] == "performance.baseline_skill")
    assert skill["model_error"] == pytest.approx(mae, rel=1e-12)
    assert skill["baseline_error"] == pytest.approx(base, rel=1e-12)
    inside = (frame["low"] <= frame["count"]) & (frame["count"] <= frame["high"])
    assert sections["performance"]["interval_coverage"] == pytest.approx(
        np.average(inside, weights=w), rel=1e-12
    )
    lang = {r["group"]: r["value"] for r in metrics if r["attribute"] == "lang"}
    for group, part in frame.groupby("lang"):
        pw = part["w"].to_numpy()
        expected = 1 - np.average(np.abs(part["forecast"] - part["count"]), weights=pw) / (
            np.average(np.abs(part["naive"] - part["count"]), weights=pw)
        )
        assert lang[group] == pytest.approx(expected, rel=1e-9)
    _, _, sections = _area(_config(folder, "classification", SOURCES["glob"], False))
    brier = np.mean((frame["prob"] - frame["y"]) ** 2)
    assert sections["performance"]["calibration"]["brier"] == pytest.approx(brier, rel=1e-12)


def test_exact_sums_do_not_depend_on_threads_or_row_order(tmp_path: Path):
    """10^6 rows over 8 parts on several threads, twice, and shuffled: the same bytes."""
    rng = np.random.default_rng(0)
    n = 1_000_000
    count = rng.exponential(3.0, n)
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b", "c"], n),
            "y": count,
            "p": count * rng.uniform(0.5, 1.5, n),
            "b": count + rng.normal(0, 1, n),
            "w": rng.uniform(0, 1, n),
        }
    )
    for k, part in enumerate(np.array_split(np.arange(n), 8)):
        frame.iloc[part].to_parquet(tmp_path / f"a-{k}.parquet", row_group_size=50_000)
    shuffled = frame.sample(frac=1.0, random_state=1)
    for k, part in enumerate(np.array_split(np.arange(n), 8)):
        shuffled.iloc[part].to_parquet(tmp_path / f"s-{k}.parquet", row_group_size=50_000)

    def run(pattern: str) -> str:
        source = Source(
            kind="files",
            label=pattern,
            base_dir=tmp_path,
            files=tuple(sorted(tmp_path.glob(pattern))),
        )
        table = open_table(source, text_columns=["g"])
        table.get_backend().raw_sql("SET threads = 4")
        stats = performance_statistics(
            table,
            source,
            task="regression",
            y_true="y",
            y_pred="p",
            groups=["g"],
            baseline="b",
            sample_weight="w",
        )
        return dumps_json({"cells": stats.cells.__dict__ if stats.cells else None})

    first = run("a-*.parquet")
    assert run("a-*.parquet") == first
    assert run("s-*.parquet") == first


def test_null_model_with_the_baseline_s_skill_passes_at_any_size(tmp_path: Path):
    """A model as good as the baseline in every group (skill ~ 0 > min_skill): never fails.

    And one truly worse than its baseline fails, through the engine.
    """
    statuses = []
    for seed, n in [(1, 200), (2, 2000), (3, 20000)]:
        rng = np.random.default_rng(seed)
        truth = rng.poisson(8, n).astype(float)
        frame = pd.DataFrame(
            {
                "zone": rng.choice(["a", "b", "c"], n, p=[0.7, 0.25, 0.05]),
                "count": truth,
                "forecast": truth + rng.normal(0, 1, n),
                "naive": truth + rng.normal(0, 3, n),
            }
        )
        frame.to_parquet(tmp_path / f"p{seed}.parquet")
        raw = {
            "pilot": {"name": "Null", "task": "forecast"},
            "data": {
                "query": f"SELECT * FROM 'p{seed}.parquet'",
                "y_true": "count",
                "y_pred": "forecast",
                "baseline": "naive",
                "groups": ["zone"],
            },
        }
        config = AuditConfig.model_validate(raw).model_copy(
            update={"source": tmp_path / "audit.yaml"}
        )
        findings, _, _ = _area(config)
        statuses.append(findings[0]["status"])
        worse = frame.assign(forecast=truth + rng.normal(0, 6, n))
        worse.to_parquet(tmp_path / f"p{seed}.parquet")
        findings, _, _ = _area(config)
        assert findings[0]["status"] == "fail"
    assert statuses == ["pass", "pass", "pass"]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"count": [1.0, None, 3.0, 4.0]}, "column 'count' has 1 missing values in"),
        ({"naive": [1.0, None, 3.0, 4.0]}, "column 'naive' has 1 missing values in"),
        ({"w": [1.0, -1.0, 1.0, 1.0]}, "must be zero or positive; 1 are negative"),
        ({"naive": ["a", "b", "c", "d"]}, "the engine failed while aggregating"),
    ],
)
def test_bad_inputs_through_the_engine(tmp_path: Path, change: dict[str, Any], match: str):
    frame = pd.DataFrame(
        {"zone": ["a", "a", "b", "b"], "count": [1.0, 2, 3, 4], "forecast": [1.0, 2, 3, 5]}
    ).assign(**{"naive": [2.0, 2, 2, 2], "w": [1.0, 1, 1, 1], **change})
    frame.to_parquet(tmp_path / "p.parquet")
    raw = {
        "pilot": {"name": "Bad", "task": "forecast"},
        "data": {
            "query": "SELECT * FROM 'p.parquet'",
            "y_true": "count",
            "y_pred": "forecast",
            "baseline": "naive",
            "sample_weight": "w",
            "groups": ["zone"],
        },
    }
    config = AuditConfig.model_validate(raw).model_copy(update={"source": tmp_path / "audit.yaml"})
    with pytest.raises(InputDataError, match=match) as caught:
        review_performance(config, ReviewContext(config))
    assert "query" in str(caught.value) or "SELECT" in str(caught.value)


def test_scores_outside_zero_one_through_the_engine(tmp_path: Path):
    frame = pd.DataFrame({"zone": ["a", "b"], "y": [1, 0], "p": [1, 0], "prob": [0.4, 1.2]})
    frame.to_parquet(tmp_path / "p.parquet")
    raw = {
        "pilot": {"name": "Bad", "task": "classification"},
        "data": {
            "query": "SELECT * FROM 'p.parquet'",
            "y_true": "y",
            "y_pred": "p",
            "y_score": "prob",
            "groups": ["zone"],
        },
    }
    config = AuditConfig.model_validate(raw).model_copy(update={"source": tmp_path / "audit.yaml"})
    with pytest.raises(InputDataError, match="must hold probabilities from 0 to 1; 1 values"):
        review_performance(config, ReviewContext(config))


def test_postgresql_table_same_as_plain_file(postgres_url: str, folder: Path):
    """A PostgreSQL table audited in place: the plain file's performance numbers (1e-9)."""
    frame = _table()
    columns = ", ".join(
        f"{c} {'text' if frame[c].dtype == object else 'bigint' if frame[c].dtype.kind == 'i' else 'double precision'}"
        for c in frame.columns
    )
    with psycopg.connect(postgres_url) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS performance_predictions")
        cur.execute(f"CREATE TABLE performance_predictions ({columns})")
        with cur.copy("COPY performance_predictions FROM STDIN") as copy:
            for row in frame.itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in row])
    in_place = {"table": "performance_predictions", "connection": postgres_url}
    for task in ("forecast", "classification"):
        plain = _area(_config(folder, task, {"predictions": "p.csv"}, True))
        engine = _area(_config(folder, task, in_place, True))
        _assert_close(plain, engine)
