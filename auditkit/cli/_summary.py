"""The terminal summary of a review (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditkit._findings import Finding
    from auditkit.review import Review

__all__ = ["print_summary"]

# Up to this many findings of one status are listed one per row; more are folded into a count.
_FOLD_AFTER = 10

_STYLE = {
    "pass": "green",
    "fail": "bold red",
    "warn": "yellow",
    "insufficient_data": "dim",
    "needs_evidence": "magenta",
    "not_applicable": "dim",
}


def print_summary(review: Review, *, written: Sequence[Path], fail_on: str, failed: bool) -> None:
    """Print the findings table, where the outputs are and what the gate decided."""
    from rich.console import Console
    from rich.table import Table

    from auditkit.i18n import translate
    from auditkit.report._context import finding_text
    from auditkit.report._format import locale_for

    lang = review.lang
    locale = locale_for(lang, review.config.pilot.country)
    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=f"auditkit review — {review.config.pilot.name}", show_lines=False)
    table.add_column(translate("report.col.status", lang), no_wrap=True)
    table.add_column(translate("report.col.item", lang), no_wrap=True)
    table.add_column(translate("report.col.finding", lang))
    shown, folded = _split(review.findings)
    for finding in shown:
        status = translate(f"status.{finding.status}", lang)
        table.add_row(
            f"[{_STYLE[finding.status]}]{status}[/]",
            finding.item,
            finding_text(finding, lang, locale),
        )
    for status, findings in folded.items():
        items = sorted({f.item for f in findings})
        table.add_row(
            f"[{_STYLE[status]}]{translate(f'status.{status}', lang)}[/]",
            f"×{len(findings)}",
            translate("summary.folded", lang, count=len(findings), items=_shorten(items)),
        )
    console.print(table)
    for path in written:
        if path.name in ("findings.json", "report.md", "report.html", "decision.json"):
            console.print(f"  → {path}", markup=False)
    decision = review.sections.get("decision")
    if decision:
        label = translate(f"risk.decision.{decision['decision']}", lang)
        tier = translate("risk.tier", lang, tier=decision["tier_roman"])
        console.print(f"{translate('risk.report.title', lang)}: {label} · {tier}", markup=False)
    verdict = (
        f"[bold red]{translate('summary.gate_failed', lang)}[/]"
        if failed
        else f"[green]{translate('summary.gate_passed', lang)}[/]"
    )
    console.print(f"{translate('summary.gate', lang, fail_on=fail_on)}: {verdict}")


def _split(findings: Sequence[Finding]) -> tuple[list[Finding], dict[str, list[Finding]]]:
    """Findings to show one per row, and the long runs of one status folded into a count row.

    Failures and warnings are always listed. A status with more than ``_FOLD_AFTER`` findings
    (typically dozens of questionnaire items that still need evidence) becomes one row that
    counts them; passes are folded first whenever the table would be long.
    """
    ordered = sorted(findings, key=lambda f: (f.area, f.id))
    by_status: dict[str, list[Finding]] = {}
    for finding in ordered:
        by_status.setdefault(finding.status, []).append(finding)
    long_table = len(ordered) > _FOLD_AFTER * 4
    folded = {
        status: rows
        for status, rows in by_status.items()
        if status not in ("fail", "warn")
        and (len(rows) > _FOLD_AFTER or (status == "pass" and long_table))
    }
    shown = [f for f in ordered if f.status not in folded]
    order = ["needs_evidence", "insufficient_data", "not_applicable", "pass"]
    return shown, {status: folded[status] for status in order if status in folded}


def _shorten(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + ", …"
