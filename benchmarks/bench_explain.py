"""Benchmark: auditkit's explanation of a pilot-like forecast model vs shap's default path.

The model is a scikit-learn HistGradientBoostingRegressor with a Poisson loss on weekly service
requests per zone and category (lags, calendar, zone and category codes), like the reference
pilot. auditkit explains it with shap's TreeExplainer (path-dependent TreeSHAP) through
``auditkit.explain.explain_model``; shap's default model-agnostic path is
``shap.Explainer(model.predict, background)``.

The default path takes about a tenth of a second per row, so it is time-boxed: it runs on a
subset of the rows and its time for all rows is extrapolated per row (printed as such).

Run by hand from the repository root::

    python benchmarks/bench_explain.py [--rows 5000] [--default-rows 40] [--background 100]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # auditkit from this checkout


def pilot_like(n: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Weekly requests per zone x category with lagged counts and calendar features."""
    rng = np.random.default_rng(seed)
    zone = rng.integers(0, 40, size=n)
    category = rng.integers(0, 4, size=n)
    week = rng.integers(1, 53, size=n)
    level = np.exp(rng.normal(1.5, 0.6, size=40))[zone] * np.array([1.0, 2.0, 0.7, 1.4])[category]
    season = 1 + 0.3 * np.sin(2 * np.pi * week / 52)
    lags = {f"lag_{k}": rng.poisson(level * season) for k in (1, 2, 3, 4, 52)}
    frame = pd.DataFrame(
        {
            "zone_code": zone.astype(float),
            "category_code": category.astype(float),
            "week_of_year": week.astype(float),
            **{name: values.astype(float) for name, values in lags.items()},
            "rolling_mean_4": np.mean([lags[f"lag_{k}"] for k in (1, 2, 3, 4)], axis=0),
            "share_whatsapp": rng.beta(2, 5, size=n),
            "holiday": rng.integers(0, 2, size=n).astype(float),
        }
    )
    y = rng.poisson(level * season * (1 - 0.2 * frame["holiday"].to_numpy()))
    return frame, y.astype(float)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--default-rows", type=int, default=40)
    parser.add_argument("--background", type=int, default=100)
    args = parser.parse_args()

    from sklearn.ensemble import HistGradientBoostingRegressor

    from auditkit.explain import explain_model
    from auditkit.explain._attributions import import_shap

    shap = import_shap()
    X_train, y_train = pilot_like(20_000, seed=1)
    X, _ = pilot_like(args.rows, seed=2)
    model = HistGradientBoostingRegressor(loss="poisson", max_iter=200, random_state=0)
    model.fit(X_train, y_train)
    print(
        f"model: HistGradientBoostingRegressor(loss='poisson', max_iter=200), "
        f"{model.n_iter_} trees, {X.shape[1]} features; cores: {os.cpu_count()}"
    )

    started = time.perf_counter()
    ours = explain_model(model, X, max_rows=args.rows, progress=False)
    ours_seconds = time.perf_counter() - started
    additive = np.allclose(ours.outputs, np.log(model.predict(X.iloc[ours.rows])), atol=1e-6)

    rng = np.random.default_rng(0)
    background = X.iloc[rng.choice(len(X), size=args.background, replace=False)]
    subset = X.iloc[: args.default_rows]
    started = time.perf_counter()
    explainer = shap.Explainer(model.predict, background)
    default = explainer(subset)
    default_seconds = time.perf_counter() - started
    per_row = default_seconds / len(subset)
    default_all = per_row * args.rows
    default_additive = np.allclose(
        default.values.sum(axis=1) + default.base_values, model.predict(subset), atol=1e-6
    )

    print(f"{'':38}{'rows':>8}{'seconds':>12}{'per row (ms)':>15}{'additive':>10}")
    print(
        f"{'auditkit explain_model (' + ours.explainer + ')':38}{len(ours.rows):>8}"
        f"{ours_seconds:>12.2f}{1000 * ours_seconds / len(ours.rows):>15.3f}{additive!s:>10}"
    )
    name = f"shap.Explainer(model.predict) [{type(explainer).__name__}]"
    print(
        f"{name:38}{len(subset):>8}{default_seconds:>12.2f}{1000 * per_row:>15.3f}"
        f"{default_additive!s:>10}"
    )
    print(f"{'  extrapolated to all rows':38}{args.rows:>8}{default_all:>12.1f}{'':>15}{'':>10}")
    print(
        f"speed-up: {default_all / ours_seconds:.0f}x "
        f"(shap default measured on {len(subset)} rows and extrapolated per row to {args.rows}; "
        f"background {args.background} rows)"
    )
    print(
        "note: the two explain different outputs (auditkit: log of the forecast, the model's "
        "raw output; shap default: the forecast itself); the work per row is what is compared."
    )


if __name__ == "__main__":
    main()
