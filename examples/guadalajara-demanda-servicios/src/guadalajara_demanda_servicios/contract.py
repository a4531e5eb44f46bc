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
    from pathlib import Path

    from guadalajara_demanda_servicios.ingest import Ledger
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


def load_requests(settings: DataSettings, ledger: Ledger | None = None) -> pd.DataFrame:
    """Read the requests file and return it in the contract's columns and types.

    With a ``ledger``, the rows read and the rows dropped (invalid, unmapped category) are counted
    in it: invalid rows by what was wrong (never their values), unmapped categories by label.

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
    why = pd.Series(pd.NA, index=raw.index, dtype="string")  # the first thing wrong with each row

    def flag(mask: pd.Series, reason: str) -> None:
        why[mask & why.isna()] = reason

    if "request_id" not in mapped:
        # some open exports (e.g. Sao Paulo's 156) publish no request number: the line is the id
        out["request_id"] = pd.Series([f"line-{n + 2}" for n in range(len(raw))], index=raw.index, dtype="string")
    else:
        out["request_id"] = raw[mapped["request_id"]].astype("string").str.strip()
        missing_id = out["request_id"].isna() | (out["request_id"] == "")
        if missing_id.any():
            problems.append(
                _problem(path, "request_id", mapped["request_id"], missing_id, raw[mapped["request_id"]], "have no id")
            )
            bad |= missing_id
            flag(missing_id, "missing_id")
        duplicated = out["request_id"].duplicated(keep="first") & ~missing_id
        if duplicated.any():
            problems.append(
                _problem(
                    path,
                    "request_id",
                    mapped["request_id"],
                    duplicated,
                    raw[mapped["request_id"]],
                    "repeat an earlier id",
                )
            )
            bad |= duplicated
            flag(duplicated, "duplicate_id")

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
                flag(unparsed, "created_at_not_a_date")
            else:
                out.loc[unparsed, column] = pd.NaT
    before = out["closed_at"].notna() & out["created_at"].notna() & (out["closed_at"] < out["created_at"])
    out.loc[before, "closed_at"] = pd.NaT

    by_location = bool(settings.zone_polygons)
    for column in ("category", "zone"):
        if column not in mapped:  # the zone can come from the coordinates alone
            out[column] = pd.Series(pd.NA, index=raw.index, dtype="string")
            continue
        values = raw[mapped[column]].astype("string").str.strip()
        empty = values.isna() | (values == "")
        values = values.mask(empty)
        if empty.any() and not (column == "zone" and by_location):
            problems.append(_problem(path, column, mapped[column], empty, values, "are empty"))
            bad |= empty
            flag(empty, f"empty_{column}")
        out[column] = values
    out["category"] = _map_categories(out["category"], settings, path)
    if "channel" in mapped:
        channel = raw[mapped["channel"]].astype("string").str.strip().fillna(settings.default_channel)
        out["channel"] = channel.replace(settings.channel_labels).str.lower()
    else:
        out["channel"] = settings.default_channel
    for column in ("latitude", "longitude"):
        if column in mapped:
            # decimal commas ("-25,4284") are common in exports from Brazil and Spanish-speaking cities
            text = raw[mapped[column]].astype("string").str.strip().str.replace(",", ".", regex=False)
            out[column] = pd.to_numeric(text, errors="coerce")
        else:
            out[column] = np.nan

    if settings.unmapped_categories == "error":
        unknown = out["category"].isna() & ~bad
        if unknown.any():
            labels = sorted(set(raw.loc[unknown, mapped["category"]].astype(str)))[:10]
            problems.append(f"{path}: categories without an entry in data.category_labels: {labels}.")
            bad |= unknown
            flag(unknown, "unmapped_category")
    if problems and settings.invalid_rows == "error":
        raise ContractError(" ".join(problems) + " Fix the file or the mapping, or set data.invalid_rows: drop.")
    unmapped = ~bad & out["category"].isna()
    if ledger is not None:
        ledger.read += len(raw)
        ledger.drop("invalid_row", int(bad.sum()), why[bad].fillna("invalid"))
        ledger.drop(
            "unmapped_category", int(unmapped.sum()), raw.loc[unmapped, mapped["category"]].astype("string").str.strip()
        )
    out = out[~bad & ~unmapped].reset_index(drop=True)
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
    return read_zones(settings, equity_attribute)[0]


def read_zones(settings: DataSettings, equity_attribute: str) -> tuple[pd.DataFrame, list[str]]:
    """Read the zones table; also return the zones dropped for lack of population.

    Zones whose population is 0 or missing (business ZIP codes, parks, industrial estates) stop
    the run with ``data.zero_population: error``, or are left out with ``drop`` (their requests
    are then counted as dropped, "zone without population").
    """
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
    text = zones["population"].astype("string").str.strip().str.replace(r"[ _,](?=\d{3}\b)", "", regex=True)
    zones["population"] = pd.to_numeric(text, errors="coerce")
    bad = zones["population"].isna() | (zones["population"] <= 0)
    without: list[str] = []
    if bad.any():
        if settings.zero_population == "error":
            raise ContractError(
                f"{path}: population must be a positive number; {int(bad.sum())} zones are 0 or empty, "
                f"e.g. {zones.loc[bad, 'zone'].tolist()[:5]}. Fix the table, or set "
                "data.zero_population: drop to leave them (and their requests) out with a count."
            )
        without = sorted(str(z) for z in zones.loc[bad, "zone"].dropna())
        zones = zones[~bad]
    if zones["zone"].duplicated().any():
        raise ContractError(f"{path}: zones repeated: {zones.loc[zones['zone'].duplicated(), 'zone'].tolist()[:5]}.")
    if zones[equity_attribute].isna().any():
        raise ContractError(f"{path}: {equity_attribute} is empty for some zones.")
    if zones.empty:
        raise ContractError(f"{path}: no zone with a positive population.")
    return zones.reset_index(drop=True), without


def check_zones(
    requests: pd.DataFrame,
    zones: pd.DataFrame,
    settings: DataSettings,
    ledger: Ledger | None = None,
    *,
    without_population: list[str] | None = None,
    suggestions: Path | None = None,
) -> pd.DataFrame:
    """Give every request a zone of the zones table, or drop it (if configured) with its reason.

    Zones come from the polygons that contain the request's coordinates (``data.zone_polygons``)
    and otherwise from its label, reconciled with the zones table (see ``zoning``). Labels that
    still match no zone are written with their closest zones to ``suggestions`` (a YAML snippet
    for ``data.zone_labels``) before the run stops (``unknown_zones: error``) or drops them.
    """
    from collections import Counter

    from guadalajara_demanda_servicios.zoning import ZoneMatcher, suggestions_yaml, write_text, zones_from_points

    names = list(zones["zone"]) + list(without_population or [])
    matcher = ZoneMatcher(names, labels=settings.zone_labels, affixes=settings.zone_affixes, source=settings.requests)
    labels = requests["zone"]
    zone, how = matcher.map(labels)
    no_location = pd.Series(False, index=requests.index)
    if settings.zone_polygons:
        located = zones_from_points(
            requests["latitude"], requests["longitude"], path=settings.zone_polygons, key=settings.zone_polygon_key
        )
        polygon_zone, polygon_how = matcher.map(located)
        inside = polygon_zone.notna()
        zone = polygon_zone.where(inside, zone)
        how = pd.Series(np.where(inside, "location", how), index=requests.index)
        # a polygon name that matches no zone is an unknown zone, with the polygon's name as label
        labels = located.where(located.notna() & ~inside, labels)
        no_location = zone.isna() & labels.isna()
    unknown = zone.isna() & ~no_location
    if ledger is not None:
        ledger.zone_matches = {k: int(v) for k, v in how[zone.notna()].value_counts().items()}
        if matcher.clashes:
            ledger.extra["ambiguous_zone_names"] = [list(pair) for pair in matcher.clashes[:20]]
    if unknown.any() and suggestions is not None:
        counts = Counter({str(k): int(v) for k, v in labels[unknown].value_counts().items()})
        write_text(suggestions, suggestions_yaml(counts, matcher))
        if ledger is not None:
            ledger.extra["zone_suggestions"] = suggestions.name
    if unknown.any() and settings.unknown_zones == "error":
        examples = labels[unknown].value_counts().head(5)
        shown = ", ".join(
            f"'{k}' ({v} rows; closest: {matcher.closest(str(k))[:1] or 'none'})" for k, v in examples.items()
        )
        where = f" Suggested zone_labels are in {suggestions}." if suggestions is not None else ""
        raise ContractError(
            f"{settings.requests}: {int(unknown.sum())} requests have zones missing from "
            f"{settings.zones}, e.g. {shown}.{where} Map them in data.zone_labels, add them to the "
            "zones table, or set data.unknown_zones: drop."
        )
    empty_zone = zone.isin(without_population or [])
    if ledger is not None:
        ledger.drop("unknown_zone", int(unknown.sum()), labels[unknown])
        ledger.drop("zone_without_population", int(empty_zone.sum()), zone[empty_zone])
        ledger.drop("no_zone_for_location", int(no_location.sum()))
    keep = zone.notna() & ~empty_zone
    return requests.assign(zone=zone.astype(object))[keep].reset_index(drop=True)
