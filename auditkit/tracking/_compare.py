"""Compare reviewed pilots across cities, straight from MLflow's search API.

Every review run carries ``auditkit.kind = review``; :func:`review_filter` turns the advisor's
filters into an MLflow filter string (the same string works in the search box of the MLflow UI,
see ``docs/compare.md``), and :func:`compare_reviews` runs it over every experiment with
:meth:`mlflow.MlflowClient.search_runs`. By default only the latest review of each pilot (per
experiment, pilot and city) is kept.
"""

from __future__ import annotations

import csv
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from auditkit._errors import ConfigError, TrackingError

if TYPE_CHECKING:
    from mlflow.entities import Run

__all__ = [
    "DECISION_COLOURS",
    "ReviewRow",
    "compare_chart",
    "compare_reviews",
    "review_filter",
    "rows_csv",
]

# Okabe-Ito colours by decision (colour-blind safe), grey when no decision was made.
DECISION_COLOURS: dict[str, str] = {
    "GO": "#009E73",
    "GO_WITH_CONDITIONS": "#E69F00",
    "NO_GO": "#D55E00",
    "ESCALATE": "#56B4E9",
    "none": "#999999",
}


@dataclass(frozen=True)
class ReviewRow:
    """One reviewed pilot as the comparison shows it."""

    date: str
    city: str
    country: str
    pilot: str
    pilot_type: str
    decision: str
    tier: str
    status: str
    skill: float | None
    worst_disparity: float | None
    fail: int
    warn: int
    conditions: int | None
    experiment: str
    run_id: str
    reviewed_run_id: str


def _quoted(name: str, value: str) -> str:
    if "'" in value or '"' in value:
        raise ConfigError(f"--{name} may not contain quotes; found {value!r}.")
    return f"'{value}'"


def review_filter(
    *,
    city: str | None = None,
    country: str | None = None,
    pilot_type: str | None = None,
    since: date | None = None,
) -> str:
    """The MLflow filter string selecting review runs.

    Examples
    --------
    >>> query = review_filter(city="Recife", country="br", since=date(2026, 1, 1))
    >>> for clause in query.split(" AND "):
    ...     print(clause)
    tags.`auditkit.kind` = 'review'
    tags.`auditkit.city` ILIKE 'Recife'
    tags.`auditkit.country` = 'BR'
    attributes.start_time >= 1767225600000
    """
    clauses = ["tags.`auditkit.kind` = 'review'"]
    if city:
        clauses.append(f"tags.`auditkit.city` ILIKE {_quoted('city', city)}")
    if country:
        clauses.append(f"tags.`auditkit.country` = {_quoted('country', country.upper())}")
    if pilot_type:
        clauses.append(f"tags.`auditkit.pilot_type` = {_quoted('pilot-type', pilot_type)}")
    if since:
        start = datetime(since.year, since.month, since.day, tzinfo=UTC)
        clauses.append(f"attributes.start_time >= {int(start.timestamp() * 1000)}")
    return " AND ".join(clauses)


def _metric(run: Run, name: str) -> float | None:
    value = run.data.metrics.get(name)
    return float(value) if value is not None and math.isfinite(value) else None


def _row(run: Run, experiments: dict[str, str]) -> ReviewRow:
    tags = run.data.tags
    started = datetime.fromtimestamp(run.info.start_time / 1000, tz=UTC)
    conditions = _metric(run, "audit.conditions")
    return ReviewRow(
        date=started.strftime("%Y-%m-%d %H:%M"),
        city=tags.get("auditkit.city", ""),
        country=tags.get("auditkit.country", ""),
        pilot=tags.get("auditkit.pilot", ""),
        pilot_type=tags.get("auditkit.pilot_type", ""),
        decision=tags.get("auditkit.decision", "none"),
        tier=tags.get("auditkit.tier", "none"),
        status=tags.get("auditkit.status", ""),
        skill=_metric(run, "audit.skill"),
        worst_disparity=_metric(run, "audit.worst_disparity"),
        fail=int(_metric(run, "audit.findings.fail") or 0),
        warn=int(_metric(run, "audit.findings.warn") or 0),
        conditions=None if conditions is None else int(conditions),
        experiment=experiments.get(run.info.experiment_id, run.info.experiment_id),
        run_id=run.info.run_id,
        reviewed_run_id=tags.get("auditkit.reviewed_run_id", ""),
    )


