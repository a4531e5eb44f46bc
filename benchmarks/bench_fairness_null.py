"""False alarms and power of the forecast fairness check, by simulation (run by hand).

    python benchmarks/bench_fairness_null.py [--seeds 20]

The panel is the one of ``tests/fairness/test_null.py``: 4 strata x 5 zones x 4 categories x 52
weeks, stratum volumes 50x apart (the smallest ~0.5 events per row at category weight 1), Poisson
or negative binomial counts. For the oracle (prediction = true mean) it counts failing and warning
findings; for a forecaster that under-forecasts one stratum by 20 % or 25 % it counts how often
FAI-02 fails and names that stratum (the power).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fairness.test_null import MIXES, panel, review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    seeds = parser.parse_args().seeds
    print("oracle: findings that fail or warn, over every view (attributes and intersections)")
    for mix in sorted(MIXES):
        for dispersion in (None, 2.0, 1.0):
            bad = total = 0
            for seed in range(seeds):
                _, findings = review(panel(1000 + seed, mix, dispersion=dispersion), seed)
                judged = [f for f in findings if f.status != "insufficient_data"]
                bad += sum(f.status in ("fail", "warn") for f in judged)
                total += len(judged)
            print(f"  {mix:18} k={dispersion!s:5} {bad}/{total} findings fail or warn")
    print("planted under-forecast: share of seeds where FAI-02 fails and names the stratum")
    cases = [
        ("deprived_smallest", "very_high", "low"),
        ("deprived_smallest", "high", "low"),
        ("deprived_smallest", "medium", "low"),
        ("deprived_largest", "high", None),
    ]
    for mix, biased, reference in cases:
        for dispersion in (None, 2.0):
            for bias in (0.20, 0.25):
                named = 0
                events = 0
                for seed in range(seeds):
                    frame = panel(2000 + seed, mix, dispersion=dispersion, bias=bias, biased=biased)
                    events += int(frame.loc[frame["stratum"] == biased, "y"].sum())
                    _, findings = review(frame, seed, reference)
                    finding = next(
                        f
                        for f in findings
                        if f.id == "fairness.disparity.stratum.prediction_to_actual_ratio"
                    )
                    named += finding.status == "fail" and finding.params["worst_group"] == biased
                print(
                    f"  {mix:18} {biased:9} k={dispersion!s:5} bias {bias:.0%}: "
                    f"power {named / seeds:.2f} (~{events // seeds} events a year in the stratum)"
                )


if __name__ == "__main__":
    main()
