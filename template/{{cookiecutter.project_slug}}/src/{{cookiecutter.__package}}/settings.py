{% if cookiecutter.language == "es" -%}
"""La configuración del piloto, leída de ``config/pilot.yaml``.

Cada ruta del archivo es relativa a la carpeta del proyecto (la que contiene ``config/``).
"""
{%- elif cookiecutter.language == "pt" -%}
"""A configuração do piloto, lida de ``config/pilot.yaml``.

Cada caminho do arquivo é relativo à pasta do projeto (a que contém ``config/``).
"""
{%- else -%}
"""The pilot's settings, read from ``config/pilot.yaml``.

Every path in the file is relative to the project folder (the parent of ``config/``).
"""
{%- endif %}

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from {{ cookiecutter.__package }} import COUNTRY
from {{ cookiecutter.__package }}.contract import ContractError

CANONICAL_COLUMNS = (
    "request_id",
    "created_at",
    "category",
    "zone",
    "channel",
    "closed_at",
    "latitude",
    "longitude",
)
# request_id may be null when the export has no request number: the line number stands in
REQUIRED_COLUMNS = ("created_at", "category", "zone")
DEFAULT_EQUITY_ATTRIBUTE = "{{ cookiecutter.equity_attribute }}"
DEFAULT_EXPERIMENT = "{{ cookiecutter.project_slug }}"


@dataclass(frozen=True)
class DataSettings:
    """Where the requests and zones are, and how their columns map to the contract."""

    source: str
    requests: Path
    zones: Path
    columns: dict[str, str | None]
    zone_columns: dict[str, str]
    created_at_format: str = "ISO8601"
    closed_at_format: str = "ISO8601"
    dayfirst: bool = False
    timezone: str | None = None
    separator: str = ","
    zones_separator: str = ","
    encoding: str = "utf-8"
    category_labels: dict[str, str] = field(default_factory=dict)
    channel_labels: dict[str, str] = field(default_factory=dict)
    unmapped_categories: str = "keep"
    max_categories: int | None = None
    default_channel: str = "unknown"
    unknown_zones: str = "error"
    invalid_rows: str = "error"
    zone_labels: dict[str, str] = field(default_factory=dict)
    zone_affixes: tuple[str, ...] = ()
    zero_population: str = "error"
    zone_polygons: Path | None = None
    zone_polygon_key: str = "zone"
    start: str | None = None
    end: str | None = None
    incomplete_periods: str = "cut"
    collapse_ratio: float = 0.2


@dataclass(frozen=True)
class ModelSettings:
    """Forecast horizon, history mode and the gradient-boosting parameters.

    ``history``: ``full`` uses year-ago features and the seasonal-naive baseline; ``short``
    (about one year of data) drops them and compares with the moving average only; ``auto``
    takes ``full`` when the data has the weeks it needs (see ``backtest.required_weeks``).
    """

    horizon_weeks: int = 4
    history: str = "auto"
    max_iter: int = 120
    learning_rate: float = 0.1
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 20
    interval: float = 0.8
    seed: int = 0
    threads: int = 1


@dataclass(frozen=True)
class BacktestSettings:
    """Rolling-origin evaluation.

    The first ``calibration_folds`` folds only calibrate the intervals of the later ones; the
    ``folds`` after them are scored. ``min_train_weeks`` is the training window of the first
    fold with full history, ``min_train_weeks_short`` the one in short-history mode.
    """

    folds: int = 6
    calibration_folds: int = 3
    min_train_weeks: int = 52
    min_train_weeks_short: int = 12


@dataclass(frozen=True)
class HolidaySettings:
    """Whose public holidays enter the calendar features (ISO 3166 codes), plus local days."""

    country: str = COUNTRY
    subdivision: str | None = None
    extra: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class SampleSettings:
    """The synthetic sample."""

    zones: int = 16
    weeks: int = 156
    start: str = "2022-01-03"
    seed: int = 7
    rate_scale: float = 1.0


@dataclass(frozen=True)
class Settings:
    """Everything in ``config/pilot.yaml``."""

    root: Path
    equity_attribute: str
    categories: tuple[str, ...]
    data: DataSettings
    model: ModelSettings
    backtest: BacktestSettings
    sample: SampleSettings
    tracking_uri: str
    experiment: str
    outputs: Path
    holidays: HolidaySettings = field(default_factory=HolidaySettings)

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
    return cls(**values)


def _holiday_settings(values: dict[str, Any], path: Path) -> HolidaySettings:
    """The ``holidays`` section: codes as text (YAML reads ``NO`` as false), dates as dates."""
    values = dict(values)
    for key in ("country", "subdivision"):
        if values.get(key) is not None and not isinstance(values[key], str):
            raise ContractError(f'{path}: holidays.{key} must be a code in quotes, e.g. "MX"; found {values[key]!r}.')
    days = []
    for day in values.get("extra") or []:
        try:
            days.append(day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)))
        except ValueError as err:
            raise ContractError(f"{path}: holidays.extra must list dates as YYYY-MM-DD; found {day!r}.") from err
    values["extra"] = tuple(days)
    settings = _build(HolidaySettings, values, "holidays", path)
    if not settings.country:
        raise ContractError(f'{path}: holidays.country must be an ISO 3166-1 alpha-2 code such as "MX".')
    return settings


