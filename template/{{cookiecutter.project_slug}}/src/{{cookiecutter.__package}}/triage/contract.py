{% if cookiecutter.language == "es" -%}
"""El contrato de datos de los mensajes de residentes, y el mapeo de columnas que le ajusta una exportación real.

Un mensaje tiene folio, fecha de recepción, canal, texto, zona y la categoría (el área) que le
asignó el personal: esa es la etiqueta que el modelo aprende. Como en el piloto de pronóstico,
``config/pilot.yaml`` (sección ``data``) relaciona las columnas, formatos de fecha y etiquetas
de su exportación con el contrato, y cada fila leída queda contada: conservada o descartada, y
por qué.
"""

{%- elif cookiecutter.language == "pt" -%}
"""O contrato de dados das mensagens de moradores, e o mapeamento de colunas que ajusta a ele uma exportação real.

Uma mensagem tem protocolo, data de recebimento, canal, texto, zona e a categoria (a área) que a
equipe atribuiu: esse é o rótulo que o modelo aprende. Como no piloto de previsão,
``config/pilot.yaml`` (seção ``data``) relaciona as colunas, formatos de data e rótulos da sua
exportação com o contrato, e cada linha lida é contada: mantida ou descartada, e por quê.
"""
{%- else -%}
"""The data contract for residents' messages, and the column mapping that fits a real export to it.

A message has an id, a received time, a channel, a text, a zone and the category (the
department) that staff assigned: that is the label the model learns. As in the forecast pilot,
``config/pilot.yaml`` (section ``data``) maps the export's columns, date formats and labels onto
the contract, and every row read is accounted for: kept or dropped, and why.
"""
{%- endif %}

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from {{ cookiecutter.__package }}.triage.settings import DataSettings

CANONICAL_COLUMNS = ("message_id", "received_at", "channel", "text", "zone", "category")
REQUIRED_COLUMNS = ("message_id", "received_at", "text", "zone", "category")
OTHER = "other"


class ContractError(ValueError):
    """The data or the settings do not follow the contract; the message says how to fix it."""


