"""Disaggregated metrics, disparities to a reference group, and their bootstrap intervals."""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from auditkit._area import (
    METRIC_ROW_KEYS,
    MetricRow,
    binary_column,
    first_rows,
    metric_row,
    numeric_column,
)
from auditkit._errors import ConfigError, InputDataError
from auditkit.fairness._metrics import (
    DEFAULT_BANDS,
    METRICS,
    REGRESSION_STATS,
    MetricSpec,
    default_metrics,
)
from auditkit.fairness._stats import (
    MISSING_LABEL,
    CellIndex,
    View,
    block_count,
    block_statistics,
    bootstrap_replicates,
    cell_statistics,
    encode_cells,
    views,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "METRIC_ROW_KEYS",
    "OVERALL",
    "CellStatistics",
    "GroupMetrics",
    "ViewSummary",
    "group_metrics",
    "metrics_from_statistics",
]

FloatArray = npt.NDArray[np.float64]

_RATIO_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ViewSummary:
    """One attribute (or intersection) as reviewed: its groups and reference."""

    attribute: str
    attributes: tuple[str, ...]
    reference_group: str | None
    reference_note: str | None
    groups: tuple[str, ...]
    counts: tuple[int, ...]

    def to_dict(
        self, *, min_cell: int, hidden: Mapping[tuple[str, str], str] | None = None
    ) -> dict[str, Any]:
        hidden = hidden or {}
        groups = []
        for g, n in zip(self.groups, self.counts, strict=True):
            kind = hidden.get((self.attribute, g)) or ("small_cell" if n < min_cell else None)
            entry: dict[str, Any] = {"group": g, "n": None if kind else n, "suppressed": bool(kind)}
            if kind:
                entry["suppression"] = kind
            groups.append(entry)
        return {
            "attribute": self.attribute,
            "attributes": list(self.attributes),
            "reference_group": self.reference_group,
            "reference_note": self.reference_note,
            "groups": groups,
        }


@dataclass
class GroupMetrics:
    """Result of :func:`group_metrics`: tidy rows plus what was compared to what."""

    rows: list[MetricRow]
    views: list[ViewSummary]
    metrics: tuple[str, ...]
    n_rows: int
    bootstrap: int
    band: tuple[float, float]
    min_group_size: int
    min_cell: int
    notes: list[str] = field(default_factory=list)
    # (attribute, group) -> "small_cell" or "complementary" (auditkit.privacy)
    hidden: dict[tuple[str, str], str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (one row per attribute × group × metric)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(METRIC_ROW_KEYS))


@dataclass(frozen=True)
class CellStatistics:
    """What the core needs from the rows: sufficient statistics per cell and per bootstrap block.

    Computed from a pandas frame (:func:`group_metrics`) or where the data lives
    (:mod:`auditkit.engine`); everything after (metrics, bootstrap, ratios, judgements) is the
    same code.
    """

    kind: Literal["classification", "regression"]
    index: CellIndex  # cells and their row counts (``row_cell`` may be empty)
    stats: FloatArray  # (C, S) per-cell statistics
    # (n_blocks, seed) -> (K, C, S) statistics per block, rows dealt by ``block_of_rows``
    blocks: Callable[[int, int], FloatArray]

    @property
    def n_rows(self) -> int:
        return int(self.index.counts.sum())


def _binary(series: pd.Series, column: str, positive_label: Any, source: str | None) -> FloatArray:
    array: FloatArray = binary_column(series, column, positive_label, source)
    return array


def _numeric(series: pd.Series, column: str, source: str | None) -> FloatArray:
    array: FloatArray = numeric_column(series, column, source)
    return array


def _weights(series: pd.Series, column: str, source: str | None) -> FloatArray:
    weight = _numeric(series, column, source)
    if (weight < 0).any():
        raise InputDataError(
            f"sample weights in column '{column}' must be zero or positive; "
            f"{int((weight < 0).sum())} are negative (first at data rows "
            f"{first_rows(weight < 0)}).",
            file=source,
        )
    if weight.sum() <= 0:
        raise InputDataError(f"sample weights in column '{column}' are all zero.", file=source)
    return weight


