"""Hostile group labels: personal data in a group column never reaches an output or a message."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from auditkit.cli import app
from auditkit.privacy import PersonalDataError, check_publishable

runner = CliRunner()

# (label planted in the group column, what the gate must name)
PERSONAL_LABELS = [
    ("Maria Hernandez Lopez", "person's name"),
    ("MARIA HERNANDEZ LOPEZ", "person's name"),
    ("José Luis Martínez", "person's name"),
    ("52998224725", "national identifier"),
    ("529.982.247-25", "national identifier"),
    ("boxw310820hnerxn09", "national identifier"),
    ("3312345678", "phone number"),
    ("+52 33 1234 5678", "phone number"),
    ("ana.ruiz@example.com", "e-mail address"),
    ("ana.ruiz [at] example.com", "e-mail address"),
    ("ana.ruiz (at) example (dot) com", "e-mail address"),
    ("ana.ruiz arroba example punto com", "e-mail address"),
    ("ana_ruiz at example.com", "e-mail address"),
]


def _pilot(tmp_path, label: str, *, column: str = "zona", groups=("Centro", "Norte")):
    values = [groups[0], groups[1], label]
    frame = pd.DataFrame(
        {
            column: [values[i % 3] for i in range(120)],
            "y": [i % 7 for i in range(120)],
            "p": [(i % 7) + 0.5 for i in range(120)],
        }
    )
    frame.to_csv(tmp_path / "predictions.csv", index=False)
    config = {
        "pilot": {"name": "Prueba", "task": "regression", "country": "MX"},
        "data": {
            "predictions": "predictions.csv",
            "y_true": "y",
            "y_pred": "p",
            "groups": [column],
        },
        "fairness": {"bootstrap": 0, "min_group_size": 5},
    }
    (tmp_path / "audit.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return tmp_path / "audit.yaml"


@pytest.mark.parametrize(("label", "kind"), PERSONAL_LABELS)
def test_review_refuses_personal_group_label(tmp_path, label, kind):
    """The review exits 2 naming file, key and kind; the value is in no output and no message."""
    config = _pilot(tmp_path, label)
    out = tmp_path / "out"
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "refusing to publish" in result.stderr
    assert "findings.json" in result.stderr and kind in result.stderr
    assert label not in result.output
    for word in label.split():
        if len(word) > 4:
            assert word not in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    "label",
    ["Benito Juárez", "Miguel Hidalgo", "Rafael Uribe Uribe", "John Jay Park", "ARLETA NC", "3"],
)
def test_places_named_after_people_publish(tmp_path, label):
    """Zones that carry a person's name, facilities and numbers are not personal data."""
    config = _pilot(tmp_path, label, column="alcaldia")
    out = tmp_path / "out"
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    assert label in (out / "findings.json").read_text(encoding="utf-8")


@pytest.mark.parametrize(("label", "kind"), PERSONAL_LABELS)
def test_gate_names_file_key_and_kind(label, kind):
    """Every writer's gate (findings.json, report.md, report.html) refuses each variant."""
    for name, content in [
        ("findings.json", f'{{"metrics": [{{"group": "{label}"}}]}}'),
        ("report.md", f"| {label} | 120 | 0,81 |\n"),
        ("report.html", f"<table><tr><td>{label}</td><td>120</td></tr></table>"),
        ("compare.csv", f"city,pilot\nGuadalajara,{label}\n"),
    ]:
        with pytest.raises(PersonalDataError) as info:
            check_publishable({name: content.encode()}, country="MX")
        message = str(info.value)
        assert name in message and kind.split()[-1] in message, message
        assert label not in message


@pytest.mark.parametrize(
    ("by", "published"),
    [("Ana Ruiz, Dirección de Servicios", True), ("ana.ruiz@example.com", False)],
)
def test_declared_attester_is_published_but_not_an_email(tmp_path, by, published):
    """An attester named in audit.yaml is an accountable official: published as declared; an
    e-mail address in that field is still refused."""
    config = _pilot(tmp_path, "Sur")
    document = yaml.safe_load(config.read_text())
    document["risk"] = {
        "attestations": {"OPS-01": {"answer": "yes", "by": by}},
        "conditions": {"FAI-02": {"owner": by, "due": "2027-02-26"}},
    }
    config.write_text(yaml.safe_dump(document, allow_unicode=True))
    out = tmp_path / "out"
    result = runner.invoke(app, ["review", "-c", str(config), "-o", str(out), "--fail-on", "never"])
    if published:
        assert result.exit_code == 0, result.output
        assert "Ana Ruiz" in (out / "decision.json").read_text(encoding="utf-8")
    else:
        assert result.exit_code == 2, result.output
        assert "e-mail" in result.stderr and by not in result.output
