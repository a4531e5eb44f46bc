"""The area kit: what a review area receives, shares and returns.

A review runs its areas in order (data, fairness, performance, explain), then the decision step.
Each area is a function ``area(config, context) -> AreaResult`` that reads what it needs through
the :class:`ReviewContext` (tables are loaded once and shared: :func:`load_predictions`) and
returns findings (built with :func:`finding`), tidy metric rows (:class:`MetricRow`, built with
:func:`metric_row`), JSON-ready sections for ``findings.json`` and extra files (figures). Areas
import this kit, never each other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from auditkit._checks import CHECKS
from auditkit._findings import STATUSES, Finding, Severity, Status, default_severity
from auditkit.privacy import is_small

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig

__all__ = [
    "METRIC_ROW_KEYS",
    "MISSING_LABEL",
    "AreaResult",
    "InputRecord",
    "MetricRow",
    "ReviewContext",
    "ReviewOptions",
    "binary_column",
    "binary_labels",
    "finding",
    "first_rows",
    "load_predictions",
    "metric_row",
    "numeric_column",
]

# The label of a missing group value, the same in every area (fairness, explain, data).
MISSING_LABEL = "(missing)"


class MetricRow(TypedDict):
    """A row of ``findings.json["metrics"]``: one metric of one group, in this key order.

    Suppressed rows (fewer than ``privacy.min_cell`` rows) keep their labels and hide every
    number (``None``). Build rows with :func:`metric_row`.
    """

    area: str
    attribute: str
    group: str
    feature: NotRequired[str]  # explain's rows: the input feature the metric is about
    metric: str
    value: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    reference_group: str | None
    ratio: float | None
    ratio_ci_low: float | None
    ratio_ci_high: float | None
    difference: float | None
    difference_ci_low: float | None
    difference_ci_high: float | None
    status: str
    suppressed: bool


# The keys every metric row has, in order (derived from :class:`MetricRow`; ``feature`` is
# explain's only).
METRIC_ROW_KEYS: tuple[str, ...] = tuple(k for k in MetricRow.__annotations__ if k != "feature")


def _shown(number: float | None, hidden: bool) -> float | None:
    """A number as published: None when hidden, missing or not finite."""
    return None if hidden or number is None or not math.isfinite(number) else float(number)


def metric_row(
    area: str,
    attribute: str,
    group: str,
    metric: str,
    *,
    value: float | None,
    n: int,
    status: str,
    min_cell: int,
    feature: str | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
    reference_group: str | None = None,
    ratio: float | None = None,
    ratio_ci_low: float | None = None,
    ratio_ci_high: float | None = None,
    difference: float | None = None,
    difference_ci_low: float | None = None,
    difference_ci_high: float | None = None,
) -> MetricRow:
    """A tidy metric row; every number is hidden when ``n`` is a small cell (see privacy).

    Labels (``reference_group``, ``feature``) stay; numbers that are not finite become None.

    Examples
    --------
    >>> row = metric_row("data", "zone", "Centro", "rate", value=0.5, n=4, status="pass",
    ...                  min_cell=10)
    >>> row["suppressed"], row["value"], row["n"], list(row)[:4]
    (True, None, None, ['area', 'attribute', 'group', 'metric'])
    """
    hidden = is_small(n, min_cell)
    row: dict[str, Any] = {"area": area, "attribute": attribute, "group": group}
    if feature is not None:
        row["feature"] = feature
    row.update(
        metric=metric,
        value=_shown(value, hidden),
        ci_low=_shown(ci_low, hidden),
        ci_high=_shown(ci_high, hidden),
        n=None if hidden else n,
        reference_group=reference_group,
        ratio=_shown(ratio, hidden),
        ratio_ci_low=_shown(ratio_ci_low, hidden),
        ratio_ci_high=_shown(ratio_ci_high, hidden),
        difference=_shown(difference, hidden),
        difference_ci_low=_shown(difference_ci_low, hidden),
        difference_ci_high=_shown(difference_ci_high, hidden),
        status=status,
        suppressed=hidden,
    )
    return cast(MetricRow, row)  # built in the key order above


def finding(
    check: str,
    status: str,
    message: str,
    params: Mapping[str, Any] | None = None,
    *,
    severity: Severity | None = None,
    subject: str | None = None,
    evidence: tuple[str, ...] = (),
    item: str | None = None,
    area: str | None = None,
) -> Finding:
    """A finding of a registered check (its playbook item and area come from the registry).

    ``subject`` makes the id unique when a check reports on several things
    (``fairness.disparity.zone.mae``); ``message`` is the full catalogue key. Without a
    ``severity``, a fail is high, a warn medium and anything else info
    (:func:`auditkit._findings.default_severity`).

    Examples
    --------
    >>> f = finding("performance.baseline_skill", "pass", "performance.baseline_skill.pass")
    >>> f.id, f.item, f.area, f.severity
    ('performance.baseline_skill', 'VAL-01', 'performance', 'info')
    """
    if status not in STATUSES:
        raise ValueError(f"finding status must be one of {STATUSES}; got {status!r}.")
    info = CHECKS.get(check)
    return Finding(
        id=f"{check}.{subject}" if subject else check,
        check=check,
        item=item if item is not None else info.item if info else "",
        area=area if area is not None else info.area if info else "",
        status=cast(Status, status),
        severity=severity if severity is not None else default_severity(status),
        message=message,
        params=dict(params or {}),
        evidence=evidence,
    )


@dataclass(frozen=True)
class InputRecord:
    """A file the review read, for the record and the manifest."""

    role: str
    path: str
    sha256: str
    rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "path": self.path, "sha256": self.sha256, "rows": self.rows}


@dataclass
class AreaResult:
    """What one area of the review produced."""

    findings: list[Finding] = field(default_factory=list)
    metrics: list[MetricRow] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewOptions:
    """How a review runs, beyond its config.

    Attributes
    ----------
    trust_model
        Allow model formats that run code while loading (``--trust-model``).
    quiet
        No progress output (``--quiet``, ``--format json``).
    """

    trust_model: bool = False
    quiet: bool = False


@dataclass
class ReviewContext:
    """Shared state of one review: loaded tables, the inputs read, results so far."""

    config: AuditConfig
    lang: str = "en"
    options: ReviewOptions = field(default_factory=ReviewOptions)
    progress: Callable[[str], None] = lambda _message: None
    inputs: list[InputRecord] = field(default_factory=list)
    results: dict[str, AreaResult] = field(default_factory=dict)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(
        self, role: str, loader: Callable[[], tuple[pd.DataFrame, InputRecord]]
    ) -> pd.DataFrame:
        """Load a table once per review (``loader`` returns the frame and its input record)."""
        if role not in self._tables:
            frame, record = loader()
            self._tables[role] = frame
            self.inputs.append(record)
        return self._tables[role]

    def resolve(self, path: Path) -> Path:
        """A path from the config, resolved against the config's folder."""
        return self.config.resolve(path)

    @property
    def findings(self) -> list[Finding]:
        """All findings of the areas that have run so far."""
        return [f for result in self.results.values() for f in result.findings]


