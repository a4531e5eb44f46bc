"""Time the city-pilot template: bake, train + backtest on the sample, the generated tests.

    python benchmarks/bench_city_pilot.py [--repeat 3]

Targets (issue 4): bake < 2 s; train + backtest on the sample data < 60 s on 2 cores;
the generated project's tests < 3 min. Run by hand; say whether the machine was shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    """Run each step ``--repeat`` times in fresh folders and print the median and the range."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-tests", action="store_true", help="skip the generated tests")
    args = parser.parse_args()
    timings: dict[str, list[float]] = {"bake (auditkit new)": [], "train + backtest, no MLflow": []}
    timings["train + backtest + MLflow logging"] = []
    if not args.skip_tests:
        timings["generated tests (pytest)"] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
            env.update(HOME=str(root), PYTHONPATH=str(REPO))
            new = [sys.executable, "-m", "auditkit", "new", "--no-input", "-o", str(root)]
            timings["bake (auditkit new)"].append(_timed(new, REPO, env))
            project = root / "zapopan-demanda-servicios"
            env["PYTHONPATH"] = str(project / "src")
            module = [sys.executable, "-m", "zapopan_demanda_servicios"]
            _timed([*module, "sample"], project, env)  # the sample is written once, not timed
            timings["train + backtest, no MLflow"].append(
                _timed([*module, "train", "--no-log"], project, env)
            )
            env["MLFLOW_TRACKING_URI"] = f"sqlite:///{root / 'mlflow.db'}"
            _timed([sys.executable, "-c", "import mlflow; mlflow.search_experiments()"], root, env)
            timings["train + backtest + MLflow logging"].append(
                _timed([*module, "train"], project, env)
            )
            if not args.skip_tests:
                env.pop("MLFLOW_TRACKING_URI")
                env.pop("PYTHONPATH")
                tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
                timings["generated tests (pytest)"].append(_timed(tests, project, env))
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for step, values in timings.items():
        print(
            f"{step:38s} median {statistics.median(values):6.1f} s "
            f"(min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"
        )


if __name__ == "__main__":
    main()
