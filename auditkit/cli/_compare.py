"""``auditkit compare``: every reviewed pilot across cities, from the shared MLflow server."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from auditkit._languages import Language
from auditkit.cli._common import guarded

__all__ = ["compare"]


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
    lang: Annotated[Language, typer.Option(help="Language of the table and the HTML page.")] = "en",
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="Table on stdout or JSON rows.")
    ] = "text",
) -> None:
    """Compare reviewed pilots across cities: the comparable indicators, side by side.

    Searches every experiment of the tracking server for review runs (MLflow's search API, the
    same filter the MLflow UI accepts), prints a summary that fits 100 columns and writes
    compare.csv (one row per pilot, or per review with --all), history.csv (every review, to
    follow each pilot over time), compare.html (self-contained: a chart per indicator, the
    table, a trend line per pilot) and compare.png into --out. Exits 0, or 2 when the server is
    unreachable or a filter is invalid.
    """
    import mlflow

    from auditkit.tracking import compare_pilots

    result = compare_pilots(
        tracking_uri or mlflow.get_tracking_uri(),
        out,
        city=city,
        country=country,
        pilot_type=pilot_type,
        since=_since(since),
        latest_only=not all_reviews,
        lang=lang,
    )
    if output_format == "json":
        typer.echo(
            json.dumps(
                {
                    "filter": result.filter,
                    "rows": [asdict(r) for r in result.rows],
                    "outputs": result.outputs,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    _print_summary(result, lang=lang, dated=all_reviews)
    typer.echo(f"Written: {', '.join(result.outputs)}", err=True)


def _print_summary(result: Any, *, lang: str, dated: bool) -> None:
    from rich.console import Console

    from auditkit.i18n import translate
    from auditkit.report import summary_table

    console = Console()
    if result.rows:
        console.print(summary_table(result.rows, lang=lang, dated=dated))
    else:
        console.print(translate("compare.none", lang))
    console.print(
        translate("compare.count", lang, count=len(result.rows), uri=result.tracking_uri),
        style="dim",
    )
