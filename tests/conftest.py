"""Fixtures shared by every test: an isolated environment, the example predictions."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

AUDITS = Path(__file__).resolve().parent.parent / "examples" / "audits"


@pytest.fixture(scope="session", autouse=True)
def _example_predictions() -> None:
    """The example audits' predictions are generated, not committed (make_examples.py).

    Written to a temporary name and swapped in, so parallel workers never read half a file.
    """
    names = ("sla-classifier", "demand-forecast")
    if all((AUDITS / name / "predictions.csv").is_file() for name in names):
        return
    sys.path.insert(0, str(AUDITS))
    try:
        import make_examples
    finally:
        sys.path.remove(str(AUDITS))
    makers = (make_examples.sla_classifier, make_examples.demand_forecast)
    for name, make in zip(names, makers, strict=True):
        target = AUDITS / name / "predictions.csv"
        partial = target.with_name(f".predictions.{os.getpid()}.csv")
        make().to_csv(partial, index=False)
        os.replace(partial, target)


@pytest.fixture(autouse=True)
def _isolated_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test sees the developer's HOME, MLflow server or cookiecutter replay files."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    for name in (
        "MLFLOW_TRACKING_URI",
        "MLFLOW_REGISTRY_URI",
        "MLFLOW_EXPERIMENT_NAME",
        "MLFLOW_EXPERIMENT_ID",
        "MLFLOW_RUN_ID",
        "XDG_CACHE_HOME",  # the report templates' cache goes to the test's own HOME
        "AUDITKIT_CACHE_DIR",
        "AUDITKIT_NO_CACHE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo_root() -> Path:
    """The repository's top-level folder."""
    return Path(__file__).resolve().parent.parent
