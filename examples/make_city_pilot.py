"""Re-bake the committed example pilot, train it on its sample and audit it.

    python examples/make_city_pilot.py

The example is a fresh bake of the city-pilot template for a Guadalajara-like city, in Spanish
(a test keeps its files identical to a new bake). Training logs to a throw-away MLflow store;
the backtest predictions (``outputs/predictions.csv``) and the audit (``audit/``) are committed
so a reader sees a complete pilot without running anything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ANSWERS = {"city": "Guadalajara", "country": "MX", "language": "es"}
NAME = "guadalajara-demanda-servicios"


def main() -> None:
    """Bake, train, review."""
    from cookiecutter.main import cookiecutter

    project = HERE / NAME
    if project.exists():
        shutil.rmtree(project)
    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home  # no cookiecutter replay files in the user's home
        env = dict(os.environ)
        cookiecutter(str(REPO), no_input=True, extra_context=ANSWERS, output_dir=str(HERE))
        env["PYTHONPATH"] = str(project / "src")
        env["MLFLOW_TRACKING_URI"] = f"sqlite:///{Path(home) / 'mlflow.db'}"
        package = NAME.replace("-", "_")
        subprocess.run([sys.executable, "-m", package, "train"], cwd=project, env=env, check=True)
        env["PYTHONPATH"] = str(REPO)
        review = [
            sys.executable,
            "-m",
            "auditkit",
            "review",
            "--config",
            str(project / "audit.yaml"),
        ]
        review += ["--out", str(project / "audit"), "--fail-on", "never", "--quiet"]
        # the charts are in audit/figures/: the committed page links them instead of
        # carrying a second, base64 copy of each (the repository stays light)
        review += ["--link-figures"]
        subprocess.run(review, cwd=REPO, env=env, check=True)
    # the sample data (megabytes, regenerated on demand) and local runs are not committed
    for path in (project / "data").rglob("*"):
        if path.is_file() and path.name != ".gitkeep":
            path.unlink()
    for folder in [project / "mlruns", *project.rglob("__pycache__")]:
        shutil.rmtree(folder, ignore_errors=True)
    outputs = ("features.parquet", "forecast.csv", "metrics.json", "requests.parquet", "zones.csv")
    outputs += ("model.skops",)
    for extra in (f"outputs/{name}" for name in outputs):
        (project / extra).unlink(missing_ok=True)
    print(project)


if __name__ == "__main__":
    main()