def _read_csv(path: Path, *, separator: str, encoding: str) -> pd.DataFrame:
    if not path.exists():
        raise ContractError(f"{path}: file not found. Check data.messages / data.zones in config/pilot.yaml.")
    try:
        if path.suffix.lower() == ".parquet":
            return pd.read_parquet(path).astype("string")
        return pd.read_csv(path, sep=separator, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError as err:
        raise ContractError(f"{path}: not readable as {encoding}; set data.encoding (e.g. latin-1).") from err
    except ValueError as err:
        raise ContractError(f"{path}: {err}") from err


def _problem(path: Path, column: str, source: str | None, mask: pd.Series, what: str) -> str:
    rows = (np.flatnonzero(mask.to_numpy())[:3] + 2).tolist()  # +2: header line, 1-based
    # no example values: a message's text may hold personal data
    return f"{path}: column '{source}' (contract '{column}'): {int(mask.sum())} rows {what}, e.g. lines {rows}."


def load_messages(settings: DataSettings, categories: tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Read the messages file in the contract's columns and types, with the row accounting.

    Returns
    -------
    (DataFrame, dict)
        The valid messages, and ``{"rows_read": ..., "rows_kept": ..., "dropped_<reason>": ...}``.

    Raises
    ------
    ContractError
        If a mapped column is missing, or rows are invalid and ``data.invalid_rows`` is ``error``.
    """
    path = settings.messages
    mapped = {canon: src for canon, src in settings.columns.items() if src}
    raw = _read_csv(path, separator=settings.separator, encoding=settings.encoding)
    missing = sorted(src for src in mapped.values() if src not in raw.columns)
    if missing:
        raise ContractError(
            f"{path}: columns {missing} named in data.columns are not in the file. The file has: {list(raw.columns)[:30]}."
        )
    out = pd.DataFrame(index=raw.index)
    problems: list[str] = []
    reasons: dict[str, pd.Series] = {}

    out["message_id"] = raw[mapped["message_id"]].astype("string").str.strip()
    no_id = out["message_id"].isna() | (out["message_id"] == "")
    repeated = out["message_id"].duplicated(keep="first") & ~no_id
    received = raw[mapped["received_at"]]
    if settings.received_at_format == "ISO8601":
        out["received_at"] = pd.to_datetime(received, format="ISO8601", errors="coerce")
    else:
        out["received_at"] = pd.to_datetime(
            received, format=settings.received_at_format, dayfirst=settings.dayfirst, errors="coerce"
        )
    if getattr(out["received_at"].dt, "tz", None) is not None:
        out["received_at"] = out["received_at"].dt.tz_convert(settings.timezone or "UTC").dt.tz_localize(None)
    bad_time = out["received_at"].isna()
    out["text"] = raw[mapped["text"]].astype("string").str.strip()
    no_text = out["text"].isna() | (out["text"] == "")
    out["zone"] = raw[mapped["zone"]].astype("string").str.strip()
    no_zone = out["zone"].isna() | (out["zone"] == "")
    label = raw[mapped["category"]].astype("string").str.strip()
    no_label = label.isna() | (label == "")
    labels = label.map(settings.category_labels).fillna(label) if settings.category_labels else label
    unknown = ~labels.isin(categories) & ~no_label
    if settings.unmapped_categories == "other":
        labels = labels.where(~unknown, OTHER)
        unknown = pd.Series(False, index=raw.index)
    out["category"] = labels
    if "channel" in mapped:
        channel = raw[mapped["channel"]].astype("string").str.strip().fillna(settings.default_channel)
        out["channel"] = channel.replace(settings.channel_labels).str.lower()
    else:
        out["channel"] = settings.default_channel

    for reason, mask, column, what in (
        ("no_id", no_id, "message_id", "have no id"),
        ("repeated_id", repeated, "message_id", "repeat an earlier id"),
        (
            "bad_time",
            bad_time,
            "received_at",
            f"are not dates in the format {settings.received_at_format!r} (set data.received_at_format)",
        ),
        ("no_text", no_text, "text", "have no text"),
        ("no_zone", no_zone, "zone", "have no zone"),
        ("no_label", no_label, "category", "have no category (messages not yet classified by staff)"),
        (
            "unknown_category",
            unknown,
            "category",
            "have categories that are not in pilot.categories nor in data.category_labels",
        ),
    ):
        if mask.any():
            problems.append(_problem(path, column, mapped.get(column), mask, what))
            reasons[reason] = mask
    bad = pd.Series(False, index=raw.index)
    for mask in reasons.values():
        bad |= mask
    if problems and settings.invalid_rows == "error":
        raise ContractError(" ".join(problems) + " Fix the file or the mapping, or set data.invalid_rows: drop.")
    rows = {"rows_read": len(raw)}
    taken = pd.Series(False, index=raw.index)
    for reason, mask in reasons.items():  # each dropped row counted once, under its first reason
        rows[f"dropped_{reason}"] = int((mask & ~taken).sum())
        taken |= mask
    out = out[~bad].reset_index(drop=True)
    rows["rows_kept"] = len(out)
    if out.empty:
        raise ContractError(f"{path}: no valid messages left after validation.")
    return out, rows


def load_zones(settings: DataSettings, equity_attribute: str) -> pd.DataFrame:
    """Read the zones table: zone, population and the equity attribute."""
    path = settings.zones
    mapping = {"zone": "zone", "population": "population", equity_attribute: equity_attribute}
    mapping.update(settings.zone_columns)
    raw = _read_csv(path, separator=settings.zones_separator, encoding=settings.encoding)
    missing = sorted(src for src in mapping.values() if src not in raw.columns)
    if missing:
        raise ContractError(
            f"{path}: zone columns {missing} (data.zone_columns) are not in the file. The file has: {list(raw.columns)}."
        )
    zones = pd.DataFrame({canon: raw[src] for canon, src in mapping.items()})
    zones["zone"] = zones["zone"].astype("string").str.strip()
    zones[equity_attribute] = zones[equity_attribute].astype("string").str.strip()
    zones["population"] = pd.to_numeric(zones["population"], errors="coerce")
    if (zones["population"].isna() | (zones["population"] <= 0)).any():
        raise ContractError(f"{path}: population must be a positive number in every zone.")
    if zones["zone"].duplicated().any():
        raise ContractError(f"{path}: zones repeated: {zones.loc[zones['zone'].duplicated(), 'zone'].tolist()[:5]}.")
    if zones[equity_attribute].isna().any():
        raise ContractError(f"{path}: {equity_attribute} is empty for some zones.")
    return zones.reset_index(drop=True)


def check_zones(
    messages: pd.DataFrame, zones: pd.DataFrame, settings: DataSettings, rows: dict[str, int]
) -> pd.DataFrame:
    """Every message's zone must be in the zones table (or be dropped, and counted, if configured)."""
    unknown = ~messages["zone"].isin(zones["zone"])
    rows["dropped_unknown_zone"] = 0
    if unknown.any():
        if settings.unknown_zones == "error":
            raise ContractError(
                f"{settings.messages}: {int(unknown.sum())} messages have zones missing from {settings.zones}, "
                f"e.g. {sorted(messages.loc[unknown, 'zone'].unique())[:5]}. "
                "Add them to the zones table or set data.unknown_zones: drop."
            )
        rows["dropped_unknown_zone"] = int(unknown.sum())
        messages = messages[~unknown].reset_index(drop=True)
    rows["rows_kept"] = len(messages)
    return messages
