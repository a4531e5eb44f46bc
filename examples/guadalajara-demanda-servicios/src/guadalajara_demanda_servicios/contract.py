"""El contrato de datos de las solicitudes de servicio, y el mapeo de columnas que le ajusta una exportación real.

Una solicitud tiene folio, fecha de alta, categoría, zona y canal; la fecha de cierre y las
coordenadas son opcionales. La exportación 311 / WhatsApp de una ciudad suele nombrarlas y
darles formato de otra manera: ``config/pilot.yaml`` (sección ``data``) relaciona sus columnas,
formatos de fecha y etiquetas con el contrato, sin cambiar código.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from guadalajara_demanda_servicios.settings import DataSettings

OTHER = "other"


class ContractError(ValueError):
    """The data or the settings do not follow the contract; the message says how to fix it."""


def _read_csv(path, *, separator: str, encoding: str, usecols=None) -> pd.DataFrame:
    if not path.exists():
        raise ContractError(f"{path}: file not found. Check data.requests / data.zones.")
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path, columns=usecols)
        return pd.read_csv(
            path,
            sep=separator,
            encoding=encoding,
            usecols=usecols,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    except UnicodeDecodeError as err:
        raise ContractError(f"{path}: not readable as {encoding}; set data.encoding (e.g. latin-1).") from err
    except ValueError as err:
        raise ContractError(f"{path}: {err}") from err


def _parse_times(values: pd.Series, *, fmt: str, dayfirst: bool, timezone: str | None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    elif fmt == "ISO8601":
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce")
    else:
        parsed = pd.to_datetime(values, format=fmt, dayfirst=dayfirst, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(timezone or "UTC").dt.tz_localize(None)
    return parsed


def _problem(path, column: str, source: str | None, mask: pd.Series, values: pd.Series, what: str) -> str:
    examples = sorted({str(v) for v in values[mask].head(200)})[:3]
    rows = (np.flatnonzero(mask.to_numpy())[:3] + 2).tolist()  # +2: header line, 1-based
    return (
        f"{path}: column '{source}' (contract '{column}'): {int(mask.sum())} rows {what}, "
        f"e.g. lines {rows} with {examples}."
    )


def load_requests(settings: DataSettings) -> pd.DataFrame:
    """Read the requests file and return it in the contract's columns and types.

    Raises
    ------
    ContractError
        If a mapped column is missing, or values do not parse (with row examples).
    """
    path = settings.requests
    mapped = {canon: src for canon, src in settings.columns.items() if src}
    raw = _read_csv(path, separator=settings.separator, encoding=settings.encoding)
    header = raw.columns
    missing = sorted(src for src in mapped.values() if src not in header)
    if missing:
        raise ContractError(
            f"{path}: columns {missing} named in data.columns are not in the file. The file has: {list(header)[:30]}."
        )
    out = pd.DataFrame(index=raw.index)
    problems: list[str] = []
    bad = pd.Series(False, index=raw.index)

    out["request_id"] = raw[mapped["request_id"]].astype("string").str.strip()
    missing_id = out["request_id"].isna() | (out["request_id"] == "")
    if missing_id.any():
        problems.append(
            _problem(path, "request_id", mapped["request_id"], missing_id, raw[mapped["request_id"]], "have no id")
        )
        bad |= missing_id
    duplicated = out["request_id"].duplicated(keep="first") & ~missing_id
    if duplicated.any():
        problems.append(
            _problem(
                path, "request_id", mapped["request_id"], duplicated, raw[mapped["request_id"]], "repeat an earlier id"
            )
        )
        bad |= duplicated

    for column, fmt in (("created_at", settings.created_at_format), ("closed_at", settings.closed_at_format)):
        if column not in mapped:
            out[column] = pd.NaT
            continue
        source = raw[mapped[column]]
        out[column] = _parse_times(source, fmt=fmt, dayfirst=settings.dayfirst, timezone=settings.timezone)
        unparsed = out[column].isna() & source.notna()
        if column == "created_at":
            unparsed |= source.isna()
        if unparsed.any():
            problems.append(
                _problem(
                    path,
                    column,
                    mapped[column],
                    unparsed,
                    source.astype("string"),
                    f"are not dates in the format {fmt!r} (set data.{column}_format)",
                )
            )
            if column == "created_at":
                bad |= unparsed
            else:
                out.loc[unparsed, column] = pd.NaT
    before = out["closed_at"].notna() & out["created_at"].notna() & (out["closed_at"] < out["created_at"])
    out.loc[before, "closed_at"] = pd.NaT

    for column in ("category", "zone"):
        values = raw[mapped[column]].astype("string").str.strip()
        empty = values.isna() | (values == "")
        if empty.any():
            problems.append(_problem(path, column, mapped[column], empty, values, "are empty"))
            bad |= empty
        out[column] = values
    out["category"] = _map_categories(out["category"], settings, path)
    if "channel" in mapped:
        channel = raw[mapped["channel"]].astype("string").str.strip().fillna(settings.default_channel)
        out["channel"] = channel.replace(settings.channel_labels).str.lower()
    else:
        out["channel"] = settings.default_channel
    for column in ("latitude", "longitude"):
        out[column] = pd.to_numeric(raw[mapped[column]], errors="coerce") if column in mapped else np.nan

    if settings.unmapped_categories == "error":
        unknown = out["category"].isna() & ~bad
        if unknown.any():
            labels = sorted(set(raw.loc[unknown, mapped["category"]].astype(str)))[:10]
            problems.append(f"{path}: categories without an entry in data.category_labels: {labels}.")
            bad |= unknown
    if problems and settings.invalid_rows == "error":
        raise ContractError(" ".join(problems) + " Fix the file or the mapping, or set data.invalid_rows: drop.")
    out = out[~bad & out["category"].notna()].reset_index(drop=True)
    if out.empty:
        raise ContractError(f"{path}: no valid requests left after validation.")
    return out


def _map_categories(values: pd.Series, settings: DataSettings, path) -> pd.Series:
    labels = settings.category_labels
    if labels:
        mapped = values.map(labels)
        unmapped = mapped.isna() & values.notna()
        if settings.unmapped_categories == "keep":
            mapped = mapped.where(~unmapped, values)
        elif settings.unmapped_categories == "other":
            mapped = mapped.where(~unmapped, OTHER)
        values = mapped  # "drop" and "error" leave NaN; load_requests handles them
    if settings.max_categories and values.nunique() > settings.max_categories:
        top = values.value_counts().index[: settings.max_categories - 1]
        values = values.where(values.isin(top) | values.isna(), OTHER)
    return values


def load_zones(settings: DataSettings, equity_attribute: str) -> pd.DataFrame:
    """Read the zones table: zone, population and the equity attribute."""
    path = settings.zones
    mapping = {"zone": "zone", "population": "population", equity_attribute: equity_attribute}
    mapping.update(settings.zone_columns)
    raw = _read_csv(path, separator=settings.zones_separator, encoding=settings.encoding)
    missing = sorted(src for src in mapping.values() if src not in raw.columns)
    if missing:
        raise ContractError(
            f"{path}: zone columns {missing} (data.zone_columns) are not in the file. "
            f"The file has: {list(raw.columns)}."
        )
    zones = pd.DataFrame({canon: raw[src] for canon, src in mapping.items()})
    zones["zone"] = zones["zone"].astype("string").str.strip()
    zones[equity_attribute] = zones[equity_attribute].astype("string").str.strip()
    zones["population"] = pd.to_numeric(zones["population"], errors="coerce")
    bad = zones["population"].isna() | (zones["population"] <= 0)
    if bad.any():
        raise ContractError(
            f"{path}: population must be a positive number; zones {zones.loc[bad, 'zone'].tolist()[:5]}."
        )
    if zones["zone"].duplicated().any():
        raise ContractError(f"{path}: zones repeated: {zones.loc[zones['zone'].duplicated(), 'zone'].tolist()[:5]}.")
    if zones[equity_attribute].isna().any():
        raise ContractError(f"{path}: {equity_attribute} is empty for some zones.")
    return zones.reset_index(drop=True)


def check_zones(requests: pd.DataFrame, zones: pd.DataFrame, settings: DataSettings) -> pd.DataFrame:
    """Every request's zone must be in the zones table (or be dropped, if configured)."""
    unknown = ~requests["zone"].isin(zones["zone"])
    if unknown.any():
        if settings.unknown_zones == "error":
            raise ContractError(
                f"{settings.requests}: {int(unknown.sum())} requests have zones missing from "
                f"{settings.zones}, e.g. {sorted(requests.loc[unknown, 'zone'].unique())[:5]}. "
                "Add them to the zones table or set data.unknown_zones: drop."
            )
        requests = requests[~unknown].reset_index(drop=True)
    return requests