def _resolve_metrics(
    task: str, metrics: Sequence[str] | None, *, has_interval: bool
) -> tuple[MetricSpec, ...]:
    kind = "classification" if task == "classification" else "regression"
    names = tuple(metrics) if metrics else default_metrics(task, has_interval=has_interval)
    valid = sorted(n for n, spec in METRICS.items() if spec.kind == kind)
    specs = []
    for name in dict.fromkeys(names):
        spec = METRICS.get(name)
        if spec is None or spec.kind != kind:
            close = difflib.get_close_matches(name, valid, n=1)
            raise ConfigError(
                f"'fairness.metrics': unknown metric '{name}' for a {task} pilot. "
                f"Valid metrics: {', '.join(valid)}."
                + (f" Did you mean '{close[0]}'?" if close else "")
            )
        if spec.needs_interval and not has_interval:
            raise ConfigError(
                f"'fairness.metrics': '{name}' needs prediction bounds; set data.y_pred_lower "
                "and data.y_pred_upper."
            )
        specs.append(spec)
    return tuple(specs)


def _reference(
    view: View,
    requested: Mapping[str, str],
    singles: Mapping[str, str | None],
    min_group_size: int,
    source: str | None,
    sizes: FloatArray | None = None,
) -> tuple[int | None, str | None]:
    """Index of the reference group in ``view`` and a note on how it was chosen.

    By default the reference is the largest group: the most rows, or, when ``sizes`` is given
    (forecasts and regressions: each group's total outcome), the most volume, whose ratio is the
    most precise. Ties go to the first group in sorted order.
    """
    candidates = [g for g, labels in enumerate(view.group_labels) if MISSING_LABEL not in labels]
    by = view.counts if sizes is None else sizes
    eligible = [g for g in candidates if view.counts[g] >= min_group_size] or candidates
    largest = max(eligible, key=lambda g: (float(by[g]), -g)) if eligible else None
    if len(view.attributes) == 1:
        attribute = view.attributes[0]
        if attribute in requested:
            wanted = requested[attribute]
            if wanted not in view.groups:
                close = difflib.get_close_matches(wanted, view.groups, n=1)
                shown = ", ".join(view.groups[:20]) + (" ..." if len(view.groups) > 20 else "")
                raise InputDataError(
                    f"fairness.reference names group '{wanted}' for '{attribute}', but the "
                    f"column has no such value. Groups found: {shown}."
                    + (f" Did you mean '{close[0]}'?" if close else ""),
                    file=source,
                    hint="Fix fairness.reference in audit.yaml.",
                )
            return view.groups.index(wanted), "configured"
        return largest, "largest group" if sizes is None else "largest group by volume"
    wanted_labels = tuple(singles[a] for a in view.attributes)
    if all(label is not None for label in wanted_labels) and wanted_labels in view.group_labels:
        g = view.group_labels.index(wanted_labels)
        if view.counts[g] >= min_group_size:
            return g, "combination of the attributes' references"
    return largest, "largest group (the combination of references is too small or absent)"


