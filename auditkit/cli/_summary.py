"""The terminal summary of a review (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditkit.review import Review

__all__ = ["print_summary"]

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
    for finding in sorted(review.findings, key=lambda f: (f.area, f.id)):
        if finding.status == "pass" and len(review.findings) > 40:
            continue
        status = translate(f"status.{finding.status}", lang)
        table.add_row(
            f"[{_STYLE[finding.status]}]{status}[/]",
            finding.item,
            finding_text(finding, lang, locale),
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
    verdict = "[bold red]FAILED[/]" if failed else "[green]passed[/]"
    console.print(f"gate (--fail-on {fail_on}): {verdict}")
