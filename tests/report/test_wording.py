"""Messages follow the pilot's task: a classifier's audit never speaks of requests or weeks."""

from __future__ import annotations

import pytest

from auditkit._findings import Finding
from auditkit.i18n import LANGUAGES, catalog
from auditkit.report._context import finding_text, message_key

# Words of the service-demand forecast (requests, last year's same week, demand) in each language.
SERVICE_WORDS = {
    "en": ("request", "same week", "demand"),
    "es": ("solicitud", "misma semana", "demanda"),
    "pt": ("solicitaç", "mesma semana", "demanda"),
}

FINDINGS = [
    Finding(
        id="privacy.small_cells",
        check="privacy.small_cells",
        item="LEG-05",
        area="data",
        status="pass",
        severity="info",
        message="privacy.small_cells.pass",
        params={"min_cell": 10, "suppressed": 0, "rows": 12},
    ),
    Finding(
        id="performance.baseline_skill",
        check="performance.baseline_skill",
        item="VAL-01",
        area="performance",
        status="needs_evidence",
        severity="medium",
        message="performance.baseline_skill.no_baseline",
    ),
    Finding(
        id="data.quality.duplicates",
        check="data.quality",
        item="DAT-04",
        area="data",
        status="fail",
        severity="medium",
        message="data.quality.duplicates.fail",
        params={"rows": 3, "share": 0.01, "max_duplicates": 0.001},
    ),
    Finding(
        id="data.freshness",
        check="data.freshness",
        item="DAT-05",
        area="data",
        status="fail",
        severity="medium",
        message="data.freshness.fail",
        params={"latest": "2024-01-01", "reference": "2024-06-01", "age_days": 152},
    ),
]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("finding", FINDINGS, ids=lambda f: f.id)
def test_forecast_speaks_of_requests_and_other_tasks_do_not(lang, finding):
    """Oracle and check: the forecast's wording has service words; classification's has none."""
    forecast = finding_text(finding, lang, "es_MX", "forecast").lower()
    assert any(word in forecast for word in SERVICE_WORDS[lang]), forecast
    for task in ("classification", "regression"):
        text = finding_text(finding, lang, "es_MX", task).lower()
        assert not any(word in text for word in SERVICE_WORDS[lang]), (task, text)


def test_task_variants_exist_only_beside_a_generic_message():
    """A <key>.<task> variant always has its generic key, so other tasks never fall back to it."""
    tasks = ("classification", "regression", "forecast")
    for key in catalog("en"):
        base, _, task = key.rpartition(".")
        if task in tasks and base != "task":  # task.<name>: the tasks' own names
            assert base in catalog("en"), key
            assert message_key(base, task) == key
