"""The predictions as the data area reads them: a frame, or aggregates where the data lives.

One plain file is read once per review by the area kit (:func:`auditkit._area.load_predictions`)
and shared with the other areas. Globs, queries, tables and connections (the engine's sources)
are never read whole here: the personal-data scan gets per-column counts and a bounded sample of
distinct values (:func:`auditkit.engine._profile.profile_columns`), and the leakage and
freshness checks the first and last prediction day and a count of late features
(:func:`auditkit.engine._profile.time_aggregates`), all computed by the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit._area import InputRecord, ReviewContext, load_predictions
from auditkit._io import require_columns
from auditkit.data._leakage import features_after_prediction
from auditkit.data._quality import parse_dates

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig
    from auditkit.engine import Source
    from auditkit.privacy import PersonalDataHit

__all__ = ["PredictionTimes", "Predictions", "read_predictions"]


@dataclass(frozen=True)
class PredictionTimes:
    """Aggregates of the prediction and feature times (no row).

    Attributes
    ----------
    rows : int
        Rows of the predictions.
    first_day, last_day : datetime.date or None
        Earliest and latest prediction day (``None`` without ``data.prediction_time`` or dates).
    later : int or None
        Rows whose features are later than their prediction time (``None`` unless both
        ``data.prediction_time`` and ``data.feature_time`` are set).
    """

    rows: int
    first_day: dt.date | None
    last_day: dt.date | None
    later: int | None


@dataclass(frozen=True)
class Predictions:
    """The predictions table for the data checks: ``frame`` for one plain file, else ``source``."""

    config: AuditConfig
    times: PredictionTimes
    frame: pd.DataFrame | None = None
    source: Source | None = None
    text_columns: tuple[str, ...] = ()

    def scan(self, *, country: str | None) -> list[PersonalDataHit]:
        """The personal-data scan of every column, on the frame or in the engine."""
        from auditkit.privacy import DistinctValues, scan_distinct, scan_frame

        written = self.config.data.source
        if self.frame is not None:
            return scan_frame(self.frame, source=written, country=country)
        from auditkit.engine import open_table
        from auditkit.engine._profile import profile_columns
        from auditkit.engine._source import close

        assert self.source is not None
        table = open_table(self.source, text_columns=self.text_columns)
        try:
            profiles = profile_columns(table, self.source)
        finally:
            close(table)
        columns = [
            DistinctValues(p.name, p.values, p.counts, p.nonnull, complete=p.complete)
            for p in profiles
        ]
        return scan_distinct(columns, source=written, country=country)


def _text_columns(config: AuditConfig) -> tuple[str, ...]:
    """Columns read as text (group labels as written), as the area kit reads them."""
    data = config.data
    labels: list[str] = []
    if config.fairness.one_vs_rest is not None:
        labels = [config.fairness.one_vs_rest.y_true, config.fairness.one_vs_rest.y_pred]
    return tuple(dict.fromkeys([*data.groups, *data.segments, *labels]))


def _frame_times(config: AuditConfig, frame: pd.DataFrame) -> PredictionTimes:
    import pandas as pd

    data = config.data
    first = last = None
    later = None
    if data.prediction_time is not None:
        made = parse_dates(
            frame[data.prediction_time], column=data.prediction_time, file=data.source
        )
        if made.notna().any():
            first, last = made.min().date(), made.max().date()
        if data.feature_time is not None:
            # feature times keep their clock time: a feature from later the same day is later

            def stamps(column: str) -> pd.Series:
                parse_dates(frame[column], column=column, file=data.source)
                values = pd.to_datetime(frame[column].astype("string"), format="mixed", utc=True)
                return values.dt.tz_localize(None)

            later = features_after_prediction(
                stamps(data.feature_time), stamps(data.prediction_time)
            )
    return PredictionTimes(rows=len(frame), first_day=first, last_day=last, later=later)


def _engine_times(config: AuditConfig, source: Source, text: tuple[str, ...]) -> PredictionTimes:
    from auditkit.engine import open_table
    from auditkit.engine._profile import time_aggregates
    from auditkit.engine._source import close
    from auditkit.engine._source import require_columns as require_in_table

    data = config.data
    table = open_table(source, text_columns=text)
    try:
        require_in_table(table, [c for c in (data.prediction_time, data.feature_time) if c], source)
        found = time_aggregates(
            table,
            source,
            prediction_time=data.prediction_time,
            feature_time=data.feature_time if data.prediction_time else None,
        )
    finally:
        close(table)
    return PredictionTimes(
        rows=found.rows, first_day=found.first_day, last_day=found.last_day, later=found.later
    )


def read_predictions(config: AuditConfig, context: ReviewContext) -> Predictions:
    """The predictions for the data checks, without reading an engine source's rows."""
    from auditkit.engine import Source, uses_engine

    data = config.data
    if not uses_engine(config):
        frame = load_predictions(context)
        wanted = [c for c in (data.prediction_time, data.feature_time) if c]
        require_columns(frame.columns, wanted, path=Path(data.source), role="predictions")
        return Predictions(config, _frame_times(config, frame), frame=frame)
    source = Source.from_config(config)
    text = _text_columns(config)
    if data.prediction_time or data.feature_time:
        times = _engine_times(config, source, text)
    else:
        from auditkit.engine import open_table
        from auditkit.engine._source import close

        table = open_table(source, text_columns=text)
        try:
            from auditkit.engine._source import engine_errors

            with engine_errors(source, "counting the predictions"):
                rows = int(table.count().to_pyarrow().as_py())
        finally:
            close(table)
        times = PredictionTimes(rows=rows, first_day=None, last_day=None, later=None)
    if not any(r.role == "predictions" for r in context.inputs):
        context.inputs.append(
            InputRecord("predictions", source.label, source.fingerprint(), rows=times.rows)
        )
    return Predictions(config, times, source=source, text_columns=text)
