"""Logging a review to MLflow (embedded SQLite): tags, audit.* metrics, artifacts, the link."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditkit._errors import InputDataError, TrackingError
from auditkit.cli import app
from auditkit.review._manifest import verify_bundle
from auditkit.tracking import log_bundle

runner = CliRunner()


def _model_run(uri: str) -> tuple[str, str]:
    """A training run as the pilot template logs it (tags on a per-pilot experiment)."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    experiment_id = client.create_experiment("demanda-gdl")
    run = client.create_run(experiment_id, tags={"auditkit.city": "Guadalajara"})
    client.set_terminated(run.info.run_id)
    return experiment_id, run.info.run_id


def test_review_run_is_tagged_measured_and_linked(
    sqlite_uri: str, make_bundle: Callable[..., Path], tmp_path: Path
) -> None:
    """Decision, tier and pilot tags; audit.* metrics; the bundle as artifacts; the link."""
    from mlflow import MlflowClient

    folder = make_bundle()
    experiment_id, model_run_id = _model_run(sqlite_uri)
    logged = log_bundle(folder, tracking_uri=sqlite_uri, model_run_id=model_run_id)
    client = MlflowClient(tracking_uri=sqlite_uri)
    run = client.get_run(logged.run_id)
    assert run.info.experiment_id == experiment_id
    assert run.info.status == "FINISHED"
    tags = run.data.tags
    assert {
        k: tags[k]
        for k in (
            "auditkit.decision",
            "auditkit.tier",
            "auditkit.city",
            "auditkit.country",
            "auditkit.pilot",
            "auditkit.pilot_name",
            "auditkit.pilot_type",
            "auditkit.task",
            "auditkit.reviewed_run_id",
            "mlflow.parentRunId",
        )
    } == {
        "auditkit.decision": "GO_WITH_CONDITIONS",
        # the sample's typed decision step: its tier as decision.json states it
        "auditkit.tier": json.loads((folder / "decision.json").read_text(encoding="utf-8"))["tier"][
            "tier_roman"
        ],
        "auditkit.city": "Guadalajara",
        "auditkit.country": "MX",
        # no slug or type in audit.yaml: the name slugified, the task
        "auditkit.pilot": "demanda-de-servicios",
        "auditkit.pilot_name": "Demanda de servicios",
        "auditkit.pilot_type": "forecast",
        "auditkit.task": "forecast",
        "auditkit.reviewed_run_id": model_run_id,
        "mlflow.parentRunId": model_run_id,
    }
    # hand-computed from tests/report/samples.py: judged, unsuppressed, non-reference groups
    # are Oblatos 1.55 (fail), Providencia 1.05, Huentitán 1.30 (warn) and phone 0.86;
    # Tlaquepaque (0.61) is suppressed and must not count.
    metrics = run.data.metrics
    assert metrics["audit.worst_ratio.under_prediction_rate"] == 1.55
    assert "audit.worst_disparity" not in metrics  # the noisy headline is gone
    assert metrics["audit.tier"] == {"I": 1, "II": 2, "III": 3, "IV": 4}[tags["auditkit.tier"]]
    # decision.json: FAI-02 blocks and fails; its condition is that blocking item
    # counted by hand from the sample's decision.json: open blocking items, and the other
    # listed conditions
    decision = json.loads((folder / "decision.json").read_text(encoding="utf-8"))
    blocking = {
        i["id"]
        for i in decision["items"]
        if i["applies"] and i["blocking"] and i["status"] in ("fail", "needs_evidence")
    }
    conditions = [c for c in decision["conditions"] if c["item"] not in blocking]
    assert blocking, "the sample decision has an open blocking item"
    assert (metrics["audit.blocking_open"], metrics["audit.conditions_open"]) == (
        len(blocking),
        len(conditions),
    )
    assert tags["auditkit.latest"] == "true"
    assert (
        metrics["audit.findings.fail"],
        metrics["audit.findings.warn"],
        metrics["audit.findings.pass"],
    ) == (1, 1, 1)
    names = {a.path for a in client.list_artifacts(logged.run_id, "audit")}
    assert {
        "audit/report.html",
        "audit/report.md",
        "audit/findings.json",
        "audit/manifest.json",
    } <= names
    copy = Path(client.download_artifacts(logged.run_id, "audit", str(tmp_path / "dl")))
    assert verify_bundle(copy).ok
    assert tags["auditkit.manifest_sha256"] == verify_bundle(folder).manifest_sha256
    back = client.get_run(model_run_id).data.tags
    assert back["auditkit.review_run_id"] == logged.run_id
    assert back["auditkit.review_decision"] == "GO_WITH_CONDITIONS"


