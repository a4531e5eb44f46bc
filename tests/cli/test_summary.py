"""The terminal summary: failures always listed, long runs of one status folded, gate translated."""

from __future__ import annotations

from auditkit._findings import Finding
from auditkit.cli._summary import _FOLD_AFTER, _split


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


def test_long_runs_are_folded_but_failures_never():
    findings = (
        [_finding(i, "fail") for i in range(_FOLD_AFTER + 5)]
        + [_finding(i, "warn") for i in range(3)]
        + [_finding(i, "needs_evidence", item=f"GOV-{i:02d}") for i in range(_FOLD_AFTER + 1)]
        + [_finding(i, "insufficient_data") for i in range(2)]
    )
    shown, folded = _split(findings)
    assert [f.status for f in shown].count("fail") == _FOLD_AFTER + 5
    assert [f.status for f in shown].count("warn") == 3
    assert [f.status for f in shown].count("insufficient_data") == 2
    assert list(folded) == ["needs_evidence"]
    assert len(folded["needs_evidence"]) == _FOLD_AFTER + 1


def test_passes_fold_in_a_long_table_and_short_tables_stay_whole():
    few = [_finding(i, "pass") for i in range(3)] + [_finding(0, "fail")]
    shown, folded = _split(few)
    assert len(shown) == 4 and not folded
    many = few + [_finding(i, "fail") for i in range(1, 4 * _FOLD_AFTER)]
    shown, folded = _split(many)
    assert list(folded) == ["pass"] and len(folded["pass"]) == 3
    assert all(f.status == "fail" for f in shown)
