"""Error messages quote values: the CLI masks personal data in every one of them, centrally."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.privacy._text import redact

runner = CliRunner()

VALUES = [
    "ana.ruiz@example.com",
    "ana.ruiz [at] example.com",
    "+52 33 1234 5678",
    "3312345678",
    "52998224725",
    "BOXW310820HNERXN09",
    "Maria Hernandez Lopez",
]


def _config(tmp_path, frame, **overrides):
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = {
        "pilot": {"name": "Prueba", "task": "classification", "country": "MX"},
        "data": {"predictions": "predictions.csv", "y_true": "y", "y_pred": "p", "groups": ["g"]},
        "fairness": {"bootstrap": 0, "min_group_size": 5},
    }
    for key, value in overrides.items():
        config[key].update(value)
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return str(tmp_path / "audit.yaml")


@pytest.mark.parametrize("value", VALUES)
def test_unknown_reference_group_message_masks_groups(tmp_path, value):
    """'Groups found: B, C, <value>' names the groups without the personal one."""
    frame = pd.DataFrame({"g": ["B", "C", value] * 20, "y": [0, 1] * 30, "p": [1, 0, 0] * 20})
    config = _config(tmp_path, frame, fairness={"reference": {"g": "A"}})
    result = runner.invoke(app, ["review", "-c", config, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Groups found" in result.stderr and "B," in result.stderr
    assert value not in result.output, result.stderr


@pytest.mark.parametrize("value", VALUES)
def test_found_values_message_masks_values(tmp_path, value):
    """'found values {...}' of a bad outcome column does not echo a personal value."""
    frame = pd.DataFrame({"g": ["B", "C"] * 30, "y": [0, 1, value] * 20, "p": [1, 0] * 30})
    result = runner.invoke(
        app, ["review", "-c", _config(tmp_path, frame), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2, result.output
    assert "found" in result.stderr and "Traceback" not in result.output
    assert value not in result.output, result.stderr


@pytest.mark.parametrize(
    "message",
    [
        "predictions.csv: column 'y' must be numeric; 3 values are not (first at data rows 1, 2, 3).",
        "the file exceeds 1073741824 bytes (found 2147483648).",
        "fairness.band must be [0.8, 1.25]; found [1.25, 0.8].",
        "--since must be a date as YYYY-MM-DD; found '2026-13-01'.",
        "sha256 mismatch: 3f2a9c0d1e5b7a8c",
    ],
)
def test_ordinary_messages_are_untouched(message):
    """Counts, sizes, intervals, dates and hashes are not masked."""
    assert redact(message) == message
