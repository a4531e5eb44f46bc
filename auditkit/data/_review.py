"""The data area of a review: can this data be used at all?

Runs first, before anyone looks at the model: personal data in the reviewed tables, small-cell
suppression, who reports (representativeness), quality, freshness and leakage. Every finding
holds aggregates only; every zone, stratum and channel row with fewer than ``privacy.min_cell``
requests is suppressed.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._area import (
    AreaResult,
    InputRecord,
    MetricRow,
    ReviewContext,
    finding,
    metric_row,
)
from auditkit._findings import Finding, Severity, Status
from auditkit._io import file_sha256, read_table, require_columns
from auditkit.data._leakage import window_overlap_days
from auditkit.data._predictions import Predictions, read_predictions
from auditkit.data._quality import (
    duplicates,
    freshness,
    invalid_categories,
    longest_gap,
    missing_shares,
    parse_dates,
)
from auditkit.data._representativeness import reporting_rates
from auditkit.privacy import is_small

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from auditkit._config import AuditConfig

__all__ = ["review_data"]

_SEVERITY: dict[str, dict[str, Severity]] = {
    "privacy.personal_data": {"fail": "high"},
    "data.leakage": {"fail": "high"},
    "data.representativeness": {"fail": "high", "warn": "medium"},
    "data.quality": {"fail": "medium", "warn": "low"},
    "data.freshness": {"fail": "medium"},
}


def _finding(
    check: str,
    status: Status,
    message: str,
    params: dict[str, Any] | None = None,
    *,
    subject: str | None = None,
    evidence: tuple[str, ...] = ("findings.json#data",),
) -> Finding:
    return finding(
        check,
        status,
        f"{check}.{message}",
        {k: _clean(v) for k, v in (params or {}).items()},
        severity=_SEVERITY.get(check, {}).get(status, "info"),
        subject=subject,
        evidence=evidence,
    )


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _load(
    context: ReviewContext, role: str, path: Path, written: str, text_columns: list[str]
) -> pd.DataFrame:
    def loader() -> tuple[pd.DataFrame, InputRecord]:
        frame = read_table(path, text_columns=text_columns, role=role)
        return frame, InputRecord(
            role=role, path=written, sha256=file_sha256(path), rows=len(frame)
        )

    return context.table(role, loader)


def review_data(config: AuditConfig, context: ReviewContext) -> AreaResult:
    """Personal data, small cells, representativeness, quality, freshness and leakage."""
    data, min_cell = config.data, config.privacy.min_cell
    findings: list[Finding] = []
    metrics: list[MetricRow] = []
    section: dict[str, Any] = {}
    tables: dict[str, tuple[str, pd.DataFrame]] = {}

    raw = zones = None
    if data.raw is not None:
        raw_file = data.raw.as_posix()
        raw = _load(context, "raw records", config.resolve(data.raw), raw_file, [])
        wanted = [
            c for c in (data.time, data.zone, data.category, data.channel, data.record_id) if c
        ]
        wanted += list(config.quality.categories) + list(config.quality.columns or [])
        require_columns(raw.columns, wanted, path=data.raw, role="raw records")
        tables["raw"] = (raw_file, raw)
    if data.zones is not None:
        zones_file = data.zones.as_posix()
        if data.zone is None:
            from auditkit._errors import ConfigError

            raise ConfigError(
                "data.zones is set but data.zone (the zone column) is not.",
                file=config.source,
                hint="Add data.zone: the column that names the zone in both tables.",
            )
        zones = _load(
            context, "zones", config.resolve(data.zones), zones_file, [data.zone, data.stratum]
        )
        require_columns(
            zones.columns, [data.zone, data.population, data.stratum], path=data.zones, role="zones"
        )
        tables["zones"] = (zones_file, zones)

    predictions: Predictions | None = None
    needs_predictions = config.privacy.scan or data.prediction_time or data.feature_time
    if needs_predictions:
        predictions = read_predictions(config, context)
        if predictions.frame is not None:
            tables["predictions"] = (data.source, predictions.frame)

    findings.append(_personal_data(config, tables, predictions, section))
    if raw is not None and zones is not None:
        findings += _representativeness(config, raw, zones, metrics, section)
    else:
        findings.append(_finding("data.representativeness", "needs_evidence", "not_configured"))
    if raw is not None:
        findings += _quality(config, raw, metrics, section)
    else:
        findings.append(_finding("data.quality", "needs_evidence", "not_configured"))
    findings += _freshness(config, raw, predictions, section)
    if data.ingest is not None:
        findings.append(_ingest(config, context, section))
    findings += _leakage(config, predictions, section)
    suppressed = sum(1 for row in metrics if row["suppressed"])
    findings.append(
        _finding(
            "privacy.small_cells",
            "pass",
            "pass",
            {"min_cell": min_cell, "suppressed": suppressed, "rows": len(metrics)},
            evidence=("findings.json#metrics",),
        )
    )
    # no hidden group may follow from the published ones by subtraction (auditkit.privacy)
    from auditkit.privacy._suppress import protect_rows

    protect_rows(metrics, k=min_cell)
    return AreaResult(findings=findings, metrics=metrics, sections={"data": section})


def _personal_data(
    config: AuditConfig,
    tables: dict[str, tuple[str, pd.DataFrame]],
    predictions: Predictions | None,
    section: dict[str, Any],
) -> Finding:
    from auditkit.privacy import scan_frame

    if not config.privacy.scan:
        section["personal_data"] = {"scanned": False}
        return _finding("privacy.personal_data", "needs_evidence", "not_scanned")
    declared = config.privacy.declared
    scanned: dict[str, tuple[str, pd.DataFrame | None]] = dict(tables)
    if predictions is not None and predictions.frame is None:
        scanned["predictions"] = (config.data.source, None)  # scanned where it lives
    hits = []
    for _, (written, frame) in sorted(scanned.items()):
        if frame is None:
            assert predictions is not None
            hits += predictions.scan(country=config.pilot.country)
        else:
            hits += scan_frame(frame, source=written, country=config.pilot.country)
    rows = [
        {
            **hit.to_dict(),
            "declared": hit.column in declared,
            "justification": declared.get(hit.column),
        }
        for hit in hits
    ]
    section["personal_data"] = {
        "scanned": True,
        "files": sorted(written for written, _ in scanned.values()),
        "hits": rows,
    }
    undeclared = sorted({(h.source, h.column) for h in hits if h.column not in declared})
    justified = sorted({(h.source, h.column) for h in hits if h.column in declared})
    kinds = sorted({h.kind for h in hits if h.column not in declared})
    params = {
        "columns": len(undeclared),
        "column_list": ", ".join(f"{column} ({source})" for source, column in undeclared),
        "kinds": len(kinds),
        "declared": len(justified),
        "files": len(scanned),
    }
    if undeclared:
        return _finding("privacy.personal_data", "fail", "fail", params)
    if justified:
        return _finding("privacy.personal_data", "pass", "declared", params)
    return _finding("privacy.personal_data", "pass", "pass", params)


def _representativeness(
    config: AuditConfig,
    raw: pd.DataFrame,
    zones: pd.DataFrame,
    metrics: list[MetricRow],
    section: dict[str, Any],
) -> list[Finding]:
    data, settings, min_cell = config.data, config.representativeness, config.privacy.min_cell
    assert data.zone is not None and data.zones is not None
    if data.zone not in raw.columns:
        require_columns(raw.columns, [data.zone], path=data.raw or Path(data.source), role="raw")
    rates = reporting_rates(
        raw,
        zones,
        zone=data.zone,
        population=data.population,
        stratum=data.stratum,
        channel=data.channel,
        strata=data.strata,
        per=settings.per,
        bootstrap=settings.bootstrap,
        confidence=settings.confidence,
        seed=settings.seed,
        zones_file=data.zones.as_posix(),
    )
    metric = f"requests_per_{settings.per}"
    for zone_row in rates.by_zone:
        metrics.append(
            metric_row(
                "data",
                data.zone,
                zone_row["zone"],
                metric,
                value=zone_row["rate"],
                n=zone_row["requests"],
                status="pass",
                min_cell=min_cell,
            )
        )
    low = next(s for s in rates.by_stratum if s["stratum"] == rates.lowest)
    if is_small(low["requests"], min_cell) or rates.ratio is None:
        status: Status = "insufficient_data"
    elif rates.ratio < settings.min_ratio and rates.ci_high is not None and rates.ci_high < 1:
        status = "fail"
    elif rates.ratio < settings.min_ratio:
        status = "warn"
    else:
        status = "pass"
    for stratum_row in rates.by_stratum:
        is_low = stratum_row["stratum"] == rates.lowest
        row = metric_row(
            "data",
            data.stratum,
            stratum_row["stratum"],
            metric,
            value=stratum_row["rate"],
            n=stratum_row["requests"],
            status=status if is_low else "pass",
            min_cell=min_cell,
        )
        if is_low and not row["suppressed"]:
            row["reference_group"] = "(other strata)"
            row["ratio"] = _clean(rates.ratio) if rates.ratio is not None else None
            row["ratio_ci_low"] = _clean(rates.ci_low) if rates.ci_low is not None else None
            row["ratio_ci_high"] = _clean(rates.ci_high) if rates.ci_high is not None else None
        metrics.append(row)
    if data.channel:
        for channel_row in rates.channels:
            metrics.append(
                metric_row(
                    "data",
                    f"{data.stratum} & {data.channel}",
                    f"{channel_row['stratum']} & {channel_row['channel']}",
                    "channel_share",
                    value=channel_row["share"],
                    n=channel_row["requests"],
                    status="pass",
                    min_cell=min_cell,
                )
            )
    others = [s for s in rates.by_stratum if s["stratum"] != rates.lowest]
    other_requests = sum(s["requests"] for s in others)
    other_population = sum(s["population"] for s in others)
    params = {
        "stratum": rates.lowest,
        "rate": None if is_small(low["requests"], min_cell) else low["rate"],
        "other_rate": other_requests / other_population * settings.per
        if other_population
        else None,
        "per": settings.per,
        "ratio": rates.ratio,
        "ci_low": rates.ci_low,
        "ci_high": rates.ci_high,
        "confidence": settings.confidence,
        "min_ratio": settings.min_ratio,
        "method": rates.method,
        "min_cell": min_cell,
    }
    section["representativeness"] = {
        "strata": rates.strata,
        "lowest": rates.lowest,
        "per": settings.per,
        "method": rates.method,
        "unmatched_requests": rates.unmatched_requests,
        "zones_without_population": rates.zones_without_population,
    }
    findings = [
        _finding(
            "data.representativeness",
            status,
            status,
            params,
            evidence=("findings.json#metrics", "findings.json#data"),
        )
    ]
    if rates.unmatched_requests:
        findings.append(
            _finding(
                "data.quality",
                "warn",
                "unmatched_zones",
                {"requests": rates.unmatched_requests, "zones_file": data.zones.as_posix()},
                subject="zones",
            )
        )
    return findings


def _quality(
    config: AuditConfig, raw: pd.DataFrame, metrics: list[MetricRow], section: dict[str, Any]
) -> list[Finding]:
    data, quality, min_cell = config.data, config.quality, config.privacy.min_cell
    findings = []
    configured = [
        c for c in (data.time, data.zone, data.category, data.channel, data.record_id) if c
    ]
    columns = quality.columns if quality.columns is not None else configured or list(raw.columns)
    shares = missing_shares(raw, columns)
    worst = max(shares, key=lambda c: (shares[c], c)) if shares else None
    over = sorted(c for c, share in shares.items() if share > quality.max_missing)
    for column, share in sorted(shares.items()):
        metrics.append(
            metric_row(
                "data",
                column,
                "(all)",
                "missing_share",
                value=share,
                n=len(raw),
                status="fail" if column in over else "pass",
                min_cell=min_cell,
            )
        )
    findings.append(
        _finding(
            "data.quality",
            "fail" if over else "pass",
            "missing." + ("fail" if over else "pass"),
            {
                "columns": len(over),
                "column_list": ", ".join(over),
                "worst_column": worst,
                "worst_share": shares.get(worst) if worst else None,
                "max_missing": quality.max_missing,
                "checked": len(shares),
            },
            subject="missing",
        )
    )
    repeated, basis = duplicates(raw, data.record_id)
    share = repeated / len(raw) if len(raw) else 0.0
    bad = share > quality.max_duplicates
    findings.append(
        _finding(
            "data.quality",
            "fail" if bad else "pass",
            f"duplicates.{'fail' if bad else 'pass'}",
            {
                "rows": repeated,
                "share": share,
                "max_duplicates": quality.max_duplicates,
                "basis": basis,
            },
            subject="duplicates",
        )
    )
    section_quality: dict[str, Any] = {
        "rows": len(raw),
        "missing": {k: round(v, 6) for k, v in sorted(shares.items())},
        "duplicates": {"rows": repeated, "basis": basis},
    }
    if quality.categories:
        invalid = invalid_categories(raw, quality.categories)
        wrong = sorted(c for c, counts in invalid.items() if counts["rows"])
        findings.append(
            _finding(
                "data.quality",
                "fail" if wrong else "pass",
                f"categories.{'fail' if wrong else 'pass'}",
                {
                    "columns": len(wrong),
                    "column_list": ", ".join(wrong),
                    "rows": sum(invalid[c]["rows"] for c in wrong),
                },
                subject="categories",
            )
        )
        section_quality["invalid_categories"] = {k: invalid[k] for k in sorted(invalid)}
    if data.time:
        dates = parse_dates(
            raw[data.time],
            column=data.time,
            file=(data.raw.as_posix() if data.raw else data.source),
        )
        gap, start = longest_gap(dates)
        bad = gap > quality.max_gap_days
        findings.append(
            _finding(
                "data.quality",
                "fail" if bad else "pass",
                f"gaps.{'fail' if bad else 'pass'}",
                {"days": gap, "start": start, "max_gap_days": quality.max_gap_days},
                subject="gaps",
            )
        )
        section_quality["longest_gap_days"] = gap
        section_quality["first_day"] = _clean(dates.min().date()) if dates.notna().any() else None
        section_quality["last_day"] = _clean(dates.max().date()) if dates.notna().any() else None
    section["quality"] = section_quality
    return findings


def _ingest(config: AuditConfig, context: ReviewContext, section: dict[str, Any]) -> Finding:
    """Rows the pilot dropped and incomplete periods (a truncated export) found, from ingest.json.

    A collapse of recent volume cut from training is a warning (the audit reports it; the model
    did not learn from it); one kept in training fails. Without a collapse, losing more than
    ``quality.max_dropped`` of the rows to the mapping (unknown zones, unmapped categories,
    invalid rows) is a warning: the model learnt from part of the export only.
    """
    import json

    from auditkit._errors import InputDataError

    assert config.data.ingest is not None
    written = config.data.ingest.as_posix()
    path = config.resolve(config.data.ingest)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        rows = report["rows"]
        read, kept = int(rows["read"]), int(rows["kept"])
        periods = list(report.get("incomplete_periods") or [])
        dropped = {str(k): int(v["rows"]) for k, v in (report.get("dropped") or {}).items()}
    except FileNotFoundError as err:
        raise InputDataError(
            "file not found.", file=written, hint="Run the pilot's train (it writes ingest.json)."
        ) from err
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise InputDataError(
            f"not a pilot's row accounting: expected rows.read, rows.kept and dropped ({err}).",
            file=written,
            hint="Write it with the pilot's validate or train.",
        ) from err
    context.inputs.append(
        InputRecord(role="row accounting", path=written, sha256=file_sha256(path), rows=None)
    )
    collapses = [p for p in periods if p.get("kind") == "collapse"]
    section["ingest"] = {
        "rows_read": read,
        "rows_kept": kept,
        "dropped": dict(sorted(dropped.items())),
        "incomplete_periods": [
            {k: p.get(k) for k in ("kind", "start", "end", "weeks", "rows", "share", "cut")}
            for p in periods
        ],
    }
    params: dict[str, Any] = {
        "read": read,
        "kept": kept,
        "dropped": read - kept,
        "dropped_share": (read - kept) / read if read else 0.0,
    }
    if not collapses:
        # rows lost to the mapping (zones, categories, invalid rows), not to the export's edges
        edges = ("incomplete_period", "outside_window")
        lost = sum(v for k, v in dropped.items() if k not in edges)
        params.update(lost=lost, lost_share=lost / read if read else 0.0)
        params["max_dropped"] = config.quality.max_dropped
        if read and lost / read > config.quality.max_dropped:
            return _finding("data.quality", "warn", "ingest.dropped", params, subject="ingest")
        return _finding("data.quality", "pass", "ingest.pass", params, subject="ingest")
    worst = collapses[0]
    params.update(
        start=str(worst.get("start")),
        end=str(worst.get("end")),
        weeks=int(worst.get("weeks") or 0),
        volume_share=float(worst.get("share") or 0.0),
    )
    if worst.get("cut"):
        return _finding("data.quality", "warn", "ingest.cut", params, subject="ingest")
    return _finding("data.quality", "fail", "ingest.kept", params, subject="ingest")


def _freshness(
    config: AuditConfig,
    raw: pd.DataFrame | None,
    predictions: Predictions | None,
    section: dict[str, Any],
) -> list[Finding]:
    """Age of the latest record at the reference date; records after that date are a warning."""
    data, quality = config.data, config.quality
    if raw is None or data.time is None:
        return [_finding("data.freshness", "needs_evidence", "no_time")]
    dates = parse_dates(
        raw[data.time], column=data.time, file=(data.raw.as_posix() if data.raw else data.source)
    )
    if not dates.notna().any():
        return [_finding("data.freshness", "insufficient_data", "no_dates")]
    reference, basis = quality.as_of, "as_of"
    if reference is None:
        latest = predictions.times.last_day if predictions is not None else None
        if latest is not None:
            reference, basis = latest, "prediction_time"
    if reference is None:
        latest_any = dates.max().date()
        section["freshness"] = {"latest_record": latest_any.isoformat(), "reference": None}
        return [
            _finding("data.freshness", "insufficient_data", "no_reference", {"latest": latest_any})
        ]
    fresh = freshness(dates, reference)
    section["freshness"] = {
        "latest_record": fresh.latest.isoformat() if fresh.latest else None,
        "latest_record_any": fresh.latest_any.isoformat(),
        "records_after_reference": fresh.after,
        "reference": reference.isoformat(),
        "reference_basis": basis,
        "age_days": fresh.age_days,
    }
    findings = []
    if fresh.latest is None or fresh.age_days is None:
        findings.append(
            _finding(
                "data.freshness",
                "insufficient_data",
                "all_after_reference",
                {"reference": reference, "basis": basis, "rows": fresh.after},
            )
        )
    else:
        status: Status = "fail" if fresh.age_days > quality.max_staleness_days else "pass"
        findings.append(
            _finding(
                "data.freshness",
                status,
                status,
                {
                    "latest": fresh.latest,
                    "reference": reference,
                    "age_days": fresh.age_days,
                    "max_staleness_days": quality.max_staleness_days,
                    "basis": basis,
                },
            )
        )
    if fresh.after:
        findings.append(
            _finding(
                "data.quality",
                "warn",
                f"after_reference.{basis}",
                {
                    "rows": fresh.after,
                    "share": fresh.after / int(dates.notna().sum()),
                    "reference": reference,
                    "latest": fresh.latest_any,
                },
                subject="after_reference",
            )
        )
    return findings


def _leakage(
    config: AuditConfig, predictions: Predictions | None, section: dict[str, Any]
) -> list[Finding]:
    data = config.data
    findings = []
    leakage: dict[str, Any] = {}
    times = predictions.times if predictions is not None else None
    evaluation = data.eval_window
    if evaluation is None and times is not None and times.first_day and times.last_day:
        evaluation = (times.first_day, times.last_day)
    if data.train_window is not None and evaluation is not None:
        overlap = window_overlap_days(data.train_window, evaluation)
        status: Status = "fail" if overlap else "pass"
        params = {
            "train_start": data.train_window[0],
            "train_end": data.train_window[1],
            "eval_start": evaluation[0],
            "eval_end": evaluation[1],
            "days": overlap,
        }
        findings.append(
            _finding("data.leakage", status, f"windows.{status}", params, subject="windows")
        )
        leakage["windows"] = {k: _clean(v) for k, v in params.items()}
    if times is not None and times.later is not None:
        later = times.later
        status = "fail" if later else "pass"
        findings.append(
            _finding(
                "data.leakage",
                status,
                f"features.{status}",
                {"rows": later, "total": times.rows},
                subject="features",
            )
        )
        leakage["features_after_prediction"] = later
    if not findings:
        findings.append(_finding("data.leakage", "needs_evidence", "not_configured"))
    section["leakage"] = leakage
    return findings
