"""Compare reviewed pilots across cities, straight from MLflow's search API.

Every review run carries ``auditkit.kind = review``; :func:`review_filter` turns the advisor's
filters into an MLflow filter string (the same string works in the search box of the MLflow UI,
see ``docs/compare.md``), and :func:`compare_reviews` runs it over every experiment with
:meth:`mlflow.MlflowClient.search_runs`. By default only the latest review of each pilot (per
experiment, pilot and city) is kept. Each row carries the comparable indicators of
:mod:`auditkit.tracking._indicators`; :func:`rows_csv` writes ``compare.csv`` and
:func:`history_csv` the trend of each pilot across its reviews (``history.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._errors import ConfigError, TrackingError
from auditkit.report._compare_rows import (
    HISTORY_COLUMNS,
    ReviewRow,
    history_csv,
    pilot_histories,
    rows_csv,
)

if TYPE_CHECKING:
    from mlflow.entities import Run

__all__ = [
    "HISTORY_COLUMNS",
    "Comparison",
    "ReviewRow",
    "compare_pilots",
    "compare_reviews",
    "history_csv",
    "latest_reviews",
    "pilot_histories",
    "review_filter",
    "rows_csv",
]


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


def _count(run: Run, name: str) -> int | None:
    value = _metric(run, name)
    return None if value is None else int(value)


def _reviewed(run: Run) -> datetime:
    """When the review was made (its manifest's time), else when it was logged."""
    text = run.data.tags.get("auditkit.reviewed_at", "")
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(run.info.start_time / 1000, tz=UTC)


def _row(run: Run, experiments: dict[str, str], today: date) -> ReviewRow:
    tags = run.data.tags
    reviewed = _reviewed(run)
    return ReviewRow(
        date=reviewed.strftime("%Y-%m-%d %H:%M"),
        city=tags.get("auditkit.city", ""),
        country=tags.get("auditkit.country", ""),
        pilot=tags.get("auditkit.pilot", ""),
        pilot_type=tags.get("auditkit.pilot_type", ""),
        lang=tags.get("auditkit.lang", ""),
        decision=tags.get("auditkit.decision", "none"),
        tier=tags.get("auditkit.tier", "none"),
        tier_status=tags.get("auditkit.tier_status", "none"),
        skill=_metric(run, "audit.skill"),
        coverage_gap=_metric(run, "audit.coverage_gap"),
        equity_gap=_metric(run, "audit.equity_gap"),
        equity_gap_ci_low=_metric(run, "audit.equity_gap_ci_low"),
        equity_gap_ci_high=_metric(run, "audit.equity_gap_ci_high"),
        equity_gap_group=tags.get("auditkit.equity_gap_group", ""),
        equity_gap_attribute=tags.get("auditkit.equity_gap_attribute", ""),
        equity_gap_metric=tags.get("auditkit.equity_gap_metric", ""),
        under_reporting_ratio=_metric(run, "audit.under_reporting_ratio"),
        under_reporting_ci_low=_metric(run, "audit.under_reporting_ci_low"),
        under_reporting_ci_high=_metric(run, "audit.under_reporting_ci_high"),
        blocking_open=_count(run, "audit.blocking_open"),
        conditions_open=_count(run, "audit.conditions_open"),
        days_since_review=(today - reviewed.date()).days,
        fail=int(_metric(run, "audit.findings.fail") or 0),
        warn=int(_metric(run, "audit.findings.warn") or 0),
        status=tags.get("auditkit.status", ""),
        reviewed_at=reviewed.strftime("%Y-%m-%dT%H:%M:%SZ"),
        experiment=experiments.get(run.info.experiment_id, run.info.experiment_id),
        run_id=run.info.run_id,
        reviewed_run_id=tags.get("auditkit.reviewed_run_id", ""),
        calibration_error=_metric(run, "audit.calibration_error"),
        brier=_metric(run, "audit.brier"),
    )


def compare_reviews(
    tracking_uri: str,
    *,
    city: str | None = None,
    country: str | None = None,
    pilot_type: str | None = None,
    since: date | None = None,
    latest_only: bool = True,
    today: date | None = None,
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
        Keep only the newest review of each (experiment, pilot, city): the latest review time
        (``auditkit.reviewed_at``), then the latest logged.
    today : date, optional
        The day ``days_since_review`` counts to; default today (UTC).

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
    from auditkit.tracking._log import review_order

    runs.sort(key=review_order, reverse=True)
    today = today or datetime.now(tz=UTC).date()
    rows = [_row(run, experiments, today) for run in runs]
    return latest_reviews(rows) if latest_only else rows


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare_pilots` found and wrote."""

    rows: list[ReviewRow]
    history: list[ReviewRow]
    filter: str
    tracking_uri: str
    outputs: list[str]


def compare_pilots(
    tracking_uri: str,
    out: Path,
    *,
    city: str | None = None,
    country: str | None = None,
    pilot_type: str | None = None,
    since: date | None = None,
    latest_only: bool = True,
    lang: str = "en",
    today: date | None = None,
) -> Comparison:
    """Search the review runs and write the comparison (CSV, history, HTML, chart) into ``out``.

    The one call behind ``auditkit compare``: :func:`compare_reviews` once for every review
    (the history), the latest of each pilot kept unless ``latest_only`` is false, then
    :func:`auditkit.report._compare.write_comparison` through the publishing gate.

    Raises
    ------
    ConfigError
        A filter is not valid.
    TrackingError
        The tracking store cannot be searched.
    PersonalDataError
        A pilot's labels carry personal data (nothing is written).
    """
    from auditkit.report._compare import write_comparison

    query = review_filter(city=city, country=country, pilot_type=pilot_type, since=since)
    every = compare_reviews(
        tracking_uri,
        city=city,
        country=country,
        pilot_type=pilot_type,
        since=since,
        latest_only=False,
        today=today,
    )
    rows = latest_reviews(every) if latest_only else list(every)
    written = write_comparison(
        rows, every, out, uri=tracking_uri, query=query, lang=lang, latest=latest_only
    )
    return Comparison(
        rows=rows,
        history=every,
        filter=query,
        tracking_uri=tracking_uri,
        outputs=[str(p) for p in written],
    )


def latest_reviews(rows: Sequence[ReviewRow]) -> list[ReviewRow]:
    """The first row of each pilot (rows newest first): each pilot's latest review."""
    seen: set[tuple[str, str, str]] = set()
    latest = []
    for row in rows:
        if row.key not in seen:
            seen.add(row.key)
            latest.append(row)
    return latest


def _all_experiments(client: Any) -> list[Any]:
    experiments, token = [], None
    while True:
        page = client.search_experiments(max_results=1000, page_token=token)
        experiments.extend(page)
        token = page.token
        if not token:
            return experiments
