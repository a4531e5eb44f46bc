"""Multiclass classifiers, one class against the rest.

The fairness core compares groups on binary confusion counts. A classifier that routes a message
to one of several departments is audited one class at a time: for class ``c`` the outcome is
"the message belongs to ``c``" and the prediction "the model sent it to ``c``". The class's
recall (``true_positive_rate``) is then the share of its messages that reach it, and its
``false_positive_rate`` the share of other messages wrongly sent to it. Each class's views are
labelled ``attribute [class]`` so that they sit beside the binary views in findings, metric rows
and reports, without a new metric or a new table format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError
from auditkit.fairness._core import OVERALL, GroupMetrics, group_metrics

if TYPE_CHECKING:
    import pandas as pd

    from auditkit.engine import Source

__all__ = ["class_label", "one_vs_rest", "one_vs_rest_in_place"]

# the binary columns of one class, derived in the engine
_Y, _P = "__auditkit_class_true", "__auditkit_class_pred"


def class_label(attribute: str, label: str) -> str:
    """The name of ``attribute``'s view for class ``label``, e.g. ``"channel [basura]"``."""
    return f"{attribute} [{label}]"


def _relabel(result: GroupMetrics, label: str) -> GroupMetrics:
    rows = []
    for row in result.rows:
        relabelled = row.copy()
        if row["attribute"] == OVERALL:
            relabelled["group"] = class_label(str(row["group"]), label)
        else:
            relabelled["attribute"] = class_label(row["attribute"], label)
        rows.append(relabelled)
    views = [
        dataclasses.replace(view, attribute=class_label(view.attribute, label))
        for view in result.views
    ]
    return dataclasses.replace(result, rows=rows, views=views)


def one_vs_rest(
    frame: pd.DataFrame,
    *,
    y_true: str,
    y_pred: str,
    groups: Sequence[str],
    metrics: Sequence[str],
    reference: Mapping[str, str] | None = None,
    source: str | None = None,
    **options: Any,
) -> list[tuple[str, GroupMetrics]]:
    """Group metrics of every class against the rest, with views labelled by class.

    Parameters
    ----------
    frame : DataFrame
        One row per prediction, with the true and predicted class labels and the group columns.
    y_true, y_pred : str
        Label columns (any values; compared as strings).
    groups, metrics, reference, source, **options
        As for :func:`auditkit.fairness.group_metrics` (task ``classification``).

    Returns
    -------
    list of (class, GroupMetrics)
        One entry per class seen in ``y_true``, sorted by class.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"y": list("abcabc") * 20, "p": list("abcabb") * 20,
    ...                       "zone": ["n"] * 60 + ["s"] * 60})
    >>> [c for c, _ in one_vs_rest(frame, y_true="y", y_pred="p", groups=["zone"],
    ...                             metrics=["true_positive_rate"], bootstrap=0)]
    ['a', 'b', 'c']
    """
    for column in (y_true, y_pred):
        missing = frame[column].isna().to_numpy()
        if missing.any():
            raise InputDataError(
                f"column '{column}' has {int(missing.sum())} missing class labels.",
                file=source,
                hint="Every row needs a true and a predicted class for the one-vs-rest metrics.",
            )
    truth = frame[y_true].astype(str)
    predicted = frame[y_pred].astype(str)
    classes = sorted(set(truth))
    if len(classes) < 2:
        raise InputDataError(
            f"column '{y_true}' has a single class ({classes}): nothing to compare.",
            file=source,
            hint="fairness.one_vs_rest needs the label columns of a multiclass classifier.",
        )
    base = frame[list(groups)].copy()
    results = []
    for label in classes:
        part = base.assign(_y=(truth == label).astype(int), _p=(predicted == label).astype(int))
        result = group_metrics(
            part,
            y_true="_y",
            y_pred="_p",
            groups=groups,
            task="classification",
            metrics=metrics,
            reference=reference,
            source=source,
            **options,
        )
        results.append((label, _relabel(result, label)))
    return results


def one_vs_rest_in_place(
    engine_source: Source,
    *,
    y_true: str,
    y_pred: str,
    groups: Sequence[str],
    metrics: Sequence[str],
    band: tuple[float, float],
    row_key: str | None = None,
    reference: Mapping[str, str] | None = None,
    **options: Any,
) -> list[tuple[str, GroupMetrics]]:
    """:func:`one_vs_rest` on a source the engine reads in place (glob, query, table).

    ``engine_source`` is where the rows are; ``options`` are :func:`one_vs_rest`'s (``source``
    names the predictions in messages). The class labels are the distinct values of
    ``y_true`` (read by the engine, written as text as the frame path writes them); for each
    class one ``GROUP BY`` computes the binary statistics of "belongs to the class" against
    "sent to the class", so the rows never leave the engine. The numbers are the frame path's
    (same blocks, same metrics and judgements).
    """
    from auditkit._io import _as_text
    from auditkit.engine import open_table
    from auditkit.engine._source import close, engine_errors, require_columns
    from auditkit.engine._statistics import count_where, fetch
    from auditkit.fairness._core import _resolve_metrics, metrics_from_statistics
    from auditkit.fairness._engine import engine_statistics

    source = engine_source
    file = source.files[0] if len(source.files) == 1 else None
    table = open_table(source, text_columns=groups)
    what = "reading the class labels"
    try:
        require_columns(table, [y_true, y_pred], source)
        with engine_errors(source, what):
            nulls = {c: count_where(table[c].isnull()) for c in dict.fromkeys([y_true, y_pred])}
            missing = fetch(table.aggregate(**nulls), source, what)
            distinct = {
                c: fetch(table.select(c).distinct(), source, what)[c]
                for c in dict.fromkeys([y_true, y_pred])
            }
    finally:
        close(table)
    for column in (y_true, y_pred):
        count = int(missing[column].to_pylist()[0])
        if count:
            raise InputDataError(
                f"column '{column}' has {count} missing class labels in {source.label}.",
                file=file,
                hint="Every row needs a true and a predicted class for the one-vs-rest metrics.",
            )
    # each raw value with its label as the frame path writes it (1.0 and 1 name one class)
    named: dict[str, list[tuple[Any, str]]] = {}
    for column, values in distinct.items():
        pairs = zip(values.to_pylist(), _as_text(values), strict=True)
        named[column] = [(value, text) for value, text in pairs if text is not None]
    classes = sorted({label for _, label in named[y_true]})
    if len(classes) < 2:
        raise InputDataError(
            f"column '{y_true}' has a single class ({classes}): nothing to compare.",
            file=file,
            hint="fairness.one_vs_rest needs the label columns of a multiclass classifier.",
        )
    specs = _resolve_metrics("classification", metrics, has_interval=False)
    results = []
    for label in classes:
        table = open_table(source, text_columns=groups)
        members = {}
        for name, column in ((_Y, y_true), (_P, y_pred)):
            raw = [value for value, text in named[column] if text == label]
            values = table[column]
            inside = values.isin(raw) if raw else values.isnull() & values.notnull()
            members[name] = inside.ifelse(1, 0)
        part = table.mutate(**members)
        cells = engine_statistics(
            part,
            source,
            task="classification",
            y_true=_Y,
            y_pred=_P,
            groups=groups,
            seed=int(options.get("seed", 0)),
            row_key=row_key,
        )
        result = metrics_from_statistics(
            cells, task="classification", specs=specs, band=band, reference=reference, **options
        )
        results.append((label, _relabel(result, label)))
    return results
