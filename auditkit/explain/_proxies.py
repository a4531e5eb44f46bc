"""Proxy features: inputs that stand in for an equity attribute.

A model that never sees "income quintile" can still use it if some input encodes it (the zone
code, the share of requests by app...). A feature is a possible proxy when it is strongly
associated with an equity attribute, and it matters when the model also leans on it (its share of
the mean |attribution|). The association measure suits the column type:

* text/categorical feature: Cramér's V of the feature × group contingency table (scipy);
* numeric feature: the larger of the correlation ratio η (how much of the feature's variance the
  groups explain, square-rooted) and the *predictive power*: how well a shallow decision tree
  predicts the group from the feature alone, as cross-validated balanced accuracy rescaled so
  that chance is 0 and perfect is 1 (catches non-monotone encodings η misses).

All three lie in [0, 1].

*Area-level attributes.* When the equity attribute is constant within the unit of prediction
(the stratum is a property of the zone and the model predicts per zone), every other property of
the unit (the zone's code, its population) is associated with it by construction. Such features
are reported with their association as ``context``, never as a failure: the fairness question is
then the error and bias by stratum (FAI-02/03), not whether the model "sees" the stratum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ProxyAssociation", "association", "constant_within", "proxy_features"]


@dataclass(frozen=True)
class ProxyAssociation:
    """How strongly one feature is associated with one equity attribute."""

    feature: str
    attribute: str
    measure: str
    association: float
    share: float
    status: str


def association(feature: pd.Series, groups: pd.Series, *, seed: int = 0) -> tuple[str, float]:
    """Association of a feature with a group label, in [0, 1], and the measure used.

    Examples
    --------
    >>> import pandas as pd
    >>> association(pd.Series(["a", "a", "b", "b"] * 5), pd.Series(["x", "x", "y", "y"] * 5))
    ('cramers_v', 1.0)
    """
    import pandas as pd

    labels = groups.astype("string").fillna("(missing)").to_numpy(dtype=object)
    if len(np.unique(labels)) < 2:
        return "none", 0.0
    if pd.api.types.is_numeric_dtype(feature) and not pd.api.types.is_bool_dtype(feature):
        values = feature.to_numpy(dtype=float, na_value=np.nan)
        eta = _correlation_ratio(values, labels)
        power = _predictive_power(values, labels, seed=seed)
        return ("correlation_ratio", eta) if eta >= power else ("predictive_power", power)
    return "cramers_v", _cramers_v(feature.astype("string").fillna("(missing)"), labels)


def constant_within(values: pd.Series, unit: pd.Series) -> bool:
    """Whether ``values`` take a single value (missing counts as one) within every unit.

    >>> import pandas as pd
    >>> constant_within(pd.Series(["a", "a", "b"]), pd.Series(["z1", "z1", "z2"]))
    True
    """
    import pandas as pd

    frame = pd.DataFrame(
        {
            "v": values.reset_index(drop=True).astype("string").fillna("(missing)"),
            "u": unit.reset_index(drop=True).astype("string").fillna("(missing)"),
        }
    )
    return bool((frame.groupby("u", sort=False)["v"].nunique() <= 1).all())


def _cramers_v(feature: pd.Series, labels: np.ndarray) -> float:
    import pandas as pd
    from scipy.stats.contingency import association as scipy_association

    table = pd.crosstab(feature.to_numpy(dtype=object), labels).to_numpy()
    if min(table.shape) < 2:
        return 0.0
    return float(scipy_association(table, method="cramer"))


def _correlation_ratio(values: np.ndarray, labels: np.ndarray) -> float:
    ok = ~np.isnan(values)
    values, labels = values[ok], labels[ok]
    if len(values) < 2:
        return 0.0
    total = float(((values - values.mean()) ** 2).sum())
    if total == 0:
        return 0.0
    between = 0.0
    for group in np.unique(labels):
        block = values[labels == group]
        between += len(block) * float((block.mean() - values.mean()) ** 2)
    return float(np.sqrt(min(between / total, 1.0)))


def _predictive_power(values: np.ndarray, labels: np.ndarray, *, seed: int) -> float:
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.tree import DecisionTreeClassifier

    names, counts = np.unique(labels, return_counts=True)
    if counts.min() < 3:
        keep = np.isin(labels, names[counts >= 3])
        values, labels = values[keep], labels[keep]
        names = np.unique(labels)
    k = len(names)
    if k < 2:
        return 0.0
    matrix = values.reshape(-1, 1)
    predicted = np.empty(len(labels), dtype=object)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    for train, test in folds.split(matrix, labels):
        tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=5, random_state=seed)
        tree.fit(matrix[train], labels[train])
        predicted[test] = tree.predict(matrix[test])
    score = balanced_accuracy_score(labels.astype(str), predicted.astype(str))
    return float(max(0.0, (score - 1 / k) / (1 - 1 / k)))


def proxy_features(
    data: pd.DataFrame,
    groups: Mapping[str, pd.Series],
    shares: Mapping[str, float],
    *,
    threshold: float = 0.5,
    min_share: float = 0.05,
    seed: int = 0,
    unit: pd.Series | None = None,
) -> list[ProxyAssociation]:
    """Association of every feature with every equity attribute, and whether it is a proxy.

    Parameters
    ----------
    data : DataFrame
        The model's input columns (the explained rows).
    groups : mapping of attribute name to Series
        Group labels aligned with ``data``'s rows.
    shares : mapping of feature to float
        Each feature's share of the mean |attribution|.
    threshold : float
        Association from which a feature is a possible proxy.
    min_share : float
        Share from which a possible proxy fails (below it, a warning).
    seed : int
        Seeds the cross-validation of the predictive-power measure.
    unit : Series, optional
        The unit of prediction of each row (e.g. the zone), aligned with ``data``.

    Returns
    -------
    list of ProxyAssociation
        One per feature and attribute; ``status`` is ``fail`` (strong association and a real share
        of the attribution), ``warn`` (strong association, small share), ``context`` (strong, but
        the attribute and the feature are both properties of the unit) or ``pass``.
    """
    results = []
    units = unit.reset_index(drop=True) if unit is not None else None
    for attribute, labels in groups.items():
        aligned = labels.reset_index(drop=True)
        area_level = units is not None and constant_within(aligned, units)
        for feature in data.columns:
            column = data[feature].reset_index(drop=True)
            if str(feature) == attribute:
                measure, value = "identical", 1.0
            else:
                measure, value = association(column, aligned, seed=seed)
            share = float(shares.get(str(feature), 0.0))
            strong = value >= threshold
            status = ("fail" if share >= min_share else "warn") if strong else "pass"
            if (
                strong
                and area_level
                and measure != "identical"
                and units is not None
                and constant_within(column, units)
            ):
                status = "context"
            results.append(
                ProxyAssociation(
                    feature=str(feature),
                    attribute=attribute,
                    measure=measure,
                    association=round(value, 6),
                    share=share,
                    status=status,
                )
            )
    return results
