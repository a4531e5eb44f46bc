"""The terminal summary of a review (rich).

The order is the reports': failures, then warnings, then the checklist items still waiting for
evidence counted per playbook section, then the rest (long runs folded into counts). The last
line says whether the CI gate blocks (exit code 1) or lets the pipeline continue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    """Print the findings (failures, warnings, missing evidence by section), outputs and gate."""
    from rich.console import Console
    from rich.table import Table

    from auditkit.i18n import translate
    from auditkit.report import finding_rows, locale_for, summary_view

    lang = review.lang
    locale = locale_for(lang, review.config.pilot.country)
    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=f"auditkit review — {review.config.pilot.name}", show_lines=False)
    table.add_column(translate("report.col.status", lang), no_wrap=True)
    table.add_column(translate("report.col.item", lang), no_wrap=True)
    table.add_column(translate("report.col.finding", lang))
    ordered = sorted(review.findings, key=lambda f: (f.area, f.id))
    rows = finding_rows(ordered, lang, locale, review.config.pilot.task)
    summary = summary_view(review, rows)

    def label(status: str) -> str:
        return f"[{_STYLE[status]}]{translate(f'status.{status}', lang)}[/]"

    for row in [*summary["fail"], *summary["warn"]]:
        table.add_row(label(row["status"]), row["item"], row["text"])
    for section in summary["missing"]:
        table.add_row(
            label("needs_evidence"),
            f"{section['section']} ×{section['count']}",
            f"{section['title']}: {section['item_list']}",
        )
    shown, folded = _split_rest(summary["rest"])
    for row in shown:
        table.add_row(label(row["status"]), row["item"], row["text"])
    for status, rows in folded.items():
        items = sorted({r["item"] for r in rows})
        table.add_row(
            label(status),
            f"×{len(rows)}",
            translate("summary.folded", lang, count=len(rows), items=_shorten(items)),
        )
    console.print(table)
    for path in written:
        if path.name in ("findings.json", "report.md", "report.html", "decision.json"):
            console.print(f"  → {path}", markup=False)
    decision = review.sections.get("decision")
    if decision:
        decision_label = translate(f"risk.decision.{decision['decision']}", lang)
        tier = translate("risk.tier", lang, tier=decision["tier_roman"])
        console.print(
            f"{translate('risk.report.title', lang)}: {decision_label} · {tier}", markup=False
        )
    verdict = gate_verdict(lang, fail_on=fail_on, failed=failed)
    console.print(f"{translate('summary.gate', lang, fail_on=fail_on)}: {verdict}")


def gate_verdict(lang: str, *, fail_on: str, failed: bool) -> str:
    """What the CI gate did, in words that cannot be misread (rich markup)."""
    from auditkit.i18n import translate

    if failed:
        return f"[bold red]{translate('summary.gate_failed', lang)}[/]"
    if fail_on == "never":
        return f"[yellow]{translate('summary.gate_never', lang)}[/]"
    return f"[green]{translate('summary.gate_passed', lang)}[/]"


def _split_rest(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Rows after the failures, warnings and missing evidence: listed, or folded into counts.

    A status with more than ``_FOLD_AFTER`` rows becomes one row that counts them; passes are
    folded whenever there are more than ``_FOLD_AFTER`` rows in all.
    """
    by_status: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append(row)
    folded = {
        status: found
        for status, found in by_status.items()
        if len(found) > _FOLD_AFTER or (status == "pass" and len(rows) > _FOLD_AFTER)
    }
    shown = [r for r in rows if r["status"] not in folded]
    return shown, folded


def _shorten(items: Sequence[str], limit: int = 6) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + ", …"
