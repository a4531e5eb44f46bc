"""A review loads only the areas it runs: explain's modules stay unloaded without a model.

Areas are registered explicitly (``auditkit.review.AREAS``); each area package's ``__init__`` is
light and imports its heavy modules when its review function has work to do.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROBE = """
import sys
from pathlib import Path
from auditkit._config import load_config
from auditkit.report import write_review
from auditkit.review import AREAS, run_review
assert [name for name, _ in AREAS] == ["data", "fairness", "performance", "explain"]
loaded = lambda: sorted(m for m in sys.modules if m.startswith(("auditkit.explain.",
                                                                "auditkit.report._compare")))
print("IMPORTED", loaded())
review = run_review(load_config(Path(sys.argv[1])))
write_review(review, Path(sys.argv[2]))
print("REVIEWED", loaded())
"""

AUDIT = """\
pilot: {name: Lazy, task: classification, language: en}
data:
  predictions: predictions.csv
  y_true: y
  y_pred: p
  groups: [zone]
fairness: {bootstrap: 50}
privacy: {scan: false}
"""


def test_fairness_review_does_not_load_explain(tmp_path: Path) -> None:
    """Importing and running a fairness-only review leaves explain and compare unloaded."""
    rows = ["zone,y,p"] + [f"{'ab'[i % 2]},{i % 3 % 2},{i % 5 % 2}" for i in range(400)]
    (tmp_path / "predictions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "audit.yaml").write_text(AUDIT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "audit.yaml"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "IMPORTED []" in out, out
    assert "REVIEWED []" in out, out
    assert (tmp_path / "out" / "findings.json").is_file()


def test_explain_names_resolve_on_first_use() -> None:
    """The explain API is still there: each name imports its module when first asked for."""
    import auditkit.explain as explain
    from auditkit.explain import _drivers, _load

    assert explain.load_model is _load.load_model
    assert explain.group_drivers is _drivers.group_drivers
    try:
        explain.not_a_name  # noqa: B018
    except AttributeError as err:
        assert "not_a_name" in str(err)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
