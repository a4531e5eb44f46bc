"""The advisors' shared server, for real: three baked pilots in three languages and three folders
train and are reviewed against one PostgreSQL-backed ``mlflow server`` with proxied artifacts;
their runs speak one vocabulary, ``auditkit compare`` lines them up column by column, and an
advisor downloads their artifacts from a fourth folder.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from tests.template.conftest import REPO, bake
from tests.tracking.conftest import SharedServer

pytestmark = pytest.mark.slow

# language, city, country: the Spanish, Portuguese and English sample pilots
PILOTS = [("es", "Zapopan", "MX"), ("pt", "Recife", "BR"), ("en", "Austin", "US")]
PILOT_TYPE = "service-demand-forecast"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _bake(root: Path, language: str, city: str, country: str) -> Path:
    """Bake into a folder of its own, with a lighter model (the test is about tracking)."""
    project = bake(
        root / language, directory="template", language=language, city=city, country=country
    )
    settings = project / "config" / "pilot.yaml"
    config = yaml.safe_load(settings.read_text(encoding="utf-8"))
    config["model"]["max_iter"] = 60
    config["backtest"]["folds"] = 3
    settings.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return project


def _train_and_review(project: Path, server: str) -> None:
    """Train against the server, then review and log the review there, linked to the run."""
    from mlflow import MlflowClient

    package = project.name.replace("-", "_")
    train_env = _env(PYTHONPATH=str(project / "src"), MLFLOW_TRACKING_URI=server)
    stdout = _run([sys.executable, "-m", package, "train"], project, train_env)
    assert server in stdout  # the hint names the server actually used, not sqlite:///mlflow.db
    client = MlflowClient(server)
    experiment = client.get_experiment_by_name(project.name)
    (training,) = client.search_runs(
        [experiment.experiment_id], "tags.`auditkit.kind` = 'training'"
    )
    review = [sys.executable, "-m", "auditkit", "review", "--fail-on", "never", "--quiet"]
    review += ["--log-mlflow", "--tracking-uri", server, "--model-run-id", training.info.run_id]
    _run(review, project, _env(PYTHONPATH=str(REPO)))


def test_three_languages_one_server_one_vocabulary(
    shared_server: SharedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Training and review runs agree; metric keys and compare columns line up across es/pt/en."""
    import mlflow
    from mlflow import MlflowClient

    server = shared_server.uri
    projects = [_bake(tmp_path, *pilot) for pilot in PILOTS]  # cookiecutter changes the cwd
    with ThreadPoolExecutor(max_workers=len(PILOTS)) as pool:
        list(pool.map(lambda project: _train_and_review(project, server), projects))
    client = MlflowClient(server)

    training_keys, review_keys, review_ids, training_ids = [], [], [], []
    for project, (language, city, country) in zip(projects, PILOTS, strict=True):
        experiment = client.get_experiment_by_name(project.name)
        assert {k: v for k, v in experiment.tags.items() if k.startswith("auditkit.")} == {
            "auditkit.city": city,
            "auditkit.country": country,
            "auditkit.pilot": project.name,
            "auditkit.pilot_type": PILOT_TYPE,
        }
        (training,) = client.search_runs(
            [experiment.experiment_id], "tags.`auditkit.kind` = 'training'"
        )
        (review,) = client.search_runs(
            [experiment.experiment_id], "tags.`auditkit.kind` = 'review'"
        )
        for key, value in (
            ("auditkit.pilot", project.name),
            ("auditkit.pilot_type", PILOT_TYPE),
            ("auditkit.task", "forecast"),
            ("auditkit.city", city),
            ("auditkit.country", country),
        ):
            assert training.data.tags[key] == review.data.tags[key] == value, (language, key)
        assert review.data.tags["auditkit.reviewed_run_id"] == training.info.run_id
        # artifacts went to the server, never to a folder of the pilot's own
        for run in (training, review):
            assert run.info.artifact_uri.startswith("mlflow-artifacts:"), run.info.artifact_uri
        assert not (project / "mlruns").exists() and not (project / "mlflow.db").exists()
        training_keys.append(sorted(training.data.metrics))
        review_keys.append(sorted(review.data.metrics))
        training_ids.append(training.info.run_id)
        review_ids.append(review.info.run_id)

    # the same metric columns in every language (per-group metrics by code: mae.g1 ...)
    assert training_keys[0] == training_keys[1] == training_keys[2]
    assert {"mae.g1", "mae.g4", "forecast_ratio.g1"} <= set(training_keys[0])
    assert review_keys[0] == review_keys[1] == review_keys[2]
    assert "audit.skill" in review_keys[0]

    # an advisor, in a folder of their own, compares and downloads
    advisor = tmp_path / "advisor"
    advisor.mkdir()
    monkeypatch.chdir(advisor)
    out = advisor / "compare"
    result = CliRunner().invoke(
        app,
        ["compare", "--tracking-uri", server, "--pilot-type", PILOT_TYPE, "-o", str(out)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    with (out / "compare.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["pilot"] in {p.name for p in projects}]
    assert sorted(r["pilot"] for r in rows) == sorted(p.name for p in projects)
    for row in rows:
        assert row["pilot_type"] == PILOT_TYPE
        # the comparable indicators are filled in every language
        filled = (
            "skill",
            "equity_gap",
            "equity_gap_ci_low",
            "equity_gap_ci_high",
            "equity_gap_group",
        )
        assert all(row[k] for k in (*filled, "under_reporting_ratio", "tier_status")), row
    for run_id in review_ids:
        local = mlflow.artifacts.download_artifacts(
            run_id=run_id,
            artifact_path="audit/findings.json",
            tracking_uri=server,
            dst_path=str(advisor / run_id),
        )
        assert json.loads(Path(local).read_text(encoding="utf-8"))["pilot"]["type"] == PILOT_TYPE
    groups = client.download_artifacts(training_ids[1], "groups.json", str(advisor))
    table = json.loads(Path(groups).read_text(encoding="utf-8"))
    assert table["columns"][:2] == ["code", "label"]
    assert table["data"][0][:2] == ["g1", "baixo"]
    # the server keeps them in its own folder
    assert any(shared_server.artifacts.rglob("findings.json"))
