"""The publishing gate: no review output may carry personal data."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.privacy import PersonalDataError, check_publishable

runner = CliRunner()


def _findings(groups: list[str]) -> bytes:
    rows = [
        {
            "attribute": "zona",
            "group": g,
            "metric": "wape",
            "value": 0.81234567,
            "ci_low": 0.7012,
            "ci_high": 0.9234,
            "n": 120,
            "ratio": 1.0412345,
        }
        for g in groups
    ]
    document = {
        "pilot": {"name": "Demanda Guadalajara", "country": "MX"},
        "metrics": rows,
        "data": {"freshness": {"latest_record": "2024-01-30", "age_days": 6}},
    }
    return json.dumps(document, ensure_ascii=False).encode()


def test_aggregates_and_labels_pass():
    """Zone and stratum labels (even named after people), metrics, CIs and dates are published."""
    outputs = {
        "findings.json": _findings(["Miguel Hidalgo", "Benito Juárez", "Z01", "muy alto", "3"]),
        "report.md": "| Miguel Hidalgo | 120 | 0,812 | 0,701 – 0,923 | 1,041 |\n".encode(),
        "figures/bar.png": b"\x89PNG\r\n\x1a\n",
    }
    check_publishable(outputs, country="MX")


def test_neighbouring_cells_are_not_read_as_one_number():
    """Counts and intervals in adjacent HTML or Markdown cells never run into a phone number."""
    row = "<tr><td>bajo &amp; basura</td><td>96</td><td>0.374</td><td>0.311 – 0.446</td></tr>"
    page = f"<html><body><table>{row * 3}</table><p>384</p><p>0.29</p></body></html>"
    markdown = "| muy_alto & basura | 96 | 4.373 | 4.192 – 4.54 | 0.369 | 0.34 – 0.402 |\n"
    check_publishable({"report.html": page.encode(), "report.md": markdown.encode()}, country="MX")


@pytest.mark.parametrize(
    ("name", "content", "where", "kind"),
    [
        (
            "report.html",
            b"<table><tr><td>Z01</td><td>+52 1 33 1234 5678</td></tr></table>",
            "its text",
            "phone",
        ),
        ("report.html", b"<p>Contacto: <b>ana.lopez@correo.mx</b></p>", "its text", "e-mail"),
        ("findings.json", _findings(["ana.lopez@correo.mx", "Z02"]), "metrics.group", "e-mail"),
        ("findings.json", _findings(["+52 1 33 1234 5678", "Z02"]), "metrics.group", "phone"),
        ("report.md", b"| BOXW310820HNERXN09 | 12 |\n", "its text", "national identifier"),
        ("report.md", b"Punto: 20.676543, -103.347654\n", "its text", "coordinates"),
    ],
)
def test_personal_data_blocks_publishing(name, content, where, kind):
    """One hit raises, naming the file, the key or text, and the kind; never the value."""
    with pytest.raises(PersonalDataError) as info:
        check_publishable({name: content}, country="MX")
    message = str(info.value)
    assert name in message and where in message and kind in message
    assert "Nothing was written" in message
    for value in ("ana.lopez", "1234 5678", "BOXW310820HNERXN09", "20.676543"):
        assert value not in message


def test_review_with_personal_group_labels_writes_nothing(tmp_path):
    """A review whose group labels are e-mails exits 2 and leaves no output folder."""
    frame = pd.DataFrame(
        {
            "correo": [f"vecino{i % 3}@correo.mx" for i in range(90)],
            "y": [i % 7 for i in range(90)],
            "p": [(i % 7) + 0.5 for i in range(90)],
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = {
        "pilot": {"name": "Prueba", "task": "regression", "country": "MX"},
        "data": {
            "predictions": "predictions.csv",
            "y_true": "y",
            "y_pred": "p",
            "groups": ["correo"],
        },
        "fairness": {"bootstrap": 0, "min_group_size": 5},
    }
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config))
    out = tmp_path / "audit-out"
    result = runner.invoke(app, ["review", "-c", str(tmp_path / "audit.yaml"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "refusing to publish" in result.stderr and "e-mail" in result.stderr
    assert "vecino" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