def first_rows(mask: Any, limit: int = 5) -> str:
    """The first data rows (1-based) where ``mask`` is true, for error messages.

    >>> first_rows([False, True, False, True])
    '2, 4'
    """
    import numpy as np

    rows = (np.flatnonzero(mask)[:limit] + 1).tolist()
    return ", ".join(str(r) for r in rows)


def _require_complete(series: pd.Series, column: str, source: str | None) -> None:
    """Every row has a value: outcomes, predictions and scores cannot be missing."""
    from auditkit._errors import InputDataError

    missing = series.isna().to_numpy()
    if missing.any():
        raise InputDataError(
            f"column '{column}' has {int(missing.sum())} missing values (first at data rows "
            f"{first_rows(missing)}).",
            file=source,
            hint="Drop or fill those rows before the review: every row needs an outcome and "
            "a prediction.",
        )


def _label(value: Any) -> str:
    """A label as written: ``true``/``false`` for booleans, ``1`` for ``1.0``."""
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def binary_column(series: pd.Series, column: str, positive_label: Any, source: str | None) -> Any:
    """A two-class column as 0.0/1.0 (the positive label, or 1/true, is 1).

    Raises
    ------
    InputDataError
        Naming the column and the values found when it is not two classes.

    Examples
    --------
    >>> import pandas as pd
    >>> binary_column(pd.Series(["yes", "no"]), "y", "yes", "p.csv").tolist()
    [1.0, 0.0]
    """
    import numpy as np
    import pandas as pd

    _require_complete(series, column, source)
    uniques = pd.unique(series)
    positive = binary_labels(list(uniques), column, positive_label, source)
    if positive_label is None and (
        pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
    ):
        return np.asarray(series.to_numpy(dtype=np.float64), dtype=np.float64)
    positives = [u for u, is_positive in zip(uniques, positive, strict=True) if is_positive]
    return np.asarray(series.isin(positives), dtype=np.float64)


