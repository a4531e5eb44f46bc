"""``audit.yaml``: the review's configuration, validated with pydantic.

Unknown keys are rejected with the list of valid ones; every error names the file, the key,
what was expected and what was found. Paths in the file are relative to the file itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditkit._errors import AuditkitError, ConfigError
from auditkit._languages import Language
from auditkit._validation import explain_validation_error, valid_keys

__all__ = [
    "AuditConfig",
    "DataConfig",
    "ExplainConfig",
    "FairnessConfig",
    "Language",
    "ModelConfig",
    "PerformanceConfig",
    "PilotConfig",
    "PrivacyConfig",
    "QualityConfig",
    "RepresentativenessConfig",
    "RiskConfig",
    "Task",
    "load_config",
    "load_yaml",
    "yes_no",
]

Task = Literal["classification", "regression", "forecast"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PilotConfig(_Section):
    """What is being reviewed."""

    name: str = Field(min_length=1, description="Name of the pilot, as in the model card.")
    task: Task = Field(description="classification, regression or forecast.")
    slug: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Pilot id in MLflow (auditkit.pilot); default: the name slugified.",
    )
    type: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$",
        description="Pilot type in MLflow (auditkit.pilot_type), e.g. service-demand-forecast; "
        "default: the task.",
    )
    city: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    language: Language = Field(default="en", description="Language of the reports: es, pt or en.")


class DataConfig(_Section):
    """The predictions table and its columns."""

    predictions: Path | None = Field(
        default=None,
        description="CSV or Parquet file, or a glob of them (preds/*.parquet), relative to "
        "audit.yaml; read by the embedded engine. Or give data.query or data.table.",
    )
    query: str | None = Field(
        default=None,
        description="SQL whose result is the predictions table: over files (FROM 'compas.csv', "
        "relative to audit.yaml) or, with data.connection, in the database.",
    )
    table: str | None = Field(
        default=None, description="A table of data.connection holding the predictions."
    )
    connection: str | None = Field(
        default=None,
        description="Where the data lives: postgresql://user@host/db (the password from "
        "PGPASSWORD or ${VAR}, never this file) or spark (master from SPARK_MASTER).",
    )
    y_true: str = Field(min_length=1, description="Column with the observed outcome.")
    y_pred: str = Field(min_length=1, description="Column with the model's prediction.")
    groups: list[str] = Field(
        min_length=1,
        description="Equity attributes: people or places that must be treated fairly (stratum, "
        "channel, language). Judged by the fairness checks.",
    )
    segments: list[str] = Field(
        default_factory=list,
        description="Segments the model serves on purpose (e.g. the service category): "
        "performance is reported for each, never judged as fairness.",
    )
    sample_weight: str | None = Field(default=None, description="Optional weight column.")
    row_key: str | None = Field(
        default=None,
        description="Optional case or record id column (integer or text): rows are dealt to "
        "bootstrap blocks by a hash of it, so the intervals do not depend on the order the rows "
        "are stored in. Default: the row number.",
    )
    positive_label: str | int | bool | None = Field(
        default=None,
        description="Classification: the label counted as positive (default: 1/true).",
    )
    y_pred_lower: str | None = Field(default=None, description="Lower prediction bound column.")
    y_pred_upper: str | None = Field(default=None, description="Upper prediction bound column.")
    interval_level: float | None = Field(
        default=None, gt=0, lt=1, description="Nominal coverage of the interval, e.g. 0.8."
    )
    baseline: str | None = Field(
        default=None, description="Column with a transparent baseline's prediction."
    )
    y_score: str | None = Field(
        default=None,
        description="Classification: the model's probability of the positive class (0 to 1), "
        "for the calibration check (Brier score, expected calibration error).",
    )
    # Data checks (issue 7): the raw records behind the model and the zones they come from.
    raw: Path | None = Field(default=None, description="Raw records (e.g. service requests).")
    zones: Path | None = Field(
        default=None, description="One row per zone: population and equity stratum."
    )
    time: str | None = Field(default=None, description="Timestamp column of the raw records.")
    zone: str | None = Field(
        default=None, description="Zone column, in the raw records and in the zones table."
    )
    category: str | None = Field(default=None, description="Category column of the raw records.")
    channel: str | None = Field(
        default=None, description="Reporting channel column (WhatsApp, phone, web, app)."
    )
    record_id: str | None = Field(default=None, description="Record id column (duplicates).")
    population: str = Field(default="population", description="Population column of zones.")
    stratum: str = Field(default="stratum", description="Equity stratum column of zones.")
    strata: list[str] | None = Field(
        default=None,
        description="Strata from the most to the least marginalised (default: sorted labels).",
    )
    prediction_time: str | None = Field(
        default=None, description="Predictions column: when each prediction was made."
    )
    feature_time: str | None = Field(
        default=None,
        description="Predictions column: time of the latest record used in the row's features.",
    )
    ingest: Path | None = Field(
        default=None,
        description="The pilot's row accounting (ingest.json): rows dropped, incomplete periods.",
    )
    train_window: tuple[dt.date, dt.date] | None = Field(
        default=None, description="First and last day of the training data."
    )
    eval_window: tuple[dt.date, dt.date] | None = Field(
        default=None,
        description="First and last day evaluated (default: the range of prediction_time).",
    )

    @field_validator("train_window", "eval_window")
    @classmethod
    def _ordered_window(
        cls, value: tuple[dt.date, dt.date] | None
    ) -> tuple[dt.date, dt.date] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"a window is [first day, last day]; got {value[0]} after {value[1]}")
        return value

    @field_validator("groups", "segments")
    @classmethod
    def _unique_groups(cls, value: list[str]) -> list[str]:
        duplicates = sorted({g for g in value if value.count(g) > 1})
        if duplicates:
            raise ValueError(f"each group column may appear once; repeated: {duplicates}")
        return value

    @model_validator(mode="after")
    def _segments_are_not_groups(self) -> DataConfig:
        both = sorted(set(self.groups) & set(self.segments))
        if both:
            raise ValueError(
                f"a column is either an equity attribute (groups) or a segment, not both: {both}"
            )
        return self

    @model_validator(mode="after")
    def _one_source(self) -> DataConfig:
        given = [k for k in ("predictions", "query", "table") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of predictions (files), query (SQL) or table; found "
                + (", ".join(given) if given else "none")
            )
        if self.table is not None and self.connection is None:
            raise ValueError("table needs a connection (postgresql://... or spark)")
        return self

    @property
    def source(self) -> str:
        """The predictions as named in messages: the file, the table or the query."""
        if self.predictions is not None:
            return self.predictions.as_posix()
        if self.table is not None:
            return f"table {self.table}"
        return f"query {' '.join(str(self.query).split())[:120]}"

    @model_validator(mode="after")
    def _interval_pair(self) -> DataConfig:
        if (self.y_pred_lower is None) != (self.y_pred_upper is None):
            raise ValueError("y_pred_lower and y_pred_upper must be given together")
        return self


class OneVsRestConfig(_Section):
    """A multiclass classifier's per-class metrics, each class against the rest."""

    y_true: str = Field(description="Column with the true class label (e.g. the department).")
    y_pred: str = Field(description="Column with the predicted class label.")
    metrics: list[str] = Field(
        default_factory=lambda: ["true_positive_rate", "false_positive_rate"],
        description="Classification metrics computed per class on 'is this class' (default: the "
        "class's recall and the rate of messages wrongly sent to it).",
    )


