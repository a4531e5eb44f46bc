"""The terminal summary: failures, then warnings, then missing evidence by section; gate in words."""

from __future__ import annotations

import dataclasses

import pytest

from auditkit._findings import Finding
from auditkit.cli._summary import _FOLD_AFTER, _split_rest, print_summary
from auditkit.report._context import finding_rows, summary_view
from tests.report.samples import sample_review


def _finding(i: int, status: str, item: str = "GOV-01") -> Finding:
    return Finding(
        id=f"x.{status}.{i:03d}",
        check="risk.item",
        item=item,
        area="risk",
        status=status,  # type: ignore[arg-type]
        severity="medium",
        message="risk.item",
    )


def _missing(count: int) -> list[Finding]:
    """``count`` findings waiting for evidence, spread over the GOV, DAT and TPP sections."""
    sections = ["GOV", "DAT", "TPP"]
    return [_finding(i, "needs_evidence", item=f"{sections[i % 3]}-{i:02d}") for i in range(count)]


def _review(findings: list[Finding], lang: str = "es"):  # type: ignore[no-untyped-def]
    return dataclasses.replace(sample_review(lang), findings=findings)


def test_missing_evidence_is_counted_per_playbook_section_in_playbook_order():
    """48 missing items become one row per section with its title and count, not 48 rows."""
    findings = [*_missing(48), _finding(0, "fail", "FAI-02"), _finding(1, "warn", "EXP-02")]
    review = _review(findings)
    summary = summary_view(review, finding_rows(findings, "es", "es_MX"))
    assert [r["item"] for r in summary["fail"]] == ["FAI-02"]
    assert [r["item"] for r in summary["warn"]] == ["EXP-02"]
    assert [m["section"] for m in summary["missing"]] == ["GOV", "DAT", "TPP"]  # playbook order
    assert [m["count"] for m in summary["missing"]] == [16, 16, 16]
    assert summary["missing"][0]["title"] == "Gobernanza y rendición de cuentas"
    assert summary["missing_items"] == 48 and summary["missing_findings"] == 48
    assert summary["rest"] == []


def test_printed_summary_lists_failures_before_warnings_before_missing_evidence(capsys):
    """The order on screen: every failure, every warning, then the section counts, then passes."""
    findings = (
        _missing(48)
        + [_finding(i, "pass", "VAL-01") for i in range(3)]
        + [_finding(0, "fail", "FAI-02"), _finding(1, "warn", "EXP-02")]
    )
    print_summary(_review(findings), written=[], fail_on="fail", failed=True)
    out = capsys.readouterr().out
    fail, warn = out.index("FAI-02"), out.index("EXP-02")
    section = out.index("GOV ×16")
    passed = out.index("VAL-01")
    assert fail < warn < section < passed
    assert out.count("falta evidencia") == 3  # one row per section, not 48


def test_rest_folds_long_runs_and_passes_in_a_long_list():
    """After the missing evidence, long runs of one status fold into a count; short ones stay."""
    few = finding_rows(
        [_finding(i, "pass") for i in range(3)] + [_finding(0, "insufficient_data")],
        "en",
        "en_US",
    )
    shown, folded = _split_rest(few)
    assert len(shown) == 4 and not folded
    many = finding_rows(
        [_finding(i, "pass") for i in range(_FOLD_AFTER)]
        + [_finding(i, "insufficient_data") for i in range(2)],
        "en",
        "en_US",
    )
    shown, folded = _split_rest(many)
    assert list(folded) == ["pass"] and len(folded["pass"]) == _FOLD_AFTER
    assert [r["status"] for r in shown] == ["insufficient_data"] * 2


# The gate line, word for word: whether CI goes on or stops cannot be misread.
GATE_LINES = {
    ("es", "never", False): "Control de CI (--fail-on never): desactivado: nunca bloquea, "
    "código de salida 0 sean cuales sean los hallazgos",
    ("es", "fail", False): "Control de CI (--fail-on fail): aprobado: código de salida 0, "
    "la integración continua sigue",
    ("es", "fail", True): "Control de CI (--fail-on fail): BLOQUEA: código de salida 1, "
    "la integración continua se detiene",
    ("pt", "fail", True): "Controle de CI (--fail-on fail): BLOQUEIA: código de saída 1, "
    "a integração contínua para",
    ("pt", "never", False): "Controle de CI (--fail-on never): desativado: nunca bloqueia, "
    "código de saída 0 quaisquer que sejam as constatações",
    ("en", "warn", False): "CI gate (--fail-on warn): passes: exit code 0, the pipeline continues",
    ("en", "fail", True): "CI gate (--fail-on fail): BLOCKS: exit code 1, the pipeline stops",
}


@pytest.mark.parametrize(("key", "line"), GATE_LINES.items(), ids=lambda v: str(v)[:20])
def test_gate_line_says_whether_ci_blocks(capsys, key, line):
    """'superado'/'threshold exceeded' is gone: the line names the exit code and what CI does."""
    lang, fail_on, failed = key
    print_summary(_review([_finding(0, "fail")], lang), written=[], fail_on=fail_on, failed=failed)
    out = " ".join(capsys.readouterr().out.split())
    assert line in out