def test_without_a_model_run_the_pilot_names_the_experiment(
    sqlite_uri: str, make_bundle: Callable[..., Path]
) -> None:
    """One experiment per pilot; a review without a decision is tagged 'none'."""
    from mlflow import MlflowClient

    logged = log_bundle(make_bundle(decision=False), tracking_uri=sqlite_uri)
    client = MlflowClient(tracking_uri=sqlite_uri)
    experiment = client.get_experiment(logged.experiment_id)
    assert experiment.name == "demanda-de-servicios"
    assert {k: v for k, v in experiment.tags.items() if k.startswith("auditkit.")} == {
        "auditkit.city": "Guadalajara",
        "auditkit.country": "MX",
        "auditkit.pilot": "demanda-de-servicios",
        "auditkit.pilot_type": "forecast",
    }
    tags = client.get_run(logged.run_id).data.tags
    assert tags["auditkit.decision"] == "none" and tags["auditkit.tier"] == "none"
    assert "mlflow.parentRunId" not in tags


def test_a_tampered_bundle_is_not_logged(sqlite_uri: str, make_bundle: Callable[..., Path]) -> None:
    """Logging verifies the bundle first: a changed report is refused, nothing is created."""
    from mlflow import MlflowClient

    folder = make_bundle()
    (folder / "report.html").write_text("<p>GO</p>", encoding="utf-8")
    with pytest.raises(InputDataError, match="changed since the review"):
        log_bundle(folder, tracking_uri=sqlite_uri)
    names = [e.name for e in MlflowClient(tracking_uri=sqlite_uri).search_experiments()]
    assert names == ["Default"]


def test_personal_data_is_never_logged(sqlite_uri: str, make_bundle: Callable[..., Path]) -> None:
    """An edited report with its manifest rewritten verifies, but the privacy gate refuses it."""
    from mlflow import MlflowClient

    from auditkit._io import file_sha256
    from auditkit.privacy import PersonalDataError
    from auditkit.review._manifest import MANIFEST_NAME

    folder = make_bundle()
    report = folder / "report.md"
    report.write_text(report.read_text(encoding="utf-8") + "\nana.lopez@correo.mx\n", "utf-8")
    manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["files"]["report.md"] = {"sha256": file_sha256(report), "bytes": report.stat().st_size}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert verify_bundle(folder).ok
    with pytest.raises(PersonalDataError, match=r"report\.md") as info:
        log_bundle(folder, tracking_uri=sqlite_uri)
    assert "ana.lopez" not in str(info.value)
    names = [e.name for e in MlflowClient(tracking_uri=sqlite_uri).search_experiments()]
    assert names == ["Default"]


def test_unknown_model_run_is_a_clear_error(
    sqlite_uri: str, make_bundle: Callable[..., Path]
) -> None:
    """A --model-run-id that does not exist names the id and exits 2."""
    folder = make_bundle()
    with pytest.raises(TrackingError, match="no such run"):
        log_bundle(folder, tracking_uri=sqlite_uri, model_run_id="0" * 32)
    result = runner.invoke(
        app, ["log", str(folder), "--tracking-uri", sqlite_uri, "--model-run-id", "0" * 32]
    )
    assert result.exit_code == 2
    assert "0" * 32 in result.output


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


AUDIT = """\
pilot: {name: Alertas, task: classification, city: Medellín, country: CO, language: es}
data: {predictions: predictions.csv, y_true: y, y_pred: p, groups: [zone]}
fairness: {metrics: [selection_rate], bootstrap: 50}
"""


def test_server_down_loses_nothing(sqlite_uri: str, tmp_path: Path) -> None:
    """With the server down the review is still written, the error says so (exit 2), and the
    same folder is logged later with the command the message gives."""
    lines = ["y,p,zone"] + [f"{i % 2},{(i // 3) % 2},{'ab'[i % 2]}" for i in range(200)]
    (tmp_path / "predictions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    down = f"http://127.0.0.1:{_closed_port()}"
    out = tmp_path / "audit"
    result = runner.invoke(
        app,
        [
            "review",
            "-c",
            str(tmp_path / "audit.yaml"),
            "-o",
            str(out),
            "--log-mlflow",
            "--tracking-uri",
            down,
            "--fail-on",
            "never",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "unreachable" in result.output and "nothing is lost" in result.output
    assert f"auditkit log {out} --tracking-uri {down}" in result.output
    assert verify_bundle(out).ok
    later = runner.invoke(app, ["log", str(out), "--tracking-uri", sqlite_uri, "--format", "json"])
    assert later.exit_code == 0, later.output
    assert json.loads(later.stdout)["run_id"]


def test_tracking_options_need_log_mlflow(tmp_path: Path) -> None:
    """--tracking-uri without --log-mlflow is a usage error, before any work."""
    result = runner.invoke(
        app, ["review", "-c", str(tmp_path / "audit.yaml"), "--tracking-uri", "sqlite:///x.db"]
    )
    assert result.exit_code == 2
    assert "only apply with --log-mlflow" in result.output