class FairnessConfig(_Section):
    """How groups are compared."""

    metrics: list[str] | None = Field(
        default=None, description="Metric names; default depends on the task."
    )
    reference: dict[str, str] = Field(
        default_factory=dict, description="Reference group per attribute; default: the largest."
    )
    band: tuple[float, float] | None = Field(
        default=None,
        description="Tolerated ratio to the reference group (default: [0.8, 1.25] for "
        "classifiers, [0.9, 1.1] for the predicted-to-actual ratio of forecasts and regressions).",
    )
    min_group_size: int = Field(default=30, ge=1)
    max_missing_share: float = Field(
        default=0.05, ge=0, le=1, description="Warn when more rows than this lack a group value."
    )
    intersections: bool = True
    bootstrap: int = Field(default=1000, ge=0, le=100_000)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    seed: int = Field(default=0, ge=0)
    one_vs_rest: OneVsRestConfig | None = Field(
        default=None,
        description="Multiclass classifiers: per-class metrics by group, one class against the "
        "rest, from the label columns (task: classification).",
    )

    @field_validator("reference", mode="before")
    @classmethod
    def _reference_as_strings(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): _group_label(v) for k, v in value.items()}
        return value

    @field_validator("band")
    @classmethod
    def _increasing_positive(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is None:
            return value
        low, high = value
        if not (0 < low < 1 < high):
            raise ValueError(
                "band must be two positive numbers [low, high] with low < 1 < high, "
                f"e.g. [0.8, 1.25]; got [{low}, {high}]"
            )
        return value


class PerformanceConfig(_Section):
    """How the model is judged against its baseline and its own intervals."""

    min_skill: float = Field(
        default=0.0, lt=1, description="Skill over the baseline below this fails (0 = no better)."
    )
    coverage_tolerance: float = Field(
        default=0.05, gt=0, lt=1, description="Allowed gap between interval coverage and level."
    )
    calibration_tolerance: float = Field(
        default=0.02,
        gt=0,
        lt=1,
        description="Allowed excess of the expected calibration error over what calibrated "
        "scores show on the same cases (data.y_score).",
    )


class PrivacyConfig(_Section):
    """Small-cell suppression in every public output; personal data declared on purpose."""

    min_cell: int = Field(
        default=10, ge=1, description="Counts and rates over fewer rows are shown as '< k'."
    )
    declared: dict[str, str] = Field(
        default_factory=dict,
        description="Personal columns kept on purpose: column name -> justification.",
    )
    scan: bool = Field(default=True, description="Scan the reviewed tables for personal data.")

    @field_validator("declared")
    @classmethod
    def _justified(cls, value: dict[str, str]) -> dict[str, str]:
        empty = sorted(k for k, v in value.items() if not str(v).strip())
        if empty:
            raise ValueError(f"each declared column needs a justification; empty for {empty}")
        return value


class QualityConfig(_Section):
    """Thresholds of the data-quality and freshness checks on the raw records."""

    as_of: dt.date | None = Field(
        default=None,
        description="Reference date for freshness (default: the latest prediction_time).",
    )
    max_missing: float = Field(default=0.05, ge=0, le=1, description="Share of empty cells.")
    max_duplicates: float = Field(default=0.01, ge=0, le=1, description="Share of duplicates.")
    categories: dict[str, list[str]] = Field(
        default_factory=dict, description="Allowed values per column of the raw records."
    )
    columns: list[str] | None = Field(
        default=None,
        description="Columns checked for missing values (default: the configured columns).",
    )
    max_gap_days: int = Field(default=7, ge=1, description="Longest run of days with no record.")
    max_staleness_days: int = Field(
        default=30, ge=0, description="Days allowed between the latest record and as_of."
    )
    max_dropped: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="Share of the export's rows the pilot may drop (unknown zones, invalid rows, "
        "unmapped categories) before data.ingest warns; incomplete periods are judged apart.",
    )