def _nan_to_none(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _quantiles(replicates: FloatArray, alpha: float) -> tuple[FloatArray, FloatArray]:
    """Percentile interval over the last axis (the replicates); ``nan`` where fewer than half the
    replicates are defined.

    The numbers are ``numpy.nanquantile``'s (linear interpolation), bit for bit: each series'
    two neighbouring order statistics of its non-nan values (the same values whichever way they
    are found), then numpy's own interpolation formula, operation for operation.
    """
    n = replicates.shape[-1]
    shape = replicates.shape[:-1]
    series = replicates.reshape(-1, n)
    low, high = np.full(series.shape[0], np.nan), np.full(series.shape[0], np.nan)
    finite = np.isfinite(series)
    if finite.all():  # the usual case: every replicate defined
        rows = np.arange(series.shape[0])
        count = np.full(series.shape[0], n)
    else:
        rows = np.flatnonzero(finite.sum(axis=1) >= max(1, n // 2))
        count = n - np.isnan(series[rows]).sum(axis=1)
    if rows.size == 0:
        return low.reshape(shape), high.reshape(shape)
    values = series if rows.size == series.shape[0] else series[rows]
    lanes = np.arange(rows.size)
    lower, upper = _positions(count, alpha / 2), _positions(count, 1 - alpha / 2)
    # the smallest values up to the lower quantile's neighbours, the largest down to the upper's
    smallest = _smallest(values, int(lower[1].max()) + 1)
    largest = _smallest(-values, int((count - 1 - upper[0]).max()) + 1)
    low[rows] = _lerp(smallest[lanes, lower[0]], smallest[lanes, lower[1]], lower[2])
    high[rows] = _lerp(
        -largest[lanes, count - 1 - upper[0]], -largest[lanes, count - 1 - upper[1]], upper[2]
    )
    _signed_zeros(series, rows, alpha, low, high)
    return low.reshape(shape), high.reshape(shape)


def _positions(
    count: npt.NDArray[np.intp], q: float
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:
    """numpy's linear quantile ``q`` of ``count`` sorted values: the two neighbours and the weight.

    As ``numpy.quantile(method="linear")`` computes them: the virtual index ``(count - 1) * q``,
    its floor and the next index; both the last value when the virtual index reaches it, and
    then the weight is measured from index -1, as numpy does.
    """
    virtual = (count - 1).astype(np.float64) * np.float64(q)
    previous = np.floor(virtual)
    above = virtual >= count - 1
    weight = virtual - np.where(above, -1.0, previous)
    last = count - 1
    before = np.where(above, last, previous.astype(np.intp))
    after = np.where(above, last, previous.astype(np.intp) + 1)
    return before, after, weight


def _lerp(a: FloatArray, b: FloatArray, weight: FloatArray) -> FloatArray:
    """``numpy.lib._function_base_impl._lerp``'s two formulas, chosen by the weight."""
    with np.errstate(invalid="ignore"):  # inf - inf, as in numpy
        difference = b - a
        result: FloatArray = a + difference * weight
        np.subtract(b, difference * (1 - weight), out=result, where=weight >= 0.5)
    return result


def _smallest(values: FloatArray, need: int) -> FloatArray:
    """Each row's ``need`` smallest non-nan values, sorted (``(rows, need)``; nan past the end).

    Near a tail, only the values under a threshold are sorted: the threshold is an order
    statistic of the row's first replicates, placed so that some three times ``need`` values
    fall under it; a row with fewer than ``need`` (or very many) under it is sorted whole.
    """
    rows, n = values.shape
    need = max(1, min(need, n))
    if n < 256 or 16 * need > n:
        return np.sort(values, axis=-1)[:, :need]
    sample = 4 * need
    rank = min(sample - 1, -(-3 * need * (sample + 1) // n) - 1)
    threshold = np.partition(values[:, :sample], rank, axis=-1)[:, rank]
    under = values <= threshold[:, np.newaxis]
    count = under.sum(axis=1)
    quick = (count >= need) & (count <= 8 * need)
    out = np.empty((rows, need), dtype=np.float64)
    if not quick.all():
        slow = ~quick
        out[slow] = np.sort(values[slow], axis=-1)[:, :need]
    if quick.any():
        under &= quick[:, np.newaxis]
        kept, sizes = values[under], count[quick]
        owner = np.repeat(np.arange(sizes.size), sizes)
        position = np.arange(kept.size) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        candidates = np.full((sizes.size, int(sizes.max())), np.inf)
        candidates[owner, position] = kept
        candidates.sort(axis=-1)
        out[quick] = candidates[:, :need]
    return out


def _signed_zeros(
    series: FloatArray,
    rows: npt.NDArray[np.intp],
    alpha: float,
    low: FloatArray,
    high: FloatArray,
) -> None:
    """Series holding both 0.0 and -0.0: numpy.nanquantile itself picks the zero.

    The two zeros are equal, so which of them an order statistic is depends on how the values
    are arranged; only a result that is zero can differ, and on such series it comes from
    numpy's own computation.
    """
    zero = (low[rows] == 0) | (high[rows] == 0)
    if not zero.any():
        return
    candidates = rows[zero]
    zeros = series[candidates] == 0
    negative = np.signbit(series[candidates]) & zeros
    both = candidates[negative.any(axis=1) & (zeros & ~negative).any(axis=1)]
    if both.size:
        q = [alpha / 2, 1 - alpha / 2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low[both], high[both] = np.nanquantile(series[both], q, axis=-1)


def _status(
    spec: MetricSpec,
    *,
    n: int,
    value: float,
    is_reference: bool,
    reference_ok: bool,
    ratio: float | None,
    ratio_ci: tuple[float | None, float | None],
    band: tuple[float, float],
    min_group_size: int,
    min_cell: int,
    bootstrap: bool,
) -> Literal["pass", "fail", "warn", "insufficient_data", "not_applicable"]:
    if n < min_cell or n < min_group_size or not math.isfinite(value):
        return "insufficient_data"
    if not spec.gated:
        return "not_applicable"
    if is_reference:
        return "pass"
    if not reference_ok:
        return "insufficient_data"
    if ratio is None:  # the reference's value is 0 and this group's is not
        return "warn"
    # the band is inclusive, and 0.32 / 0.4 must count as 0.8 despite rounding
    low, high = band[0] * (1 - _RATIO_TOLERANCE), band[1] * (1 + _RATIO_TOLERANCE)
    if low <= ratio <= high:
        return "pass"
    ci_low, ci_high = ratio_ci
    reaches_band = ci_low is not None and ci_high is not None and ci_low <= high and ci_high >= low
    if bootstrap and reaches_band:
        # outside the band, but the interval reaches into it: within the group's own noise
        return "pass" if spec.interval_judged else "warn"
    return "fail"


def group_metrics(
    frame: pd.DataFrame,
    *,
    y_true: str,
    y_pred: str,
    groups: Sequence[str],
    task: Literal["classification", "regression", "forecast"],
    metrics: Sequence[str] | None = None,
    sample_weight: str | None = None,
    y_pred_lower: str | None = None,
    y_pred_upper: str | None = None,
    positive_label: Any = None,
    reference: Mapping[str, str] | None = None,
    band: tuple[float, float] | None = None,
    min_group_size: int = 30,
    min_cell: int = 10,
    intersections: bool = True,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    source: str | None = None,
) -> GroupMetrics:
    """Disaggregate metrics by group and compare every group with a reference group.

    Parameters
    ----------
    frame : DataFrame
        One row per prediction, with the outcome, the prediction and the group columns.
    y_true, y_pred : str
        Outcome and prediction columns (0/1 for classification).
    groups : sequence of str
        Equity attribute columns. Missing values form a visible ``(missing)`` group.
    task : {"classification", "regression", "forecast"}
    metrics : sequence of str, optional
        Metric names (see ``auditkit.fairness.METRICS``); default depends on the task.
    sample_weight, y_pred_lower, y_pred_upper : str, optional
        Weight column; prediction interval bounds (for ``interval_coverage``).
    positive_label : optional
        Classification label counted as positive; default 1/true.
    reference : mapping, optional
        Reference group per attribute; default the largest group.
    band : (float, float), optional
        Tolerated ratio to the reference, inclusive; default ``DEFAULT_BANDS[task]``:
        [0.8, 1.25] for classifiers, [0.9, 1.1] for the predicted-to-actual ratio of forecasts
        and regressions (judged on its interval, see ``MetricSpec.interval_judged``).
    min_group_size : int
        Smaller groups are ``insufficient_data``: never pass, never fail.
    min_cell : int
        Smaller groups have their size and values suppressed in the output.
    intersections : bool
        Also every combination of two or more attributes.
    bootstrap : int
        Replicates for percentile intervals (0 disables them).
    confidence : float
        Interval coverage, e.g. 0.95.
    seed : int
        Seed of the bootstrap; same inputs and seed give the same output.
    source : str, optional
        File name used in error messages.

    Returns
    -------
    GroupMetrics

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": [1, 0, 1, 0] * 25, "p": [1, 0, 0, 0] * 25,
    ...                       "zone": ["north", "south"] * 50})
    >>> result = group_metrics(frame, y_true="y", y_pred="p", groups=["zone"],
    ...                        task="classification", metrics=["selection_rate"],
    ...                        min_group_size=10, bootstrap=0)
    >>> for r in result.rows:  # the whole population first, then every group
    ...     print(r["attribute"], r["group"], r["value"], r["status"])
    (all) (all) 0.25 not_applicable
    zone north 0.5 pass
    zone south 0.0 fail
    """
    specs = _resolve_metrics(task, metrics, has_interval=y_pred_lower is not None)
    band = (float(band[0]), float(band[1])) if band is not None else DEFAULT_BANDS[task]
    if not groups:
        raise ConfigError("'data.groups' must name at least one equity attribute column.")
    kind: Literal["classification", "regression"] = (
        "classification" if task == "classification" else "regression"
    )
    if kind == "classification":
        truth = _binary(frame[y_true], y_true, positive_label, source)
        prediction = _binary(frame[y_pred], y_pred, positive_label, source)
    else:
        truth = _numeric(frame[y_true], y_true, source)
        prediction = _numeric(frame[y_pred], y_pred, source)
    weight = _weights(frame[sample_weight], sample_weight, source) if sample_weight else None
    lower = upper = None
    if y_pred_lower is not None and y_pred_upper is not None and kind == "regression":
        lower = _numeric(frame[y_pred_lower], y_pred_lower, source)
        upper = _numeric(frame[y_pred_upper], y_pred_upper, source)
        crossed = lower > upper
        if crossed.any():
            raise InputDataError(
                f"'{y_pred_lower}' is above '{y_pred_upper}' in {int(crossed.sum())} rows (first "
                f"at data rows {first_rows(crossed)}).",
                file=source,
                hint="Check that the bounds are not swapped.",
            )

    index = encode_cells(frame, groups)
    stats = cell_statistics(kind, index, truth, prediction, weight=weight, lower=lower, upper=upper)

    def blocks(n_blocks: int, block_seed: int) -> FloatArray:
        return block_statistics(
            kind,
            index,
            truth,
            prediction,
            n_blocks=n_blocks,
            seed=block_seed,
            weight=weight,
            lower=lower,
            upper=upper,
        )

    return metrics_from_statistics(
        CellStatistics(kind=kind, index=index, stats=stats, blocks=blocks),
        task=task,
        specs=specs,
        band=band,
        reference=reference,
        min_group_size=min_group_size,
        min_cell=min_cell,
        intersections=intersections,
        bootstrap=bootstrap,
        confidence=confidence,
        seed=seed,
        source=source,
    )


def metrics_from_statistics(
    cells: CellStatistics,
    *,
    task: Literal["classification", "regression", "forecast"],
    specs: Sequence[MetricSpec],
    band: tuple[float, float],
    reference: Mapping[str, str] | None = None,
    min_group_size: int = 30,
    min_cell: int = 10,
    intersections: bool = True,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    source: str | None = None,
) -> GroupMetrics:
    """Metrics, bootstrap intervals and judgements from per-cell statistics (see group_metrics)."""
    index, stats, kind = cells.index, cells.stats, cells.kind
    n_rows = cells.n_rows
    all_views = views(index, intersections=intersections)
    for view in all_views[: len(index.attributes)]:
        if len(view.groups) < 2:
            raise InputDataError(
                f"column '{view.name}' has a single group ('{view.groups[0]}'): there is "
                "nothing to compare.",
                file=source,
                hint="Remove it from data.groups or use a column that separates groups.",
            )
    requested = dict(reference or {})

    references: list[tuple[int | None, str | None]] = []
    singles: dict[str, str | None] = {}
    for view in all_views:
        sizes = None
        if kind == "regression":  # the most volume, not the most rows
            sizes = np.abs(view.aggregate(stats)[:, REGRESSION_STATS.index("abs_actual")])
        ref, note = _reference(view, requested, singles, min_group_size, source, sizes)
        references.append((ref, note))
        if len(view.attributes) == 1:
            singles[view.attributes[0]] = view.groups[ref] if ref is not None else None

    values = [
        np.stack([spec.compute(view.aggregate(stats)) for spec in specs], axis=-1)
        for view in all_views
    ]  # per view: (G, M)

    alpha = 1 - confidence
    intervals: list[dict[str, tuple[FloatArray, FloatArray]]] = [{} for _ in all_views]
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        blocks = cells.blocks(block_count(n_rows, stats.size), seed)
        # row 0 is the whole population, then every view's groups: each metric is computed once
        # over all of them (element by element: the same numbers as one view at a time)
        bounds = np.cumsum([1] + [len(view.groups) for view in all_views])
        drawn = np.empty((int(bounds[-1]), len(specs), bootstrap))  # (1 + ΣG, M, B)
        done = 0
        for chunk in bootstrap_replicates(blocks, n_replicates=bootstrap, rng=rng):
            size = chunk.shape[0]
            # cell by cell (C, r, S): adding cells into groups adds whole replicate tables
            by_cell = np.ascontiguousarray(chunk.transpose(1, 0, 2))
            every = np.empty((int(bounds[-1]), size, by_cell.shape[2]), dtype=np.float64)
            np.sum(by_cell, axis=0, out=every[0])
            for v, view in enumerate(all_views):
                view.aggregate(by_cell, axis=0, out=every[bounds[v] : bounds[v + 1]])
            for m, spec in enumerate(specs):
                drawn[:, m, done : done + size] = spec.compute(every)
            done += size
        overall_draws = drawn[0]
        for v, (ref, _) in enumerate(references):
            replicate_values = drawn[bounds[v] : bounds[v + 1]]  # (G, M, B)
            intervals[v]["value"] = _quantiles(replicate_values, alpha)
            if ref is not None:
                ref_values = replicate_values[ref : ref + 1]
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratios = replicate_values / ref_values
                intervals[v]["ratio"] = _quantiles(ratios, alpha)
                judged = [m for m, spec in enumerate(specs) if spec.interval_judged]
                if judged:  # simultaneous over the compared groups (Bonferroni)
                    sized = all_views[v].counts >= min_group_size
                    family = max(1, int(sized.sum()) - int(sized[ref]))
                    low, high = _quantiles(ratios[:, judged], alpha / family)
                    intervals[v]["ratio"][0][:, judged] = low
                    intervals[v]["ratio"][1][:, judged] = high
                intervals[v]["difference"] = _quantiles(replicate_values - ref_values, alpha)

    overall = np.stack([spec.compute(stats.sum(axis=0)) for spec in specs], axis=-1)
    overall_ci = _quantiles(overall_draws, alpha) if bootstrap > 0 else None
    rows: list[MetricRow] = [
        _overall_row(spec, m, overall, overall_ci, n_rows, min_cell) for m, spec in enumerate(specs)
    ]
    summaries: list[ViewSummary] = []
    for v, view in enumerate(all_views):
        ref, note = references[v]
        summaries.append(
            ViewSummary(
                attribute=view.name,
                attributes=view.attributes,
                reference_group=view.groups[ref] if ref is not None else None,
                reference_note=note,
                groups=view.groups,
                counts=tuple(int(c) for c in view.counts),
            )
        )
        for g, group in enumerate(view.groups):
            n = int(view.counts[g])
            for m, spec in enumerate(specs):
                rows.append(
                    _row(
                        spec,
                        view=view,
                        group=group,
                        g=g,
                        m=m,
                        n=n,
                        ref=ref,
                        values=values[v],
                        intervals=intervals[v],
                        band=band,
                        min_group_size=min_group_size,
                        min_cell=min_cell,
                        bootstrap=bootstrap > 0,
                    )
                )
    # no hidden group may follow from the published ones by subtraction
    from auditkit.privacy._suppress import protect_rows

    hidden = protect_rows(rows, k=min_cell)
    return GroupMetrics(
        hidden=dict(hidden),
        rows=rows,
        views=summaries,
        metrics=tuple(spec.name for spec in specs),
        n_rows=n_rows,
        bootstrap=bootstrap,
        band=band,
        min_group_size=min_group_size,
        min_cell=min_cell,
    )


OVERALL = "(all)"


def _overall_row(
    spec: MetricSpec,
    m: int,
    values: FloatArray,
    interval: tuple[FloatArray, FloatArray] | None,
    n: int,
    min_cell: int,
) -> MetricRow:
    """The metric over every row (fairlearn's ``MetricFrame.overall``); never judged."""
    low = high = None
    if interval is not None:
        low, high = float(interval[0][m]), float(interval[1][m])
    return metric_row(
        "fairness",
        OVERALL,
        OVERALL,
        spec.name,
        value=float(values[m]),
        n=n,
        status="not_applicable",
        min_cell=min_cell,
        ci_low=low,
        ci_high=high,
    )


def _row(
    spec: MetricSpec,
    *,
    view: View,
    group: str,
    g: int,
    m: int,
    n: int,
    ref: int | None,
    values: FloatArray,
    intervals: Mapping[str, tuple[FloatArray, FloatArray]],
    band: tuple[float, float],
    min_group_size: int,
    min_cell: int,
    bootstrap: bool,
) -> MetricRow:
    value = float(values[g, m])

    def interval(name: str) -> tuple[float | None, float | None]:
        if name not in intervals:
            return None, None
        low, high = intervals[name]
        return _nan_to_none(float(low[g, m])), _nan_to_none(float(high[g, m]))

    ratio = difference = None
    ratio_ci: tuple[float | None, float | None] = (None, None)
    difference_ci: tuple[float | None, float | None] = (None, None)
    reference_ok = False
    if ref is not None:
        ref_value = float(values[ref, m])
        ref_n = int(view.counts[ref])
        reference_ok = math.isfinite(ref_value) and ref_n >= min_group_size
        if reference_ok and math.isfinite(value):
            difference = value - ref_value
            difference_ci = interval("difference")
            if spec.ratio:
                if ref_value != 0:
                    ratio = value / ref_value
                    ratio_ci = interval("ratio")
                elif value == 0:
                    ratio = 1.0
    status = _status(
        spec,
        n=n,
        value=value,
        is_reference=g == ref,
        reference_ok=reference_ok,
        ratio=ratio,
        ratio_ci=ratio_ci,
        band=band,
        min_group_size=min_group_size,
        min_cell=min_cell,
        bootstrap=bootstrap,
    )
    if g == ref and reference_ok:
        ratio, difference = (1.0 if spec.ratio else None), 0.0
        ratio_ci = (ratio, ratio)
        difference_ci = (0.0, 0.0)
    ci = interval("value")
    return metric_row(
        "fairness",
        view.name,
        group,
        spec.name,
        value=value,
        n=n,
        status=status,
        min_cell=min_cell,
        ci_low=ci[0],
        ci_high=ci[1],
        reference_group=view.groups[ref] if ref is not None else None,
        ratio=ratio,
        ratio_ci_low=ratio_ci[0],
        ratio_ci_high=ratio_ci[1],
        difference=difference,
        difference_ci_low=difference_ci[0],
        difference_ci_high=difference_ci[1],
    )