def compare_reviews(
    tracking_uri: str,
    *,
    city: str | None = None,
    country: str | None = None,
    pilot_type: str | None = None,
    since: date | None = None,
    latest_only: bool = True,
) -> list[ReviewRow]:
    """Every review run matching the filters, newest first.

    Parameters
    ----------
    tracking_uri : str
        The shared tracking server (``http://...``) or a store URI (``sqlite:///...``).
    city, country, pilot_type : str, optional
        Exact tag matches (city ignores case).
    since : date, optional
        Reviews started on or after this day (UTC).
    latest_only : bool
        Keep only the newest review of each (experiment, pilot, city).

    Raises
    ------
    TrackingError
        The tracking store cannot be searched.
    """
    from mlflow.exceptions import MlflowException

    from auditkit.tracking._store import tracking_client, tracking_defaults

    query = review_filter(city=city, country=country, pilot_type=pilot_type, since=since)
    with tracking_defaults():
        client, _uri = tracking_client(tracking_uri)
    try:
        experiments = {e.experiment_id: e.name for e in _all_experiments(client)}
        runs: list[Run] = []
        ids = sorted(experiments)
        for start in range(0, len(ids), 100):  # keep each request small
            token = None
            while True:
                page = client.search_runs(
                    ids[start : start + 100],
                    filter_string=query,
                    order_by=["attributes.start_time DESC"],
                    max_results=1000,
                    page_token=token,
                )
                runs.extend(page)
                token = page.token
                if not token:
                    break
    except MlflowException as err:
        raise TrackingError(f"searching MLflow at {tracking_uri} failed: {err.message}") from err
    runs.sort(key=lambda r: (-r.info.start_time, r.info.run_id))
    rows = [_row(run, experiments) for run in runs]
    if latest_only:
        seen: set[tuple[str, str, str]] = set()
        latest = []
        for row in rows:
            key = (row.experiment, row.pilot, row.city)
            if key not in seen:
                seen.add(key)
                latest.append(row)
        rows = latest
    return rows


def _all_experiments(client: Any) -> list[Any]:
    experiments, token = [], None
    while True:
        page = client.search_experiments(max_results=1000, page_token=token)
        experiments.extend(page)
        token = page.token
        if not token:
            return experiments


def rows_csv(rows: Sequence[ReviewRow]) -> str:
    """The rows as CSV text (one header line; empty cells for missing values)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[f.name for f in fields(ReviewRow)])
    writer.writeheader()
    from auditkit.report._escape import escape_csv_cell

    for row in rows:
        writer.writerow(
            {k: "" if v is None else escape_csv_cell(v) for k, v in asdict(row).items()}
        )
    return buffer.getvalue()


def compare_chart(
    rows: Sequence[ReviewRow],
    *,
    labels: dict[str, str],
    number: Callable[[float], str] = lambda value: f"{value:g}",
) -> bytes | None:
    """Skill over baseline against worst disparity, one dot per pilot coloured by decision.

    When no review measured skill yet, the chart shows worst disparity per pilot instead.
    ``labels`` gives the translated texts: ``skill``, ``disparity``, ``title`` and
    ``decision.<CODE>`` for the legend.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from auditkit.report._figures import png_bytes

    shown = [r for r in rows if r.worst_disparity is not None]
    if not shown:
        return None
    with_skill = [r for r in shown if r.skill is not None]
    figure = Figure(
        figsize=(7.5, 4.6 if with_skill else 1.6 + 0.35 * len(shown)), layout="constrained"
    )
    axes = figure.add_subplot()
    if with_skill:
        for row in with_skill:
            colour = DECISION_COLOURS.get(row.decision, "#333333")
            axes.scatter(
                [float(row.worst_disparity or 1)],
                [float(row.skill or 0)],
                s=60,
                color=colour,
                zorder=3,
            )
            axes.annotate(
                f"{row.city} · {row.pilot}",
                (row.worst_disparity or 1, row.skill or 0),
                fontsize=7,
                xytext=(4, 4),
                textcoords="offset points",
            )
        axes.axhline(0, color="#444444", lw=0.8)
        axes.set_ylabel(labels["skill"], fontsize=9)
    else:
        ordered = sorted(shown, key=lambda r: r.worst_disparity or 0)
        for y, row in enumerate(ordered):
            colour = DECISION_COLOURS.get(row.decision, "#333333")
            axes.scatter([float(row.worst_disparity or 1)], [y], s=60, color=colour, zorder=3)
        axes.set_yticks(
            range(len(ordered)), labels=[f"{r.city} · {r.pilot}" for r in ordered], fontsize=8
        )
    axes.axvspan(1.0, 1.25, color="#009E73", alpha=0.1, lw=0)
    axes.set_xlabel(textwrap.fill(labels["disparity"], 80), fontsize=8)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    if with_skill:
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: number(value)))
    axes.set_title(labels["title"], fontsize=10, loc="left")
    axes.grid(color="#dddddd", lw=0.5)
    order = list(DECISION_COLOURS)
    present = sorted(
        {r.decision for r in shown}, key=lambda d: (order.index(d) if d in order else 99, d)
    )
    axes.legend(
        handles=[
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color=DECISION_COLOURS[d],
                label=labels.get(f"decision.{d}", d),
            )
            for d in present
            if d in DECISION_COLOURS
        ],
        fontsize=7,
        loc="best",
        frameon=False,
    )
    return png_bytes(figure)
