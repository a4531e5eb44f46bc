"""``auditkit compare``: every reviewed pilot across cities, from the shared MLflow server."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from auditkit.cli._common import guarded

__all__ = ["compare"]

_COLUMNS = (
    ("date", False),
    ("city", False),
    ("country", False),
    ("pilot", False),
    ("pilot_type", False),
    ("decision", False),
    ("tier", False),
    ("skill", True),
    ("worst_disparity", True),
    ("fail", True),
    ("warn", True),
    ("conditions", True),
    ("run", False),
)


def _since(value: str | None) -> date | None:
    from auditkit._errors import ConfigError

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise ConfigError(f"--since must be a date as YYYY-MM-DD; found '{value}'.") from err


@guarded
def compare(
    tracking_uri: Annotated[
        str | None,
        typer.Option(
            help="The shared MLflow tracking server or store (default: "
            "MLFLOW_TRACKING_URI, else sqlite:///mlflow.db)."
        ),
    ] = None,
    city: Annotated[str | None, typer.Option(help="Only this city (any case).")] = None,
    country: Annotated[str | None, typer.Option(help="Only this country (ISO code).")] = None,
    pilot_type: Annotated[
        str | None,
        typer.Option(
            help="Only this pilot type: service-demand-forecast, request-triage, or the task "
            "(classification, regression, forecast) of a hand-written audit.yaml."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only reviews from this day on (YYYY-MM-DD, UTC).")
    ] = None,
    all_reviews: Annotated[
        bool, typer.Option("--all", help="Every review, not only the latest of each pilot.")
    ] = False,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for compare.html, compare.csv, compare.png.")
    ] = Path("compare"),
    lang: Annotated[
        Literal["es", "pt", "en"], typer.Option(help="Language of the table and the HTML page.")
    ] = "en",
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="Table on stdout or JSON rows.")
    ] = "text",
) -> None:
    """Compare reviewed pilots across cities: one table and one chart.

    Searches every experiment of the tracking server for review runs (MLflow's search API, the
    same filter the MLflow UI accepts), prints a table and writes compare.html (self-contained,
    with the chart), compare.csv and compare.png into --out. Exits 0, or 2 when the server is
    unreachable or a filter is invalid.
    """
    import mlflow

    from auditkit.tracking._compare import compare_reviews, review_filter

    uri = tracking_uri or mlflow.get_tracking_uri()
    since_day = _since(since)
    rows = compare_reviews(
        uri,
        city=city,
        country=country,
        pilot_type=pilot_type,
        since=since_day,
        latest_only=not all_reviews,
    )
    query = review_filter(city=city, country=country, pilot_type=pilot_type, since=since_day)
    written = _write(rows, out, uri=uri, query=query, lang=lang, latest=not all_reviews)
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "filter": query,
                    "rows": [asdict(r) for r in rows],
                    "outputs": [str(p) for p in written],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    _print_table(rows, lang=lang, uri=uri)
    typer.echo(f"Written: {', '.join(str(p) for p in written)}", err=True)


def _pilot_type(value: str, lang: str) -> str:
    """A pilot type (``service-demand-forecast``) or, for hand-written audits, a task, in words."""
    from auditkit.i18n import translate

    if not value:
        return "—"
    for key in (f"pilot_type.{value}", f"task.{value}"):
        text = translate(key, lang)
        if text != key:
            return text
    return value


def _display(rows: list[Any], lang: str) -> list[dict[str, str]]:
    from auditkit.i18n import translate
    from auditkit.report._format import format_number, locale_for
    from auditkit.tracking._compare import DECISION_COLOURS

    locale = locale_for(lang)
    shown = []
    for row in rows:
        decision = row.decision
        label = (
            translate(f"risk.decision.{decision.lower().replace('_', '-')}", lang)
            if decision in DECISION_COLOURS and decision != "none"
            else "—"
        )
        shown.append(
            {
                "date": row.date[:10],
                "city": row.city,
                "country": row.country,
                "pilot": row.pilot,
                "pilot_type": _pilot_type(row.pilot_type, lang),
                "decision": label,
                "colour": DECISION_COLOURS.get(decision, "#333333"),
                "tier": row.tier if row.tier != "none" else "—",
                "skill": format_number(row.skill, locale),
                "worst_disparity": format_number(row.worst_disparity, locale, digits=2),
                "fail": str(row.fail),
                "warn": str(row.warn),
                "conditions": "—" if row.conditions is None else str(row.conditions),
                "run_id": row.run_id,
            }
        )
    return shown


def _write(
    rows: list[Any], out: Path, *, uri: str, query: str, lang: str, latest: bool
) -> list[Path]:
    import base64

    from auditkit.i18n import translate
    from auditkit.report._format import format_number, locale_for
    from auditkit.report._html import _environment
    from auditkit.tracking._compare import compare_chart, rows_csv

    with_skill = any(r.skill is not None for r in rows)
    title = translate("compare.chart_title" if with_skill else "compare.chart_title_no_skill", lang)
    chart = compare_chart(
        rows,
        labels={
            "skill": translate("compare.skill", lang),
            "disparity": translate("compare.disparity", lang),
            "title": title,
            **{
                f"decision.{code}": translate(
                    f"risk.decision.{code.lower().replace('_', '-')}", lang
                )
                for code in ("GO", "GO_WITH_CONDITIONS", "NO_GO", "ESCALATE")
            },
        },
        number=lambda value: format_number(value, locale_for(lang), digits=2),
    )
    html = (
        _environment()
        .get_template("compare.html.j2")
        .render(
            lang=lang,
            t=lambda key, **params: translate(key, lang, **params),
            rows=_display(rows, lang),
            columns=[
                {"label": translate(f"compare.col.{name}", lang), "num": num}
                for name, num in _COLUMNS
            ],
            uri=uri,
            filters=query,
            latest=latest,
            chart_title=title,
            chart=f"data:image/png;base64,{base64.b64encode(chart).decode()}" if chart else None,
        )
    )
    outputs = {"compare.csv": rows_csv(rows).encode("utf-8"), "compare.html": html.encode("utf-8")}
    if chart:
        outputs["compare.png"] = chart
    # the publishing gate: nothing is written when a pilot's labels carry personal data
    from auditkit.privacy import check_publishable

    check_publishable(outputs)
    out.mkdir(parents=True, exist_ok=True)
    stale = out / "compare.png"
    if not chart and stale.exists():
        stale.unlink()
    written = []
    for name, content in outputs.items():
        (out / name).write_bytes(content)
        written.append(out / name)
    return written


def _print_table(rows: list[Any], *, lang: str, uri: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from auditkit.i18n import translate

    console = Console()
    table = Table(title=translate("compare.title", lang), title_justify="left")
    for name, num in _COLUMNS:
        table.add_column(
            translate(f"compare.col.{name}", lang),
            justify="right" if num else "left",
            overflow="fold",
            no_wrap=name in ("date", "country", "tier", "run"),
            min_width=12 if name in ("city", "pilot", "decision") else None,
        )
    for row in _display(rows, lang):
        colour = row["colour"]
        table.add_row(
            row["date"],
            row["city"],
            row["country"],
            row["pilot"],
            row["pilot_type"],
            f"[{colour}]{row['decision']}[/]",
            row["tier"],
            row["skill"],
            row["worst_disparity"],
            row["fail"],
            row["warn"],
            row["conditions"],
            row["run_id"][:8],
        )
    console.print(table)
    if not rows:
        console.print(translate("compare.none", lang))
    console.print(translate("compare.count", lang, count=len(rows), uri=uri), style="dim")
