"""Against a real ``mlflow server`` on PostgreSQL (loopback): review, link, compare, load."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.report import write_review
from auditkit.review._manifest import verify_bundle
from auditkit.tracking import log_bundle
from tests.report.samples import sample_review

pytestmark = pytest.mark.slow
runner = CliRunner()

AUDIT = """\
pilot: {name: Alertas de plazo, task: classification, city: Montevideo, country: UY, language: es}
data: {predictions: predictions.csv, y_true: y, y_pred: p, groups: [barrio]}
fairness: {metrics: [selection_rate, false_positive_rate], bootstrap: 50}
"""


def test_review_cli_logs_to_postgres_and_compare_finds_it(
    postgres_server: str, tmp_path: Path
) -> None:
    """auditkit review --log-mlflow against the server, linked to a model run, then compare."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=postgres_server)
    experiment_id = client.create_experiment("alertas-mvd")
    model_run = client.create_run(experiment_id, tags={"auditkit.city": "Montevideo"})
    lines = ["y,p,barrio"] + [
        f"{i % 2},{(i // 3) % 2},{['Centro', 'Cerro', 'Pocitos'][i % 3]}" for i in range(300)
    ]
    (tmp_path / "predictions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    out = tmp_path / "audit"
    result = runner.invoke(
        app,
        [
            "review",
            "-c",
            str(tmp_path / "audit.yaml"),
            "-o",
            str(out),
            "--format",
            "json",
            "--fail-on",
            "never",
            "--log-mlflow",
            "--tracking-uri",
            postgres_server,
            "--model-run-id",
            model_run.info.run_id,
        ],
    )
    assert result.exit_code == 0, result.output
    logged = json.loads(result.stdout)["mlflow"]
    run = client.get_run(logged["run_id"])
    assert run.info.experiment_id == experiment_id
    assert run.data.tags["auditkit.reviewed_run_id"] == model_run.info.run_id
    assert run.data.tags["auditkit.city"] == "Montevideo"
    assert "audit.findings.fail" in run.data.metrics
    copy = Path(client.download_artifacts(logged["run_id"], "audit", str(tmp_path / "dl")))
    assert verify_bundle(copy).ok
    found = runner.invoke(
        app,
        [
            "compare",
            "--tracking-uri",
            postgres_server,
            "--city",
            "montevideo",
            "--format",
            "json",
            "--out",
            str(tmp_path / "c"),
        ],
    )
    assert found.exit_code == 0, found.output
    assert [r["run_id"] for r in json.loads(found.stdout)["rows"]] == [logged["run_id"]]


REVIEWS = 20


def test_twenty_concurrent_reviews_all_arrive_complete(
    postgres_server: str, tmp_path: Path
) -> None:
    """20 reviews logged at once to one server: every run present, finished, tagged, measured,
    with its whole bundle as artifacts (manifest hash matching the tag)."""
    from mlflow import MlflowClient

    folders = []
    for i in range(REVIEWS):
        folder = tmp_path / f"review-{i:02d}"
        review = sample_review(
            "es", city=f"Ciudad {i:02d}", pilot=f"Carga {i:02d}", worst_ratio=1.0 + i / 10
        )
        write_review(review, folder)
        folders.append(folder)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=REVIEWS) as pool:
        futures = [
            pool.submit(log_bundle, f, tracking_uri=postgres_server, experiment="carga-concurrente")
            for f in folders
        ]
        _done, pending = wait(futures, timeout=600)
    elapsed = time.monotonic() - started
    assert not pending, f"{len(pending)} reviews still logging after 600 s"
    logged = [f.result() for f in futures]  # re-raises any failure
    client = MlflowClient(tracking_uri=postgres_server)
    experiment = client.get_experiment_by_name("carga-concurrente")
    runs = client.search_runs(
        [experiment.experiment_id], "tags.`auditkit.kind` = 'review'", max_results=100
    )
    assert sorted(r.info.run_id for r in runs) == sorted(x.run_id for x in logged)
    for run, folder in zip(
        sorted(runs, key=lambda r: r.data.tags["auditkit.pilot"]), folders, strict=True
    ):
        assert run.info.status == "FINISHED"
        assert run.data.tags["auditkit.pilot"] == f"carga-{folder.name[-2:]}"  # the slug
        assert run.data.tags["auditkit.pilot_name"] == f"Carga {folder.name[-2:]}"
        assert run.data.tags["auditkit.decision"] == "GO_WITH_CONDITIONS"
        assert run.data.tags["auditkit.manifest_sha256"] == verify_bundle(folder).manifest_sha256
        expected = max(1.0 + int(folder.name[-2:]) / 10, 1.3)  # Huentitán is 1.3
        assert run.data.metrics["audit.worst_ratio.under_prediction_rate"] == pytest.approx(
            expected
        )
        assert run.data.tags["auditkit.latest"] == "true"  # twenty pilots, one review each
        assert "audit_metrics.json" in {a.path for a in client.list_artifacts(run.info.run_id)}
        listed = {a.path for a in client.list_artifacts(run.info.run_id, "audit")}
        on_disk = {f"audit/{p.name}" for p in folder.iterdir()}
        assert on_disk <= listed | {f"audit/{p.name}" for p in folder.iterdir() if p.is_dir()}
    print(f"\n{REVIEWS} concurrent reviews logged in {elapsed:.1f} s")