class RepresentativenessConfig(_Section):
    """Who reports: requests per resident by equity stratum."""

    min_ratio: float = Field(
        default=0.8,
        gt=0,
        lt=1,
        description="The most marginalised stratum reports 'markedly less' below this ratio "
        "to the other strata.",
    )
    per: int = Field(default=1000, ge=1, description="Rates per this many residents.")
    bootstrap: int = Field(default=1000, ge=0, le=100_000)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    seed: int = Field(default=0, ge=0)


class ModelConfig(_Section):
    """The model to explain, and how far it may be trusted when loading it."""

    uri: str = Field(
        min_length=1,
        description="models:/name/version, runs:/<id>/model, an MLflow model folder or a .skops "
        "file (relative to audit.yaml); .pkl/.joblib only with --trust-model.",
    )
    tracking_uri: str | None = Field(
        default=None,
        description="MLflow tracking URI for models:/ and runs:/ (default: MLFLOW_TRACKING_URI); "
        "a relative sqlite:/// path is relative to audit.yaml.",
    )
    trusted_types: list[str] = Field(
        default_factory=list,
        description="Types you have reviewed and trust in a skops file "
        "(e.g. sklearn.tree._tree.Tree).",
    )


class ExplainConfig(_Section):
    """How the model's predictions are explained (SHAP attributions)."""

    features: Path = Field(
        description="CSV or Parquet with the model's input columns, rows aligned with the "
        "predictions table (or joined on 'id'); relative to audit.yaml."
    )
    columns: list[str] | None = Field(
        default=None, description="Model input columns; default: the columns the model was fit on."
    )
    id: str | None = Field(
        default=None, description="Key column present in both tables to align their rows."
    )
    proxy_attributes: list[str] | None = Field(
        default=None,
        description="Equity attributes the proxy check looks for in the features (default: every "
        "attribute of data.groups). Leave out groupings the model may use on purpose, such as "
        "the service category of a forecast per category.",
    )
    predictions_from: Literal["model", "backtest"] = Field(
        default="model",
        description="'model': the explained model made data.y_pred, and the review checks that it "
        "reproduces them. 'backtest': y_pred comes from models refit on each backtest fold and "
        "the model is the final refit, so its outputs are not expected to match y_pred.",
    )
    max_rows: int = Field(default=5000, ge=1, description="Rows explained (a seeded sample).")
    background: int = Field(
        default=200, ge=10, le=10_000, description="Background rows for model-agnostic explainers."
    )
    time_budget: float = Field(
        default=300.0, gt=0, description="Seconds the attributions may take; fewer rows after."
    )
    seed: int = Field(default=0, ge=0)
    top_k: int = Field(default=5, ge=1, le=50, description="Features shown per ranking.")
    bootstrap: int = Field(default=200, ge=0, le=10_000)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    reason_rows: int = Field(
        default=5, ge=0, le=100, description="Rows whose reason codes are shown as examples."
    )
    proxy_association: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Association with an equity attribute that makes "
        "a feature a possible proxy (Cramér's V, correlation ratio or predictive power).",
    )
    proxy_min_share: float = Field(
        default=0.05, ge=0, le=1, description="Share of the attribution above which a proxy fails."
    )
    driver_gap: float = Field(
        default=0.25,
        gt=0,
        description="Gap in a feature's mean attribution between groups, "
        "relative to the mean total |attribution|, above which drivers are said to differ.",
    )
    feature_descriptions: dict[str, str | dict[Language, str]] = Field(
        default_factory=dict,
        description="Feature -> what it means, shown beside its name in the reports: one text, "
        "or one per language ({es: ..., pt: ..., en: ...}).",
    )


