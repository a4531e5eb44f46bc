{% if cookiecutter.language == "es" -%}
"""Fixtures compartidas: una copia pequeña y rápida de la configuración del piloto en una carpeta temporal."""

{%- elif cookiecutter.language == "pt" -%}
"""Fixtures compartilhadas: uma cópia pequena e rápida da configuração do piloto numa pasta temporária."""
{%- else -%}
"""Shared fixtures: a small, fast copy of the pilot's settings in a temporary folder."""
{%- endif %}

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from {{ cookiecutter.__package }}.triage.settings import Settings, load_settings

PROJECT = Path(__file__).resolve().parents[1]


def write_settings(root: Path, **overrides: dict) -> Settings:
    """Copy config/pilot.yaml into ``root``, apply ``overrides`` per section, load it."""
    raw = yaml.safe_load((PROJECT / "config" / "pilot.yaml").read_text(encoding="utf-8"))
    for section, values in overrides.items():
        raw.setdefault(section, {}).update(values)
    (root / "config").mkdir(parents=True, exist_ok=True)
    path = root / "config" / "pilot.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return load_settings(path)


SMALL = {
    "sample": {"zones": 8, "weeks": 24, "messages_per_week": 60},
    "backtest": {"folds": 2, "test_weeks": 4, "min_train_weeks": 12},
    "mlflow": {"tracking_uri": "sqlite:///mlflow.db", "experiment": "test-pilot"},
}


@pytest.fixture
def small_settings(tmp_path: Path) -> Settings:
    """Settings for a small sample (8 zones, 24 weeks) written under ``tmp_path``."""
    return write_settings(tmp_path, **SMALL)


@pytest.fixture(autouse=True)
def _isolated_mlflow(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never log to the project's own store, or to a server set in the environment."""
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
