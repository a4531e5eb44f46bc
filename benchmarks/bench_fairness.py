"""Fairness core vs fairlearn MetricFrame vs aequitas, on the same synthetic table.

    python benchmarks/bench_fairness.py            # 10^5 and 10^6 rows (several minutes)
    python benchmarks/bench_fairness.py --quick    # 10^5 rows only

Four classification metrics (selection rate, FPR, FNR, accuracy); one attribute of 3 groups and
three attributes crossed (5 x 3 x 10 = 150 groups); bootstrap off and 1,000 replicates. Each tool
gets the same DataFrame. Group columns are given both as categoricals (what `auditkit review`
builds while reading) and as plain strings. Times are the best of a few runs, in seconds; the
ratio is the anchor's time over auditkit's. MetricFrame's bootstrap is timed with few replicates
and extrapolated linearly (it is linear in replicates), and says so.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

METRICS = ["selection_rate", "false_positive_rate", "false_negative_rate", "accuracy"]


def make_table(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "y": rng.integers(0, 2, n),
            "p": rng.integers(0, 2, n),
            "zone_type": rng.choice(["urban", "periurban", "rural"], n),
            "stratum": rng.choice(["very low", "low", "medium", "high", "very high"], n),
            "channel": rng.choice(["whatsapp", "phone", "web"], n),
            "district": rng.choice([f"D{i:02d}" for i in range(10)], n),
        }
    )
    return frame


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run_auditkit(frame, groups, bootstrap):
    from auditkit.fairness import group_metrics

    return group_metrics(
        frame,
        y_true="y",
        y_pred="p",
        groups=groups,
        task="classification",
        metrics=METRICS,
        bootstrap=bootstrap,
        intersections=False,
        min_cell=1,
    )


def run_fairlearn(frame, groups, n_boot=None):
    from fairlearn.metrics import (
        MetricFrame,
        false_negative_rate,
        false_positive_rate,
        selection_rate,
    )
    from sklearn.metrics import accuracy_score

    metrics = {
        "selection_rate": selection_rate,
        "false_positive_rate": false_positive_rate,
        "false_negative_rate": false_negative_rate,
        "accuracy": accuracy_score,
    }
    kwargs = {"n_boot": n_boot, "ci_quantiles": [0.025, 0.975], "random_state": 0} if n_boot else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MetricFrame(
            metrics=metrics,
            y_true=frame["y"],
            y_pred=frame["p"],
            sensitive_features=frame[groups],
            **kwargs,
        ).by_group


def run_aequitas(frame, groups):
    from aequitas.group import Group

    column = groups[0] if len(groups) == 1 else "crossed"
    data = pd.DataFrame({"score": frame["p"], "label_value": frame["y"]})
    if len(groups) == 1:
        data[column] = frame[groups[0]].astype(str).astype(object)
    else:  # aequitas has no intersections: give it the crossed label as one attribute
        data[column] = frame[groups].astype(str).agg("|".join, axis=1).astype(object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Group().get_crosstabs(data, attr_cols=[column])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10^5 rows only")
    args = parser.parse_args()
    sizes = [10**5] if args.quick else [10**5, 10**6]
    layouts = {
        "1 attribute, 3 groups": ["zone_type"],
        "3 crossed, 150 groups": ["stratum", "channel", "district"],
    }
    header = (
        f"{'rows':>9}  {'groups':<22} {'dtype':<11} {'bootstrap':>9}  {'auditkit':>9}  "
        f"{'fairlearn':>10}  {'ratio':>7}  {'aequitas':>9}  {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    for n in sizes:
        base = make_table(n)
        for layout, groups in layouts.items():
            for dtype in ("categorical", "string"):
                frame = base.copy()
                for g in groups:
                    frame[g] = frame[g].astype("category" if dtype == "categorical" else object)
                groups_for_core = groups
                run_auditkit(frame, groups_for_core, 0)  # warm up
                ours = best(lambda f=frame, g=groups_for_core: run_auditkit(f, g, 0), 3)
                theirs = best(lambda f=frame, g=groups: run_fairlearn(f, g), 1)
                # aequitas takes string columns only: its cells stay empty for categoricals
                aeq_cells = f"{'—':>9}  {'—':>7}"
                if dtype == "string":
                    aeq = best(lambda f=frame, g=groups: run_aequitas(f, g), 1)
                    aeq_cells = f"{aeq:>9.3f}  {aeq / ours:>6.1f}x"
                print(
                    f"{n:>9,}  {layout:<22} {dtype:<11} {'off':>9}  {ours:>9.3f}  {theirs:>10.2f}  "
                    f"{theirs / ours:>6.0f}x  {aeq_cells}"
                )
                if dtype != "categorical":
                    continue
                boot = best(lambda f=frame, g=groups_for_core: run_auditkit(f, g, 1000), 2)
                n_boot = 3 if n >= 10**6 else 10
                sample = best(lambda f=frame, g=groups, b=n_boot: run_fairlearn(f, g, b), 1)
                extrapolated = sample / n_boot * 1000
                print(
                    f"{n:>9,}  {layout:<22} {dtype:<11} {'1000':>9}  {boot:>9.3f}  "
                    f"{extrapolated:>9.0f}*  "
                    f"{extrapolated / boot:>6.0f}x  {'—':>9}  {'—':>7}"
                )
    print(
        "* MetricFrame bootstrap timed with 3 (10^6) or 10 (10^5) replicates, "
        "extrapolated linearly to 1,000."
    )


if __name__ == "__main__":
    main()