def load_settings(path: str | Path = "config/pilot.yaml") -> Settings:
    """Read and check ``config/pilot.yaml``."""
    path = Path(path).resolve()
    if not path.exists():
        raise ContractError(f"{path}: settings file not found.")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    root = path.parent.parent
    pilot = _section(raw, "pilot", path)
    data = dict(_section(raw, "data", path))
    for key in ("requests", "zones", "zone_polygons"):
        if data.get(key):
            data[key] = root / data[key]
    for key in ("zone_labels", "category_labels", "channel_labels"):
        if data.get(key) is None and key in data:
            data[key] = {}
        if not isinstance(data.get(key, {}), dict):
            raise ContractError(f"{path}: data.{key} must be a mapping of export label to value; found {data[key]!r}.")
        data[key] = {str(k).strip(): str(v) for k, v in (data.get(key) or {}).items()}
    data["zone_affixes"] = tuple(str(a) for a in (data.get("zone_affixes") or ()))
    for key in ("start", "end"):
        if data.get(key) is not None:
            try:
                data[key] = dt.date.fromisoformat(str(data[key])).isoformat()
            except ValueError as err:
                raise ContractError(f"{path}: data.{key} must be a date (YYYY-MM-DD); found {data[key]!r}.") from err
    columns = data.get("columns") or {}
    unknown = sorted(set(columns) - set(CANONICAL_COLUMNS))
    if unknown:
        raise ContractError(
            f"{path}: data.columns names unknown contract columns {unknown}; "
            f"the contract columns are {list(CANONICAL_COLUMNS)}."
        )
    required = list(REQUIRED_COLUMNS)
    if data.get("zone_polygons"):  # the zone comes from the coordinates; the label is a fallback
        required = [name for name in required if name != "zone"] + ["latitude", "longitude"]
    missing = [name for name in required if not columns.get(name)]
    if missing:
        raise ContractError(f"{path}: data.columns must map the required columns {missing} to a column of your file.")
    data["columns"] = {name: columns.get(name) for name in CANONICAL_COLUMNS}
    data_settings = _build(DataSettings, data, "data", path)
    for key, allowed in (
        ("source", ("sample", "file")),
        ("unmapped_categories", ("keep", "other", "drop", "error")),
        ("unknown_zones", ("error", "drop")),
        ("invalid_rows", ("error", "drop")),
        ("zero_population", ("error", "drop")),
        ("incomplete_periods", ("cut", "keep")),
    ):
        if getattr(data_settings, key) not in allowed:
            raise ContractError(
                f"{path}: data.{key} must be one of {list(allowed)}; found {getattr(data_settings, key)!r}."
            )
    if not 0 <= data_settings.collapse_ratio < 1:
        raise ContractError(
            f"{path}: data.collapse_ratio must be in [0, 1) (0 turns the check off); found {data_settings.collapse_ratio}."
        )
    mlflow_section = _section(raw, "mlflow", path)
    model = _build(ModelSettings, _section(raw, "model", path), "model", path)
    if model.horizon_weeks < 1 or model.horizon_weeks > 52:
        raise ContractError(f"{path}: model.horizon_weeks must be 1..52; found {model.horizon_weeks}.")
    if not 0 < model.interval < 1:
        raise ContractError(f"{path}: model.interval must be in (0, 1); found {model.interval}.")
    if model.history not in ("auto", "full", "short"):
        raise ContractError(f"{path}: model.history must be one of ['auto', 'full', 'short']; found {model.history!r}.")
    backtest = _build(BacktestSettings, _section(raw, "backtest", path), "backtest", path)
    for key in ("folds", "calibration_folds", "min_train_weeks", "min_train_weeks_short"):
        if not isinstance(getattr(backtest, key), int) or getattr(backtest, key) < 1:
            raise ContractError(
                f"{path}: backtest.{key} must be a whole number of at least 1; found {getattr(backtest, key)!r}."
            )
    holiday_settings = _holiday_settings(_section(raw, "holidays", path), path)
    return Settings(
        root=root,
        equity_attribute=str(pilot.get("equity_attribute", DEFAULT_EQUITY_ATTRIBUTE)),
        categories=tuple(pilot.get("categories") or ()),
        data=data_settings,
        model=model,
        backtest=backtest,
        sample=_build(SampleSettings, _section(raw, "sample", path), "sample", path),
        tracking_uri=str(mlflow_section.get("tracking_uri", "sqlite:///mlflow.db")),
        experiment=str(mlflow_section.get("experiment", DEFAULT_EXPERIMENT)),
        outputs=root / str(_section(raw, "outputs", path).get("dir", "outputs")),
        holidays=holiday_settings,
    )
