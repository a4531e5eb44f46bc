{% if cookiecutter.language == "es" -%}
"""El contrato de los mensajes: el mapeo de columnas conecta otra exportación, y cada fila queda contada."""

{%- elif cookiecutter.language == "pt" -%}
"""O contrato das mensagens: o mapeamento de colunas conecta outra exportação, e cada linha é contada."""
{%- else -%}
"""The messages contract: the column mapping plugs in another export, and every row is accounted for."""
{%- endif %}

from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.__package }}.__main__ import main
from {{ cookiecutter.__package }}.triage.contract import ContractError, load_messages
from {{ cookiecutter.__package }}.triage.pipeline import make_sample

from conftest import SMALL, write_settings


def _export(settings, tmp_path):
    """The sample rewritten as another city's system would export it, with a few bad rows."""
    messages_path, _ = make_sample(settings)
    messages = pd.read_csv(messages_path)
    export = pd.DataFrame(
        {
            "Folio": messages["message_id"],
            "Fecha": pd.to_datetime(messages["received_at"]).dt.strftime("%d/%m/%Y %H:%M"),
            "Medio": messages["channel"].str.upper(),
            "Mensaje": messages["text"],
            "Colonia": messages["zone"],
            "Area": messages["category"].str.upper(),
        }
    )
    export.loc[0, "Mensaje"] = ""
    export.loc[1, "Folio"] = export.loc[2, "Folio"]
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False, sep=";")
    return path, len(export)


def test_another_export_plugs_in_by_mapping_and_rows_are_counted(small_settings, tmp_path):
    """Renamed columns, another date format and upper-case labels load; dropped rows are counted by reason."""
    path, total = _export(small_settings, tmp_path)
    labels = {c.upper(): c for c in small_settings.categories}
    settings = write_settings(
        tmp_path,
        **SMALL,
        data={
            "source": "file",
            "messages": str(path),
            "separator": ";",
            "received_at_format": "%d/%m/%Y %H:%M",
            "category_labels": labels,
            "invalid_rows": "drop",
            "columns": {
                "message_id": "Folio",
                "received_at": "Fecha",
                "channel": "Medio",
                "text": "Mensaje",
                "zone": "Colonia",
                "category": "Area",
            },
        },
    )
    messages, rows = load_messages(settings.data, settings.categories)
    assert rows["rows_read"] == total
    assert rows["dropped_no_text"] == 1 and rows["dropped_repeated_id"] == 1
    assert rows["rows_kept"] == total - 2 == len(messages)
    assert set(messages["category"]) <= set(settings.categories)


def test_bad_rows_stop_with_the_line_and_no_value(small_settings, tmp_path):
    """With invalid_rows: error, the message names the column and lines, never the text itself."""
    path, _ = _export(small_settings, tmp_path)
    settings = write_settings(
        tmp_path,
        **SMALL,
        data={
            "source": "file",
            "messages": str(path),
            "separator": ";",
            "received_at_format": "%d/%m/%Y %H:%M",
            "columns": {
                "message_id": "Folio",
                "received_at": "Fecha",
                "channel": "Medio",
                "text": "Mensaje",
                "zone": "Colonia",
                "category": "Area",
            },
        },
    )
    with pytest.raises(
        ContractError, match=r"column 'Mensaje' \(contract 'text'\): 1 rows have no text, e.g. lines \[2\]"
    ):
        load_messages(settings.data, settings.categories)


def test_missing_column_exits_2(small_settings, tmp_path, capsys):
    """A mapped column that is not in the file: exit code 2 and the file's columns."""
    make_sample(small_settings)
    columns = {name: name for name in ("message_id", "received_at", "channel", "zone", "category")}
    settings = write_settings(tmp_path, **SMALL, data={"columns": {**columns, "text": "Mensaje"}})
    assert main(["--config", str(settings.root / "config" / "pilot.yaml"), "validate"]) == 2
    assert "['Mensaje'] named in data.columns are not in the file" in capsys.readouterr().err
