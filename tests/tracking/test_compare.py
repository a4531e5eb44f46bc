"""``auditkit compare``: reviews across cities from MLflow's search API, table, CSV, HTML, chart."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.tracking import log_bundle
from auditkit.tracking._compare import compare_reviews
from tests.report.samples import sample_review

runner = CliRunner()

# (folder, city, country, decision, worst ratio) — hand-written expectations below
PILOTS = [
    ("gdl", "Guadalajara", "MX", "go-with-conditions", 1.55),
    ("zap", "Zapopan", "MX", "no-go", 2.4),
    ("med", "Medellín", "CO", "go", 1.1),
    ("rec", "Recife", "BR", "escalate", 0.5),
]


@pytest.fixture(scope="module")
def store(migrated_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Four cities' reviews, an older review of Guadalajara, and a training run (not a review)."""
    from mlflow import MlflowClient

    from auditkit.report import write_review

    base = tmp_path_factory.mktemp("compare-store")
    shutil.copyfile(migrated_sqlite, base / "mlflow.db")
    uri = f"sqlite:///{base / 'mlflow.db'}"

    def bundle(name: str, **changes: Any) -> Path:
        write_review(sample_review("es", **changes), base / name)
        return base / name

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(base)  # artifacts of new experiments go to ./mlruns
        old = bundle(
            "gdl-old",
            city="Guadalajara",
            pilot="Demanda Guadalajara",
            decision_code="no-go",
            worst_ratio=3.0,
        )
        log_bundle(old, tracking_uri=uri)
        for folder, city, country, decision, ratio in PILOTS:
            log_bundle(
                bundle(
                    folder,
                    city=city,
                    country=country,
                    decision_code=decision,
                    worst_ratio=ratio,
                    pilot=f"Demanda {city}",
                ),
                tracking_uri=uri,
            )
        client = MlflowClient(tracking_uri=uri)
        client.create_run(client.create_experiment("training"), tags={"auditkit.city": "Zapopan"})
        yield uri


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_latest_review_of_every_pilot(store: str, tmp_path: Path) -> None:
    """One row per pilot, newest review only, training runs left out; CSV, HTML and chart."""
    out = tmp_path / "cmp"
    result = runner.invoke(
        app, ["compare", "--tracking-uri", store, "--out", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    rows = _csv(out / "compare.csv")
    assert sorted((r["city"], r["decision"]) for r in rows) == [
        ("Guadalajara", "GO_WITH_CONDITIONS"),  # the newer review, not the older NO_GO
        ("Medellín", "GO"),
        ("Recife", "ESCALATE"),
        ("Zapopan", "NO_GO"),
    ]
    # the pilot column is the slug (auditkit.pilot), as on training runs
    assert sorted(r["pilot"] for r in rows) == [
        "demanda-guadalajara",
        "demanda-medellin",
        "demanda-recife",
        "demanda-zapopan",
    ]
    # these reviews measured no equity gap: empty cells ("not measured"), no noisy headline
    assert {r["equity_gap"] for r in rows} == {""}
    assert "worst_disparity" not in rows[0]
    assert "Zapopan" in result.output and "Medellín" in result.output
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert 'src="http' not in html and 'href="http' not in html
    assert "<figure" not in html  # no indicator measured: no chart
    assert not (out / "compare.png").exists()  # no equity gap: no equity-gap chart
    history = _csv(out / "history.csv")
    assert [r["decision"] for r in history if r["city"] == "Guadalajara"] == [
        "NO_GO",
        "GO_WITH_CONDITIONS",
    ]


@pytest.mark.parametrize(
    ("args", "cities"),
    [
        (["--country", "mx"], ["Guadalajara", "Zapopan"]),
        (["--city", "medellín"], ["Medellín"]),
        (["--pilot-type", "forecast", "--country", "BR"], ["Recife"]),
        (["--pilot-type", "classification"], []),
        (["--since", "2999-01-01"], []),
    ],
)
def test_filters(store: str, tmp_path: Path, args: list[str], cities: list[str]) -> None:
    """City (any case), country, pilot type and date filters, as MLflow filter strings."""
    result = runner.invoke(
        app,
        [
            "compare",
            "--tracking-uri",
            store,
            "--out",
            str(tmp_path / "o"),
            "--format",
            "json",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(r["city"] for r in data["rows"]) == cities


def test_all_reviews_and_the_api(store: str) -> None:
    """--all keeps every review; the library call returns the same rows, newest first."""
    rows = compare_reviews(store, latest_only=False)
    assert len(rows) == 5
    assert [r.decision for r in rows if r.city == "Guadalajara"] == ["GO_WITH_CONDITIONS", "NO_GO"]
    assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)


BAD = [
    (["--since", "last week"], "--since must be a date as YYYY-MM-DD; found 'last week'."),
    (["--city", "O'Higgins"], "--city may not contain quotes"),
    (["--tracking-uri", "http://127.0.0.1:9"], "unreachable"),
]


@pytest.mark.parametrize(("args", "message"), BAD)
def test_bad_input(tmp_path: Path, args: list[str], message: str) -> None:
    """Bad filters and a dead server: a clear message and exit 2."""
    uri = ["--tracking-uri", f"sqlite:///{tmp_path / 'none.db'}"]
    result = runner.invoke(app, ["compare", "--out", str(tmp_path / "o"), *uri, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "none.db").exists()  # a bad filter never touches the store
