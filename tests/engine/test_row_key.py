"""data.row_key: rows dealt to bootstrap blocks by a hash of a key, the same in every engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.engine import Source, open_table
from auditkit.engine._blocks import block_of_rows, key_hash, key_hash_expression
from auditkit.fairness._engine import engine_statistics

runner = CliRunner()

INTEGERS = [0, 1, 7, 2**31, 2**32 - 1, 2**32, 2**40 + 3, -1, -(2**40), 9_000_000_000_000_000_000]
TEXTS = ["SR-2026-000123", "", "ñandú", "São Paulo", "a'b", "0042", "x" * 200]


def _hashes_in(con: Any, frame: pd.DataFrame, column: str) -> list[int]:
    table = con.create_table(f"keys_{column}", obj=frame[[column]], overwrite=True)
    result = table.select(h=key_hash_expression(table[column])).to_pandas()
    return [int(v) for v in result["h"]]


def test_key_hash_is_the_same_in_numpy_and_duckdb():
    con = ibis.duckdb.connect()
    frame = pd.DataFrame({"i": np.array(INTEGERS, dtype=np.int64)})
    assert _hashes_in(con, frame, "i") == key_hash(frame["i"].to_numpy()).tolist()
    texts = pd.DataFrame({"t": TEXTS})
    assert _hashes_in(con, texts, "t") == key_hash(np.array(TEXTS, dtype=object)).tolist()
    # an integer key below 2**32 deals as the row number it equals
    rows = np.arange(1000, dtype=np.int64)
    assert (block_of_rows(key_hash(rows), 37, 5) == block_of_rows(rows, 37, 5)).all()


def test_key_hash_is_the_same_in_postgresql(postgres_url: str):
    with psycopg.connect(postgres_url) as raw, raw.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS row_keys")
        cur.execute("CREATE TABLE row_keys (i bigint, t text)")
        for i, t in zip(INTEGERS, TEXTS + [None] * (len(INTEGERS) - len(TEXTS)), strict=True):
            cur.execute("INSERT INTO row_keys VALUES (%s, %s)", (i, t))
    con = ibis.connect(postgres_url.replace("postgresql://", "postgres://", 1))
    try:
        table = con.table("row_keys")
        result = table.select(
            "i", "t", hi=key_hash_expression(table.i), ht=key_hash_expression(table.t)
        ).to_pandas()
    finally:
        con.disconnect()
    result = result.set_index("i").loc[INTEGERS]
    assert result["hi"].astype(int).tolist() == key_hash(np.array(INTEGERS)).tolist()
    texts = result["t"].iloc[: len(TEXTS)].tolist()
    assert texts == TEXTS
    assert (
        result["ht"].iloc[: len(TEXTS)].astype(int).tolist()
        == key_hash(np.array(TEXTS, dtype=object)).tolist()
    )


def _cases(n: int = 3000, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return pd.DataFrame(
        {
            "case_id": [f"SR-{i:07d}" for i in rng.permutation(10 * n)[:n]],
            "zone": rng.choice(["norte", "sul", "leste"], n, p=[0.6, 0.3, 0.1]),
            "y": y,
            "p": np.where(rng.random(n) < 0.8, y, 1 - y),
            "naive": rng.integers(0, 2, n),
        }
    )


def _statistics(source: Source, row_key: str | None) -> np.ndarray:
    cells = engine_statistics(
        open_table(source, text_columns=["zone"]),
        source,
        task="classification",
        y_true="y",
        y_pred="p",
        groups=["zone"],
        seed=3,
        row_key=row_key,
    )
    from auditkit.fairness._stats import block_count

    n_blocks = block_count(cells.n_rows, cells.stats.size)
    blocks = cells.blocks(n_blocks, 3)
    # cells in label order (the engine returns groups in any order)
    labels = [cells.index.labels[0][code] for code in cells.index.cells[:, 0]]
    return np.stack([blocks[:, labels.index(name), :] for name in sorted(labels)], axis=1)


def test_blocks_by_key_do_not_move_when_rows_are_shuffled(tmp_path: Path):
    frame = _cases()
    frame.to_csv(tmp_path / "a.csv", index=False)
    frame.sample(frac=1.0, random_state=2).to_csv(tmp_path / "b.csv", index=False)
    sources = [
        Source(kind="files", label=f"{n}.csv", base_dir=tmp_path, files=(tmp_path / f"{n}.csv",))
        for n in ("a", "b")
    ]
    keyed = [_statistics(s, "case_id") for s in sources]
    assert np.array_equal(keyed[0], keyed[1])
    by_row = [_statistics(s, None) for s in sources]
    assert not np.array_equal(by_row[0], by_row[1])  # row numbers move with the rows


def test_blocks_by_key_are_the_same_in_postgresql(postgres_url: str, tmp_path: Path):
    frame = _cases(2000, seed=9)
    frame.to_csv(tmp_path / "c.csv", index=False)
    shuffled = frame.sample(frac=1.0, random_state=5)
    with psycopg.connect(postgres_url) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS keyed_cases")
        cur.execute(
            "CREATE TABLE keyed_cases (case_id text, zone text, y bigint, p bigint, naive bigint)"
        )
        with cur.copy("COPY keyed_cases FROM STDIN") as copy:
            for row in shuffled.itertuples(index=False):
                copy.write_row(list(row))
    in_place = Source(
        kind="table",
        label="table keyed_cases",
        base_dir=tmp_path,
        table="keyed_cases",
        connection=postgres_url,
    )
    local = Source(kind="files", label="c.csv", base_dir=tmp_path, files=(tmp_path / "c.csv",))
    assert np.array_equal(_statistics(in_place, "case_id"), _statistics(local, "case_id"))


AUDIT = """\
pilot: {{name: Keyed, task: classification, language: es}}
data:
  predictions: {predictions}
  y_true: y
  y_pred: p
  baseline: naive
  groups: [zone]
{extra}
fairness: {{metrics: [selection_rate, false_negative_rate], bootstrap: 200, seed: 11}}
privacy: {{scan: false}}
"""


def _review(folder: Path, predictions: str, extra: str = "  row_key: case_id") -> Any:
    config = folder / f"audit-{predictions.replace('/', '_').replace('*', 'x')}.yaml"
    config.write_text(AUDIT.format(predictions=predictions, extra=extra), encoding="utf-8")
    out = folder / f"out-{config.stem}"
    return runner.invoke(app, ["review", "-c", str(config), "-o", str(out)]), out


def _without_inputs(findings: dict[str, Any]) -> dict[str, Any]:
    """findings.json minus the record of the input files (their digests differ by design)."""
    return {k: v for k, v in findings.items() if k not in ("inputs", "input", "source")}


def test_shuffled_file_gives_identical_findings(tmp_path: Path):
    """The same rows in another order, in a CSV and in parquet parts: identical findings."""
    frame = _cases()
    frame.to_csv(tmp_path / "a.csv", index=False)
    shuffled = frame.sample(frac=1.0, random_state=7)
    shuffled.to_csv(tmp_path / "b.csv", index=False)
    (tmp_path / "parts").mkdir()
    for k, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
        shuffled.iloc[part].to_parquet(tmp_path / "parts" / f"p-{k}.parquet")
    outputs = []
    for predictions in ("a.csv", "b.csv", "parts/*.parquet"):
        result, out = _review(tmp_path, predictions)
        assert result.exit_code in (0, 1), result.output
        outputs.append(json.loads((out / "findings.json").read_text(encoding="utf-8")))
    first = _without_inputs(outputs[0])
    assert first["metrics"] and any(r["ci_low"] is not None for r in first["metrics"])
    for other in outputs[1:]:
        assert json.dumps(_without_inputs(other), sort_keys=True) == json.dumps(
            first, sort_keys=True
        )
    # and the same rows again: the same bytes
    result, out = _review(tmp_path, "b.csv")
    again = (out / "findings.json").read_text(encoding="utf-8")
    _, previous = _review(tmp_path, "b.csv")
    assert (previous / "findings.json").read_text(encoding="utf-8") == again


@pytest.mark.parametrize(
    ("change", "extra", "match"),
    [
        ({}, "  row_key: ticket", "has no column 'ticket'"),
        ({"case_id": None}, "  row_key: case_id", "data.row_key 'case_id' has 1 missing values"),
        ({"case_id": 0.5}, "  row_key: case_id", "must be an integer or text column"),
    ],
)
def test_bad_row_keys_exit_2(tmp_path: Path, change: dict[str, Any], extra: str, match: str):
    frame = _cases(200)
    if change:
        frame["case_id"] = frame["case_id"].astype(object)
        if change["case_id"] is None:
            frame.loc[5, "case_id"] = None
        else:
            frame["case_id"] = np.arange(len(frame)) + change["case_id"]
    frame.to_csv(tmp_path / "k.csv", index=False)
    result, _ = _review(tmp_path, "k.csv", extra)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert match in text
    assert "k.csv" in text
    assert "Traceback" not in result.output