def yes_no(value: Any) -> Any:
    """An answer as written: YAML 1.1 reads yes/no (and true/false) as booleans.

    >>> yes_no(True), yes_no(False), yes_no("not_applicable")
    ('yes', 'no', 'not_applicable')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class Attestation(_Section):
    """A named person's answer to a ``human`` playbook item, with its evidence."""

    answer: Literal["yes", "no", "not_applicable"] = Field(
        description="yes (done), no (not done) or not_applicable (say why in 'note')."
    )
    by: str = Field(min_length=1, description="Who attests: name and role.")
    date: dt.date | None = None
    evidence: str | list[str] | None = Field(
        default=None, description="File (relative to audit.yaml) or link, or a list of them."
    )
    note: str | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _bool_answer(cls, value: Any) -> Any:
        return yes_no(value)

    @model_validator(mode="after")
    def _explained(self) -> Attestation:
        if self.answer == "not_applicable" and not self.note:
            raise ValueError("an item attested 'not_applicable' needs a 'note' saying why")
        return self


class ConditionOwner(_Section):
    """Who must close an open item, and by when."""

    owner: str = Field(min_length=1)
    due: dt.date


class RiskConfig(_Section):
    """Impact questionnaire, checklist evidence and attestations for the deployment decision."""

    answers: Path | None = Field(
        default=None,
        description="Questionnaire answers: the AIA tool's saved JSON or an auditkit YAML file.",
    )
    playbook: Path | None = Field(default=None, description="Custom playbook (default: bundled).")
    evidence: dict[str, str | list[str]] = Field(
        default_factory=dict, description="Playbook item -> file (relative to audit.yaml) or link."
    )
    attestations: dict[str, Attestation] = Field(default_factory=dict)
    conditions: dict[str, ConditionOwner] = Field(
        default_factory=dict, description="Playbook item -> owner and due date if it stays open."
    )


