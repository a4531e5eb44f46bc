"""Re-bake the committed triage example pilot, train it on its sample and audit it.

    python examples/make_triage_pilot.py

The example is a fresh bake of the city-pilot template with ``pilot_type=request-triage`` for a
Guadalajara-like city, in Spanish (a test keeps its files identical to a new bake). Training logs
to a throw-away MLflow store. The metrics (macro-F1 beside the keyword baseline), the row
accounting and the model's vocabulary (scanned: no personal data) are committed; the backtest
predictions and the audit (``audit/``, figures linked beside the report) are written here for a
reader to browse but not committed, so ``examples/`` stays light — the tests review and verify a
freshly trained triage pilot instead.
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
ANSWERS = {"pilot_type": "request-triage", "city": "Guadalajara", "country": "MX", "language": "es"}
NAME = "guadalajara-triaje-mensajes"
# outputs kept in the example (no message text in any of them)
KEPT = ("predictions.csv", "metrics.json", "rows.json", "vocabulary.csv")


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
        env["PYTHONPATH"] = os.pathsep.join([str(project / "src"), str(REPO)])
        env["MLFLOW_TRACKING_URI"] = f"sqlite:///{Path(home) / 'mlflow.db'}"
        package = NAME.replace("-", "_")
        subprocess.run([sys.executable, "-m", package, "train"], cwd=project, env=env, check=True)
        env["PYTHONPATH"] = str(REPO)
        review = [sys.executable, "-m", "auditkit", "review"]
        review += ["--config", str(project / "audit.yaml"), "--out", str(project / "audit")]
        review += ["--fail-on", "never", "--quiet"]
        # figures beside the page, not inside it: the committed example stays light
        review += ["--link-figures"]
        subprocess.run(review, cwd=REPO, env=env, check=True)
    # the sample messages hold (synthetic) personal data and are regenerated on demand
    for path in (project / "data").rglob("*"):
        if path.is_file() and path.name != ".gitkeep":
            path.unlink()
    for folder in [project / "mlruns", *project.rglob("__pycache__")]:
        shutil.rmtree(folder, ignore_errors=True)
    for path in (project / "outputs").iterdir():
        if path.name not in KEPT:
            path.unlink()
    print(project)


if __name__ == "__main__":
    main()
