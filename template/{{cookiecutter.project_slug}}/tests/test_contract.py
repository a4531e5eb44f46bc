{% if cookiecutter.language == "es" -%}
"""El contrato de datos y el mapeo de columnas: una exportación con otra forma se conecta solo con configuración."""
{%- elif cookiecutter.language == "pt" -%}
"""O contrato de dados e o mapeamento de colunas: uma exportação com outro formato se conecta só com configuração."""
{%- else -%}
"""The data contract and the column mapping: a differently shaped export plugs in by configuration."""
{%- endif %}

from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.__package }}.__main__ import main
from {{ cookiecutter.__package }}.contract import (
    ContractError,
    check_zones,
    load_requests,
    load_zones,
)
from {{ cookiecutter.__package }}.pipeline import load_data, make_sample

from conftest import SMALL, write_settings


def _city_export(settings, tmp_path, date_format="%d/%m/%Y %H:%M"):
    """The sample rewritten the way another city's system would export it."""
    requests_path, zones_path = make_sample(settings)
    requests = pd.read_csv(requests_path)
    export = pd.DataFrame(
        {
            "Folio": requests["request_id"],
            "Fecha Alta": pd.to_datetime(requests["created_at"]).dt.strftime(date_format),
            "Tipo": requests["category"].str.upper() + " (REPORTE)",
            "Colonia": requests["zone"],
            "Medio": requests["channel"].str.capitalize(),
        }
    )
    path = tmp_path / "export.csv"
    export.to_csv(path, index=False, sep=";", encoding="latin-1")
    labels = {f"{c.upper()} (REPORTE)": c for c in requests["category"].unique()}
    return path, labels, requests


@pytest.mark.parametrize("date_format", ["%d/%m/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p"])
def test_mapping_reads_a_differently_shaped_export(tmp_path, date_format):
    """Other column names, separator, encoding, date format and labels: only settings change."""
    settings = write_settings(tmp_path, **SMALL)
    path, labels, original = _city_export(settings, tmp_path, date_format)
    mapped = write_settings(
        tmp_path,
        **SMALL,
        data={
            "source": "file",
            "requests": "export.csv",
            "separator": ";",
            "encoding": "latin-1",
            "created_at_format": date_format,
            "columns": {
                "request_id": "Folio",
                "created_at": "Fecha Alta",
                "category": "Tipo",
                "zone": "Colonia",
                "channel": "Medio",
                "closed_at": None,
            },
            "category_labels": labels,
            "unmapped_categories": "error",
        },
    )
    requests, zones = load_data(mapped)
    assert len(requests) == len(original)
    assert sorted(requests["category"].unique()) == sorted(original["category"].unique())
    first = pd.Timestamp(original["created_at"].iloc[0]).strftime(date_format)
    assert requests["created_at"].iloc[0] == pd.to_datetime(first, format=date_format)
    assert set(requests["channel"]) == set(original["channel"])
    assert requests["closed_at"].isna().all()


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"columns": {"request_id": "Folio", "created_at": "created_at", "category": "category", "zone": "zone"}},
            r"\['Folio'\].*not in the file",
        ),
        ({"created_at_format": "%d/%m/%Y"}, r"created_at.*not dates in the format"),
        ({"category_labels": {"nothing": "x"}, "unmapped_categories": "error"}, r"categories without an entry"),
    ],
)
def test_bad_mapping_is_explained(tmp_path, change, match):
    """A mapping that does not fit the file names the column and what to change."""
    settings = write_settings(tmp_path, **SMALL)
    make_sample(settings)
    bad = write_settings(tmp_path, **SMALL, data={"source": "file", **change})
    with pytest.raises(ContractError, match=match):
        load_requests(bad.data)


def test_invalid_rows_can_be_dropped(tmp_path):
    """With invalid_rows: drop, unparseable rows are left out instead of stopping the run."""
    settings = write_settings(tmp_path, **SMALL)
    requests_path, _ = make_sample(settings)
    frame = pd.read_csv(requests_path)
    frame.loc[[0, 5], "created_at"] = "not a date"
    frame.loc[7, "request_id"] = frame.loc[8, "request_id"]
    frame.to_csv(requests_path, index=False)
    with pytest.raises(ContractError, match=r"2 rows are not dates.*lines \[2, 7\]"):
        load_requests(settings.data)
    dropping = write_settings(tmp_path, **SMALL, data={"invalid_rows": "drop"})
    assert len(load_requests(dropping.data)) == len(frame) - 3


def test_unknown_zones(tmp_path):
    """Requests from zones missing in the zones table stop the run, or are dropped if asked."""
    settings = write_settings(tmp_path, **SMALL)
    make_sample(settings)
    zones = load_zones(settings.data, settings.equity_attribute)
    requests = load_requests(settings.data)
    fewer = zones.iloc[1:]
    with pytest.raises(ContractError, match="zones missing"):
        check_zones(requests, fewer, settings.data)
    dropping = write_settings(tmp_path, **SMALL, data={"unknown_zones": "drop"})
    kept = check_zones(requests, fewer, dropping.data)
    assert len(kept) == (requests["zone"] != zones["zone"].iloc[0]).sum()


def test_unknown_settings_key(tmp_path):
    """A typo in config/pilot.yaml is reported with the valid keys."""
    with pytest.raises(ContractError, match="unknown keys in 'model'"):
        write_settings(tmp_path, model={"horizon": 4})


def test_command_line_reports_errors_with_exit_code_2(tmp_path, capsys):
    """A bad mapping ends with one clear line on stderr and exit code 2, no traceback."""
    settings = write_settings(tmp_path, **SMALL)
    make_sample(settings)
    write_settings(tmp_path, **SMALL, data={"source": "file", "created_at_format": "%d/%m/%Y"})
    assert main(["--config", str(tmp_path / "config" / "pilot.yaml"), "validate"]) == 2
    err = capsys.readouterr().err
    assert "created_at_format" in err
    assert "Traceback" not in err


def test_many_labels_are_grouped(tmp_path):
    """Labels without a mapping can become "other", and rare categories are grouped too."""
    settings = write_settings(tmp_path, **SMALL)
    requests_path, _ = make_sample(settings)
    frame = pd.read_csv(requests_path)
    frame["category"] = frame["category"] + "-" + (frame.index % 20).astype(str)
    frame.to_csv(requests_path, index=False)
    first = sorted(frame["category"].unique())[0]
    grouped = write_settings(
        tmp_path, **SMALL, data={"category_labels": {first: "uno"}, "unmapped_categories": "other"}
    )
    assert set(load_requests(grouped.data)["category"]) == {"uno", "other"}
    capped = write_settings(tmp_path, **SMALL, data={"max_categories": 5})
    categories = load_requests(capped.data)["category"]
    assert categories.nunique() == 5 and "other" in set(categories)