class AuditConfig(_Section):
    """The whole ``audit.yaml``."""

    pilot: PilotConfig
    data: DataConfig
    fairness: FairnessConfig = Field(default_factory=FairnessConfig)
    performance: PerformanceConfig = Field(default_factory=PerformanceConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    representativeness: RepresentativenessConfig = Field(default_factory=RepresentativenessConfig)
    model: ModelConfig | None = None
    explain: ExplainConfig | None = None
    risk: RiskConfig | None = None

    # Where the file was read from; paths are relative to its folder.
    source: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _references_name_groups(self) -> AuditConfig:
        unknown = sorted(set(self.fairness.reference) - set(self.data.groups))
        if unknown:
            raise ValueError(
                f"fairness.reference names attributes that are not in data.groups: {unknown}; "
                f"data.groups is {self.data.groups}"
            )
        return self

    @model_validator(mode="after")
    def _proxy_attributes_are_groups(self) -> AuditConfig:
        named = (self.explain.proxy_attributes or []) if self.explain else []
        unknown = sorted(set(named) - set(self.data.groups))
        if unknown:
            raise ValueError(
                f"explain.proxy_attributes names attributes that are not in data.groups: "
                f"{unknown}; data.groups is {self.data.groups}"
            )
        return self

    @model_validator(mode="after")
    def _scores_for_classifiers(self) -> AuditConfig:
        if self.data.y_score is not None and self.pilot.task != "classification":
            raise ValueError(
                f"data.y_score (a probability column) applies to classification pilots; "
                f"pilot.task is '{self.pilot.task}'. Remove data.y_score or set the task."
            )
        return self

    @model_validator(mode="after")
    def _model_with_features(self) -> AuditConfig:
        if (self.model is None) != (self.explain is None):
            given, missing = ("model", "explain") if self.explain is None else ("explain", "model")
            raise ValueError(
                f"'{given}' needs '{missing}' too: explanations need the model "
                "(model: {uri: ...}) and its input features (explain: {features: ...})"
            )
        return self

    @property
    def base_dir(self) -> Path:
        """Folder that relative paths in the config are resolved against."""
        return self.source.parent if self.source is not None else Path.cwd()

    def resolve(self, path: Path) -> Path:
        """Resolve a path from the config against :attr:`base_dir`."""
        return path if path.is_absolute() else self.base_dir / path


def _group_label(value: Any) -> str:
    """Group values are compared as strings, as they appear in the data file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _LimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, stopped early on alias bombs and on deep nesting."""

    max_aliases = 100
    max_depth = 64

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.max_aliases:
                raise _YamlLimit(f"has more than {self.max_aliases} aliases (*name)")
        self.depth += 1
        try:
            if self.depth > self.max_depth:
                raise _YamlLimit(f"is nested more than {self.max_depth} levels deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _YamlLimit(Exception):
    """A YAML document past one of the input limits."""


def _check_shape(node: yaml.Node, *, max_aliases: int, max_depth: int) -> None:
    """The limits of :class:`_LimitedLoader` on a composed document (the C loader's).

    An alias is a node met again; depth counts nested collections, as the composer does.
    """
    seen: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            aliases += 1
            if aliases > max_aliases:
                raise _YamlLimit(f"has more than {max_aliases} aliases (*name)")
            continue
        seen.add(id(current))
        if depth > max_depth:
            raise _YamlLimit(f"is nested more than {max_depth} levels deep")
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))


