"""The pilot's row accounting (ingest.json) in the data area: truncated exports are reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from auditkit._config import load_config
from auditkit._errors import InputDataError
from auditkit.data._review import review_data
from auditkit.i18n import catalog
from auditkit.review import ReviewContext
from tests.data.pilot import write_pilot

COLLAPSE = {
    "kind": "collapse",
    "start": "2024-03-04",
    "end": "2024-05-26",
    "weeks": 12,
    "rows": 310,
    "level": 25.8,
    "trailing": 516.0,
    "share": 0.05,
    "cut": True,
}


def _ingest(folder: Path, periods: list[dict[str, Any]]) -> None:
    report = {
        "rows": {"read": 1000, "kept": 600, "dropped": 400},
        "dropped": {"unknown_zone": {"rows": 90, "labels": []}, "incomplete_period": {"rows": 310}},
        "incomplete_periods": periods,
    }
    (folder / "ingest.json").write_text(json.dumps(report), encoding="utf-8")


def _finding(folder: Path):
    config = load_config(write_pilot(folder, data={"ingest": "ingest.json"}))
    result = review_data(config, ReviewContext(config=config))
    return {f.id: f for f in result.findings}["data.quality.ingest"], result


@pytest.mark.parametrize(
    ("periods", "status"),
    [([], "pass"), ([COLLAPSE], "warn"), ([{**COLLAPSE, "cut": False}], "fail")],
)
def test_truncated_export_is_reported(tmp_path, periods, status):
    """No collapse passes; a collapse cut from training warns; one trained on fails."""
    _ingest(tmp_path, periods)
    finding, result = _finding(tmp_path)
    assert finding.status == status and finding.item == "DAT-04"
    assert finding.params["read"] == 1000 and finding.params["kept"] == 600
    assert result.sections["data"]["ingest"]["dropped"] == {
        "incomplete_period": 310,
        "unknown_zone": 90,
    }
    if periods:
        assert finding.params["start"] == "2024-03-04" and finding.params["weeks"] == 12
    for lang in ("es", "pt", "en"):
        assert finding.message in catalog(lang)


@pytest.mark.parametrize(("unknown", "status"), [(90, "pass"), (101, "warn")])
def test_rows_lost_to_the_mapping_warn_over_the_limit(tmp_path, unknown, status):
    """Over 10 % of the rows lost to unknown zones (and the like) warns; the edges do not count."""
    report = {
        "rows": {"read": 1000, "kept": 1000 - unknown - 300, "dropped": unknown + 300},
        "dropped": {
            "unknown_zone": {"rows": unknown},
            "incomplete_period": {"rows": 200},
            "outside_window": {"rows": 100},
        },
        "incomplete_periods": [],
    }
    (tmp_path / "ingest.json").write_text(json.dumps(report), encoding="utf-8")
    finding, _ = _finding(tmp_path)
    assert finding.status == status
    assert finding.params["lost"] == unknown and finding.params["max_dropped"] == 0.1


def test_missing_or_foreign_ingest_is_an_input_error(tmp_path):
    """A missing ingest.json, or a file of another shape, is a clear input error."""
    with pytest.raises(InputDataError, match="file not found"):
        _finding(tmp_path)
    (tmp_path / "ingest.json").write_text('{"rows": 3}', encoding="utf-8")
    with pytest.raises(InputDataError, match=r"rows\.read"):
        _finding(tmp_path)
