"""The generated pilot works: its own tests pass, it installs, and training logs a complete run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from auditkit.scaffold import recorded_template_version
from tests.template.conftest import LANGUAGES, REPO, bake

pytestmark = pytest.mark.slow


def _env(**extra: str) -> dict[str, str]:
    """The current environment without MLflow settings or this repo on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


@pytest.mark.parametrize("language", LANGUAGES)
def test_generated_tests_pass(tmp_path, language):
    """`python -m pytest` inside the baked project passes (its slow end-to-end test included)."""
    project = bake(tmp_path, language=language, city="Zapopan", country="MX")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_training_run_is_found_with_tags_and_metrics(tmp_path, fresh_store):
    """`python -m <package> train` logs a run that MlflowClient finds by the auditkit tags."""
    from mlflow.tracking import MlflowClient

    project = bake(tmp_path, city="Guadalajara", country="MX")
    result = subprocess.run(
        [sys.executable, "-m", "guadalajara_demanda_servicios", "train"],
        cwd=project,
        env=_env(PYTHONPATH=str(project / "src"), MLFLOW_TRACKING_URI=fresh_store),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Backtest: MAE" in result.stdout
    # the hint names the store the run went to (MLFLOW_TRACKING_URI), not the settings' default
    assert f"mlflow ui --backend-store-uri {fresh_store})" in result.stdout

    client = MlflowClient(fresh_store)
    experiment = client.get_experiment_by_name("guadalajara-demanda-servicios")
    assert experiment is not None
    runs = client.search_runs(
        [experiment.experiment_id], filter_string="tags.`auditkit.city` = 'Guadalajara'"
    )
    assert len(runs) == 1
    run = runs[0]
    assert run.data.tags["auditkit.country"] == "MX"
    assert run.data.tags["auditkit.pilot"] == "guadalajara-demanda-servicios"
    assert run.data.tags["auditkit.pilot_type"] == "service-demand-forecast"
    assert run.data.tags["auditkit.template_version"] == recorded_template_version()[0]
    assert (run.data.tags["auditkit.kind"], run.data.tags["auditkit.task"]) == (
        "training",
        "forecast",
    )
    # the experiment carries the pilot's tags (docs/mlflow.md)
    assert {k: v for k, v in experiment.tags.items() if k.startswith("auditkit.")} == {
        "auditkit.city": "Guadalajara",
        "auditkit.country": "MX",
        "auditkit.pilot": "guadalajara-demanda-servicios",
        "auditkit.pilot_type": "service-demand-forecast",
    }
    # per-group metrics use stable codes; the labels are tags and a table
    assert {"mae.g1", "mae.g4", "forecast_ratio.g1"} <= set(run.data.metrics)
    assert not [k for k in run.data.metrics if k.endswith(("bajo", "medio", "alto"))]
    assert (run.data.tags["auditkit.group.g1"], run.data.tags["auditkit.group.g4"]) == (
        "bajo",
        "muy_alto",
    )
    metrics = run.data.metrics
    # the model must beat both baselines on the sample, and say so; skill is against the stronger
    assert metrics["skill_mae_seasonal_naive"] > 0.1
    assert metrics["skill_mae"] == min(
        metrics["skill_mae_seasonal_naive"], metrics["skill_mae_moving_average"]
    )
    assert metrics["backtest_mae"] < metrics["baseline_mae"]
    # conformal intervals: within 3 points of the nominal 80 % on the sample
    assert abs(metrics["interval_coverage"] - 0.8) <= 0.03
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {
        "predictions.csv",
        "forecast.csv",
        "metrics.json",
        "groups.json",
        "backtest_folds.csv",
    } <= artifacts
    models = {m.name for m in client.search_logged_models([experiment.experiment_id])}
    assert {"model", "model_h2", "model_h3", "model_h4"} <= models  # one direct model per horizon
    steps = client.get_metric_history(run.info.run_id, "fold.skill_mae")
    assert sorted(m.step for m in steps) == list(range(6))
    # nothing was written to the project's default store
    assert not (project / "mlflow.db").exists()

    # the README's quick start goes on with `auditkit review` in the project: it must publish
    review = subprocess.run(
        [sys.executable, "-m", "auditkit", "review", "--fail-on", "never", "--quiet"],
        cwd=project,
        env=_env(PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert review.returncode == 0, review.stderr[-3000:]
    audit = project / "audit"
    for name in ("findings.json", "report.md", "report.html", "decision.json", "manifest.json"):
        assert (audit / name).is_file(), name
    findings = json.loads((audit / "findings.json").read_text(encoding="utf-8"))["findings"]
    # the sample's planted under-reporting of the most marginalised zones is found
    assert any(f["item"] == "DAT-03" and f["status"] == "fail" for f in findings)
    # the final model is explained on the backtest rows (EXP-01..03)
    explained = {f["id"]: f["status"] for f in findings if f["area"] == "explain"}
    assert explained["explain.global_importance"] == "pass"
    assert explained["explain.global_importance.model_matches_predictions"] == "not_applicable"
    decision = json.loads((audit / "decision.json").read_text(encoding="utf-8"))["decision"]
    assert decision != "go"

    # logged to the same store, the review speaks the training run's vocabulary
    logged = subprocess.run(
        [sys.executable, "-m", "auditkit", "log", "audit", "--tracking-uri", fresh_store],
        cwd=project,
        env=_env(PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert logged.returncode == 0, logged.stderr[-3000:]
    reviews = client.search_runs(
        [experiment.experiment_id], filter_string="tags.`auditkit.kind` = 'review'"
    )
    assert len(reviews) == 1
    for key in (
        "auditkit.pilot",
        "auditkit.pilot_type",
        "auditkit.city",
        "auditkit.country",
        "auditkit.task",
    ):
        assert reviews[0].data.tags[key] == run.data.tags[key], key


def _venv_seeing_this_one(env_dir: Path) -> Path:
    """A new virtual environment that imports this one's packages through a .pth file.

    The dependencies and the build backend then need no download.
    """
    import sysconfig

    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shared = sysconfig.get_paths()["purelib"]
    (Path(site_packages) / "_shared_env.pth").write_text(shared + "\n", encoding="utf-8")
    return python


def test_auditkit_new_from_an_installed_wheel(tmp_path):
    """The wheel carries the template; `auditkit new` bakes from it offline, without __pycache__."""
    wheels = tmp_path / "wheels"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps"]
    pip_wheel += ["--no-build-isolation", "--no-index", "-q", "-w", str(wheels)]
    build = subprocess.run(pip_wheel, env=_env(), capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    python = _venv_seeing_this_one(tmp_path / "venv")
    wheel = next(wheels.glob("auditkit_cities-*.whl"))
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    out = tmp_path / "projects"
    new = [str(tmp_path / "venv" / "bin" / "auditkit"), "new", "--no-input", "-o", str(out)]
    new += ["city=Recife", "country=BR", "language=pt"]
    result = subprocess.run(
        new, cwd=tmp_path, env=_env(HOME=str(tmp_path)), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    project = out / "recife-demanda-servicos"
    assert (project / "src" / "recife_demanda_servicos" / "model.py").exists()
    assert not list(project.rglob("__pycache__"))
    assert not list(project.rglob("*.pyc"))


def test_editable_install_gives_the_command(tmp_path):
    """`pip install -e .[dev]` works offline and installs the pilot's command."""
    project = bake(tmp_path / "bake", city="Recife", country="BR", language="pt")
    env_dir = tmp_path / "venv"
    python = _venv_seeing_this_one(env_dir)
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-e",
            ".[dev]",
        ],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    command = env_dir / "bin" / "recife-demanda-servicos"
    result = subprocess.run(
        [str(command), "--help"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "previsão semanal" in result.stdout
