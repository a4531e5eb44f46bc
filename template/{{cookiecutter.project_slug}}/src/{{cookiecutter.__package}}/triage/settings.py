{% if cookiecutter.language == "es" -%}
"""La configuración del piloto de triaje, leída de ``config/pilot.yaml``; las rutas son relativas a la carpeta del proyecto."""

{%- elif cookiecutter.language == "pt" -%}
"""A configuração do piloto de triagem, lida de ``config/pilot.yaml``; os caminhos são relativos à pasta do projeto."""
{%- else -%}
"""The triage pilot's settings, read from ``config/pilot.yaml``; paths are relative to the project folder."""
{%- endif %}

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from {{ cookiecutter.__package }}.triage.contract import CANONICAL_COLUMNS, REQUIRED_COLUMNS, ContractError

DEFAULT_EQUITY_ATTRIBUTE = "{{ cookiecutter.equity_attribute }}"
DEFAULT_EXPERIMENT = "{{ cookiecutter.project_slug }}"


@dataclass(frozen=True)
class DataSettings:
    """Where the messages and zones are, and how their columns map to the contract."""

    source: str
    messages: Path
    zones: Path
    columns: dict[str, str | None]
    zone_columns: dict[str, str]
    received_at_format: str = "ISO8601"
    dayfirst: bool = False
    timezone: str | None = None
    separator: str = ","
    zones_separator: str = ","
    encoding: str = "utf-8"
    category_labels: dict[str, str] = field(default_factory=dict)
    channel_labels: dict[str, str] = field(default_factory=dict)
    unmapped_categories: str = "other"
    default_channel: str = "unknown"
    unknown_zones: str = "error"
    invalid_rows: str = "error"


@dataclass(frozen=True)
class ModelSettings:
    """The text classifier and the "send to a person" threshold."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    C: float = 0.5
    calibration_folds: int = 3
    review_threshold: float = 0.6
    seed: int = 0


@dataclass(frozen=True)
class BacktestSettings:
    """Time-ordered evaluation: train on the past, test on the next weeks."""

    folds: int = 4
    test_weeks: int = 8
    min_train_weeks: int = 16


@dataclass(frozen=True)
class SampleSettings:
    """The synthetic sample."""

    zones: int = 16
    weeks: int = 48
    messages_per_week: int = 120
    start: str = "2024-01-01"
    seed: int = 7


@dataclass(frozen=True)
class Settings:
    """Everything in ``config/pilot.yaml``."""

    root: Path
    equity_attribute: str
    categories: tuple[str, ...]
    keywords: dict[str, list[str]]
    data: DataSettings
    model: ModelSettings
    backtest: BacktestSettings
    sample: SampleSettings
    tracking_uri: str
    experiment: str
    outputs: Path

    def resolve_tracking_uri(self) -> str:
        """The tracking URI, with a relative SQLite path made relative to the project."""
        prefix = "sqlite:///"
        uri = self.tracking_uri
        if uri.startswith(prefix) and not uri.startswith(prefix + "/"):
            return prefix + (self.root / uri[len(prefix) :]).as_posix()
        return uri


def _section(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise ContractError(f"{path}: '{name}' must be a mapping; found {type(value).__name__}.")
    return value


def _build(cls: type, values: dict[str, Any], name: str, path: Path) -> Any:
    known = set(cls.__dataclass_fields__)
    unknown = sorted(set(values) - known)
    if unknown:
        raise ContractError(f"{path}: unknown keys in '{name}': {unknown}. Valid keys: {sorted(known)}.")
    try:
        return cls(**values)
    except TypeError as err:
        raise ContractError(f"{path}: section '{name}': {err}.") from err


def load_settings(path: str | Path = "config/pilot.yaml") -> Settings:
    """Read and check ``config/pilot.yaml``."""
    path = Path(path).resolve()
    if not path.exists():
        raise ContractError(f"{path}: settings file not found.")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    root = path.parent.parent
    pilot = _section(raw, "pilot", path)
    data = dict(_section(raw, "data", path))
    for key in ("messages", "zones"):
        if key in data:
            data[key] = root / data[key]
    columns = data.get("columns") or {}
    unknown = sorted(set(columns) - set(CANONICAL_COLUMNS))
    if unknown:
        raise ContractError(
            f"{path}: data.columns names unknown contract columns {unknown}; "
            f"the contract columns are {list(CANONICAL_COLUMNS)}."
        )
    missing = [name for name in REQUIRED_COLUMNS if not columns.get(name)]
    if missing:
        raise ContractError(f"{path}: data.columns must map the required columns {missing} to a column of your file.")
    data["columns"] = {name: columns.get(name) for name in CANONICAL_COLUMNS}
    data_settings = _build(DataSettings, data, "data", path)
    for key, allowed in (
        ("source", ("sample", "file")),
        ("unmapped_categories", ("other", "drop", "error")),
        ("unknown_zones", ("error", "drop")),
        ("invalid_rows", ("error", "drop")),
    ):
        if getattr(data_settings, key) not in allowed:
            raise ContractError(
                f"{path}: data.{key} must be one of {list(allowed)}; found {getattr(data_settings, key)!r}."
            )
    model_raw = dict(_section(raw, "model", path))
    for key in ("word_ngrams", "char_ngrams"):
        if key in model_raw:
            model_raw[key] = tuple(model_raw[key])
    model = _build(ModelSettings, model_raw, "model", path)
    if not 0 < model.review_threshold < 1:
        raise ContractError(f"{path}: model.review_threshold must be in (0, 1); found {model.review_threshold}.")
    categories = tuple(str(c) for c in pilot.get("categories") or ())
    if len(categories) < 2:
        raise ContractError(f"{path}: pilot.categories must list at least two categories; found {list(categories)}.")
    keywords = {
        str(k): [str(w) for w in v or []] for k, v in (_section(raw, "baseline", path).get("keywords") or {}).items()
    }
    extra = sorted(set(keywords) - set(categories))
    if extra:
        raise ContractError(f"{path}: baseline.keywords names categories {extra} that are not in pilot.categories.")
    mlflow_section = _section(raw, "mlflow", path)
    return Settings(
        root=root,
        equity_attribute=str(pilot.get("equity_attribute", DEFAULT_EQUITY_ATTRIBUTE)),
        categories=categories,
        keywords=keywords,
        data=data_settings,
        model=model,
        backtest=_build(BacktestSettings, _section(raw, "backtest", path), "backtest", path),
        sample=_build(SampleSettings, _section(raw, "sample", path), "sample", path),
        tracking_uri=str(mlflow_section.get("tracking_uri", "sqlite:///mlflow.db")),
        experiment=str(mlflow_section.get("experiment", DEFAULT_EXPERIMENT)),
        outputs=root / str(_section(raw, "outputs", path).get("dir", "outputs")),
    )