def binary_labels(
    values: Sequence[Any], column: str, positive_label: Any, source: str | None
) -> list[bool]:
    """Which of the distinct ``values`` of a two-class column are the positive class.

    The rules of :func:`binary_column`, on the values alone (an engine's distinct values):
    the positive label when given (at most two labels), else ``1``/``true``.

    Raises
    ------
    InputDataError
        Naming the column and the values found when it is not two classes.

    Examples
    --------
    >>> binary_labels([0, 1], "y", None, "p.csv")
    [False, True]
    >>> binary_labels(["no", "yes"], "y", "yes", "p.csv")
    [False, True]
    """
    from auditkit._errors import InputDataError

    labels = [_label(v) for v in values]
    found = set(labels)
    shown = "{" + ", ".join(sorted(found)[:6]) + (", ..." if len(found) > 6 else "") + "}"
    if positive_label is not None:
        positive = _label(positive_label)
        if len(found) > 2:
            raise InputDataError(
                f"column '{column}' must have two values for a classification pilot "
                f"(positive label '{positive}'); found {len(found)} values {shown}.",
                file=source,
                hint="Map it to two classes first.",
            )
        return [label == positive for label in labels]
    if found <= {"0", "1"} or found <= {"true", "false"}:
        return [label in ("1", "true") for label in labels]
    raise InputDataError(
        f"column '{column}' must be 0/1 (or true/false) for a classification pilot; "
        f"found values {shown}.",
        file=source,
        hint="If the positive class has another label, set data.positive_label in "
        "audit.yaml; if the column holds scores or probabilities, apply the decision "
        "threshold first.",
    )


def numeric_column(series: pd.Series, column: str, source: str | None) -> Any:
    """``series`` as a float array; missing, non-numeric and infinite values are refused.

    Raises
    ------
    InputDataError
        Naming the column, how many values are wrong and the first data rows.

    Examples
    --------
    >>> import pandas as pd
    >>> numeric_column(pd.Series(["1", 2.5]), "y", "predictions.csv").tolist()
    [1.0, 2.5]
    """
    import numpy as np
    import pandas as pd

    from auditkit._errors import InputDataError

    _require_complete(series, column, source)
    values = pd.to_numeric(series, errors="coerce")
    bad = values.isna().to_numpy()
    if bad.any():
        raise InputDataError(
            f"column '{column}' must be numeric; {int(bad.sum())} values are not (first at data "
            f"rows {first_rows(bad)}).",
            file=source,
            hint="Fix those values or point the config at the right column.",
        )
    array = np.asarray(values.to_numpy(dtype=np.float64), dtype=np.float64)
    if not np.isfinite(array).all():
        raise InputDataError(
            f"column '{column}' has infinite values (first at data rows "
            f"{first_rows(~np.isfinite(array))}).",
            file=source,
        )
    return array


def load_predictions(context: ReviewContext) -> pd.DataFrame:
    """The predictions table, read once per review and shared by every area.

    Every column is read (the data area scans them all for personal data); the configured ones
    must exist. Group and segment columns are read as text (so ``1`` and ``1.0`` name the same
    group); the file is recorded once as an input.
    """
    from auditkit._io import file_sha256, read_table, require_columns

    config = context.config
    data = config.data
    columns = [data.y_true, data.y_pred, *data.groups, *data.segments]
    optional = (
        data.sample_weight,
        data.y_pred_lower,
        data.y_pred_upper,
        data.baseline,
        data.row_key,
    )
    columns += [c for c in optional if c]
    # multiclass labels judged one class against the rest (the triage pilot's departments)
    labels: list[str] = []
    if config.fairness.one_vs_rest is not None:
        labels = [config.fairness.one_vs_rest.y_true, config.fairness.one_vs_rest.y_pred]
        columns += [c for c in labels if c not in columns]
    text = [*data.groups, *data.segments, *labels]

    def loader() -> tuple[pd.DataFrame, InputRecord]:
        from auditkit.engine._source import uses_engine

        if uses_engine(config):
            # globs, SQL, tables and connections: the rows come through the engine layer
            from auditkit.engine import read_configured

            frame, source = read_configured(config, text_columns=text)
            require_columns(frame.columns, columns, path=Path(data.source), role="predictions")
            label, fingerprint = source.label, source.fingerprint()
            return frame, InputRecord("predictions", label, fingerprint, rows=len(frame))
        assert data.predictions is not None  # the config requires one source
        path = config.resolve(data.predictions)
        frame = read_table(path, text_columns=text, role="predictions")
        require_columns(frame.columns, columns, path=path, role="predictions")
        record = InputRecord(
            role="predictions",
            path=data.predictions.as_posix(),
            sha256=file_sha256(path),
            rows=len(frame),
        )
        return frame, record

    frame = context.table("predictions", loader)
    # the engine's fairness area records the source without reading its rows: keep one record
    records = [r for r in context.inputs if r.role == "predictions"]
    for extra in records[1:]:
        context.inputs.remove(extra)
    return frame