def _expanded_size(node: yaml.Node, limit: int) -> int:
    """How many values ``node`` holds once every alias is expanded (stops past ``limit``)."""
    sizes: dict[int, int] = {}

    def size(current: yaml.Node) -> int:
        key = id(current)
        if key not in sizes:
            total = 1
            if isinstance(current, yaml.SequenceNode):
                total += sum(size(child) for child in current.value)
            elif isinstance(current, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in current.value)
            if total > limit:
                raise _YamlLimit(f"holds more than {limit:,} values once its aliases are expanded")
            sizes[key] = total
        return sizes[key]

    return size(node)


def load_yaml(path: Path, *, error: type[AuditkitError] = ConfigError) -> Any:
    """Read a YAML file safely, turning every problem into a clear ``error``.

    Only plain data is built (PyYAML's safe loader), within the limits of
    :func:`auditkit._io.input_limits`: file size, at most 100 aliases, 64 levels of nesting and
    100,000 values once aliases are expanded, so a small "billion laughs" file is refused in
    milliseconds instead of filling the memory.
    """
    from auditkit._io import check_input_file, input_limits, reading

    if not path.exists():
        raise error(
            "file not found.",
            file=path,
            hint="Check the path, or create it (auditkit new writes a complete one).",
        )
    if path.is_dir():
        raise error("expected a YAML file, found a folder.", file=path)
    limits = input_limits()
    check_input_file(
        path,
        role="YAML",
        max_bytes=limits.yaml_bytes,
        setting="AUDITKIT_MAX_YAML_KB",
        error=error,
    )
    with reading(path, role="YAML", error=error):
        text = path.read_text(encoding="utf-8")
    fast = getattr(yaml, "CSafeLoader", None)  # libyaml: about 10x faster
    loader: Any = None
    node = None
    if fast is not None:
        loader = fast(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:  # the Python loader below says what and where, as always
            loader.dispose()
            loader = None
    if loader is None:
        loader = _LimitedLoader(text)
        loader.max_aliases, loader.max_depth = limits.yaml_aliases, limits.yaml_depth
    try:
        if isinstance(loader, _LimitedLoader):
            node = loader.get_single_node()
        if node is None:
            return None
        if not isinstance(loader, _LimitedLoader):
            _check_shape(node, max_aliases=limits.yaml_aliases, max_depth=limits.yaml_depth)
        _expanded_size(node, limits.yaml_nodes)
        return loader.construct_document(node)
    except _YamlLimit as err:
        raise error(
            f"is refused: the document {err}.",
            file=path,
            hint="Write the values out plainly: audit.yaml and answers files need no aliases and "
            "little nesting.",
        ) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(
            f"is not valid YAML{where}: {err.problem}.",
            file=path,
            hint="Fix the indentation or quoting there.",
        ) from err
    except yaml.YAMLError as err:
        raise error(f"is not valid YAML: {err}.", file=path) from err
    finally:
        loader.dispose()


def load_config(path: str | Path) -> AuditConfig:
    """Load and validate an ``audit.yaml``.

    Raises
    ------
    ConfigError
        If the file is missing, not YAML, or does not follow the schema.
    """
    path = Path(path)
    raw = load_yaml(path)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"expected a mapping with the keys {sorted(valid_keys(AuditConfig))}; "
            f"found {type(raw).__name__}.",
            file=path,
        )
    try:
        config = AuditConfig.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(explain_validation_error(err, AuditConfig), file=path) from err
    return config.model_copy(update={"source": path.resolve()})
