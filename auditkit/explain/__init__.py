"""Explaining a pilot's model: which inputs drive its predictions, for whom, and why.

A SHAP *attribution* splits one prediction into a contribution per input column, starting from
the model's average output: base value + contributions = the model's (raw) output for that row.
Averaged over rows they show the model's main drivers; averaged within the groups of an equity
attribute (poor and rich zones, say) they show whether the model is driven differently for
different people; and an input that is strongly associated with an equity attribute while carrying
much of the attribution is a *proxy* for it. For one row, the largest contributions are its
*reason codes*.

Models are loaded safely (:func:`load_model`): skops files and MLflow models saved with skops load
without running code; pickle-based formats need the user's explicit trust.

In a review, ``audit.yaml`` names the model and its input features::

    model:
      uri: models:/zapopan-demanda/3          # or runs:/<id>/model, a folder, model.skops
      tracking_uri: sqlite:///mlflow.db       # relative to audit.yaml
      trusted_types: [sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor]
    explain:
      features: features.parquet   # rows aligned with the predictions (or joined on 'id')
      max_rows: 5000               # seeded sample
      time_budget: 300             # seconds
      seed: 0

and ``auditkit review`` adds the findings EXP-01 (global importance), EXP-02 (group drivers),
EXP-03 (reason codes) and FAI-04 (proxy features), an ``explain`` section in findings.json and
figures under ``figures/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditkit._area import AreaResult, ReviewContext
    from auditkit._config import AuditConfig
    from auditkit.explain._attributions import Attributions, explain_model
    from auditkit.explain._drivers import (
        DriverGap,
        FeatureImportance,
        GroupDrivers,
        global_importance,
        group_drivers,
    )
    from auditkit.explain._load import LoadedModel, load_model
    from auditkit.explain._proxies import ProxyAssociation, association, proxy_features
    from auditkit.explain._reasons import ReasonCode, explain_row, reason_codes, reason_sentences

__all__ = [
    "Attributions",
    "DriverGap",
    "FeatureImportance",
    "GroupDrivers",
    "LoadedModel",
    "ProxyAssociation",
    "ReasonCode",
    "association",
    "explain_model",
    "explain_row",
    "global_importance",
    "group_drivers",
    "load_model",
    "proxy_features",
    "reason_codes",
    "reason_sentences",
    "review_explain",
]


def review_explain(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """The explain area of a review (:func:`auditkit.explain._review.review_explain`).

    A review without a model or an ``explain`` section has nothing to explain: the area's
    modules (SHAP, model loading, figures) are imported only when there is.
    """
    from auditkit._area import AreaResult

    if config.model is None or config.explain is None:
        return AreaResult()
    from auditkit.explain._review import review_explain as review

    return review(config, context)


def __getattr__(name: str) -> Any:
    """The rest of the public API, each module imported on first use."""
    if name in ("Attributions", "explain_model"):
        from auditkit.explain import _attributions

        return getattr(_attributions, name)
    if name in (
        "DriverGap",
        "FeatureImportance",
        "GroupDrivers",
        "global_importance",
        "group_drivers",
    ):
        from auditkit.explain import _drivers

        return getattr(_drivers, name)
    if name in ("LoadedModel", "load_model"):
        from auditkit.explain import _load

        return getattr(_load, name)
    if name in ("ProxyAssociation", "association", "proxy_features"):
        from auditkit.explain import _proxies

        return getattr(_proxies, name)
    if name in ("ReasonCode", "explain_row", "reason_codes", "reason_sentences"):
        from auditkit.explain import _reasons

        return getattr(_reasons, name)
    raise AttributeError(f"module 'auditkit.explain' has no attribute {name!r}")
