"""The scan on realistic public-sector tables: every personal column, no other."""

from __future__ import annotations

import pandas as pd
import pytest

from auditkit.privacy import scan_frame
from tests.privacy import tables


@pytest.mark.parametrize(
    ("make", "country"),
    [
        (tables.requests_mx, "MX"),
        (tables.requests_mx, None),
        (tables.cadastro_br, "BR"),
        (tables.cadastro_br, None),
        (tables.padron_co, "CO"),
    ],
)
def test_every_personal_column_found_and_no_other(make, country):
    """The (column, kind) pairs found are exactly the personal columns of the table."""
    frame, expected = make()
    found = {(h.column, h.kind) for h in scan_frame(frame, source="t.csv", country=country)}
    assert found == expected


def test_counts_are_rows_not_values():
    """Counts are the rows holding the kind (missing cells not counted)."""
    frame, _ = tables.requests_mx(rows=90)
    hits = {h.column: h for h in scan_frame(frame, source="t.csv")}
    assert hits["correo_electronico"].rows == frame["correo_electronico"].notna().sum() == 60
    assert hits["CURP"].rows == 90 and not hits["CURP"].estimated


def test_large_column_is_sampled_and_says_so():
    """Past max_rows the scan samples rows and marks the counts as estimates."""
    frame = pd.DataFrame({"correo": [f"p{i}@x.org" for i in range(5000)] + [None] * 5000})
    (hit,) = scan_frame(frame, source="t.csv", max_rows=1000)
    assert hit.estimated and 4000 <= hit.rows <= 6000
    (exact,) = scan_frame(frame, source="t.csv", max_rows=None)
    assert not exact.estimated and exact.rows == 5000


def test_scan_is_deterministic():
    """Same table, same hits (seeded sampling)."""
    frame, _ = tables.cadastro_br(rows=3000)
    first = scan_frame(frame, source="t.csv", max_rows=500, max_values=200)
    assert first == scan_frame(frame, source="t.csv", max_rows=500, max_values=200)


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("colonia", tables.ZONES * 5),
        (
            "delegacion",
            [
                "Miguel Hidalgo",
                "Benito Juárez",
                "Álvaro Obregón",
                "Gustavo A. Madero",
                "Venustiano Carranza",
                "Cuauhtémoc",
                "Iztapalapa",
                "Tlalpan",
            ]
            * 3,
        ),
        ("calle", ["Avenida Juárez", "Calle Hidalgo", "Paseo de la Reforma"] * 5),
        ("nombre_colonia", tables.ZONES * 3),
        ("categoria", ["alumbrado", "bache", "basura"] * 5),
        ("ratio", [0.8123456, 1.2345678, 0.9999999] * 5),
        ("latitud_zona", ["20.67", "20.71", "20.69"] * 5),
        ("lon", ["-103.3", "-103.4", "-103.5"] * 5),
        ("fecha", ["2024-01-05", "2024-02-11", "2023-12-31"] * 5),
        ("estrato", ["1", "2", "3", "4", "5"] * 3),
        ("nota", ["ok", "pendiente", "revisado por cuadrilla 12"] * 5),
        ("intervalo", ["[0.8123, 1.2345]", "[0.9012, 1.1034]"] * 5),
    ],
)
def test_not_personal(column, values):
    """Zone names (even named after people), streets without numbers, coarse coordinates,
    metrics, dates and labels are not personal data."""
    assert scan_frame(pd.DataFrame({column: values}), source="t.csv") == []


@pytest.mark.parametrize(
    ("value", "country"),
    [
        ("+52 1 33 1234 5678", None),
        ("+52 33 1234 5678", None),
        ("5213312345678", None),
        ("(33) 3614-5678", "MX"),
        ("+55 11 98765-4321", None),
        ("(81) 3421-1234", "BR"),
        ("+57 300 123 4567", None),
        ("+598 94 123 456", None),
        ("+56 9 8765 4321", None),
        ("+54 9 11 2345-6789", None),
    ],
)
def test_phone_numbers(value, country):
    """International, WhatsApp-style and formatted national numbers are phone numbers."""
    frame = pd.DataFrame({"dato": [value[:-1] + last for last in "1234"]})
    assert [h.kind for h in scan_frame(frame, source="t.csv", country=country)] == ["phone"]


def test_header_that_is_data_is_not_printed():
    """A file without its header row: the first row became column names; they are not shown."""
    frame = pd.DataFrame(
        {
            "juan.perez@correo.mx": ["a@b.org", "c@d.org"],
            "390.533.447-05": ["111.444.777-35", "529.982.247-25"],
        }
    )
    columns = {h.column for h in scan_frame(frame, source="t.csv")}
    assert columns == {"#1", "#2"}


def test_chilean_run_without_its_check_digit():
    """RUN and DV in two columns: the RUN body alone still identifies a person."""
    frame = pd.DataFrame({"RUN": ["12531909", "16727230", "7654321"], "DV": ["2", "K", "5"]})
    hits = scan_frame(frame, source="t.csv", country="CL")
    assert [(h.column, h.kind, h.scheme) for h in hits] == [("RUN", "national_id", "cl.rut")]


@pytest.mark.parametrize("column", ["nome_social", "NOME_MAE", "primer_nombre", "Apellido Paterno"])
def test_person_name_headers(column):
    """Headers of person names in Portuguese and Spanish, with upper-case values."""
    frame = pd.DataFrame({column: ["MARIA DA SILVA", "JOAO SOUZA", "ANA LIMA", "PEREZ"]})
    assert [h.kind for h in scan_frame(frame, source="t.csv")] == ["person_name"]


@pytest.mark.parametrize(
    "values",
    [
        [f"GDL-24-{i:06d}" for i in range(100, 400)],
        [f"2024-{i:06d}" for i in range(300)],
        [f"2024-0{i % 9 + 1}-1{i % 9} 1{i % 9}:3{i % 9}:00" for i in range(300)],
        [f"{i:,}.50" for i in range(1_000_000, 1_000_300)],
        [f"14039{i:04d}-{i % 900 + 100}" for i in range(300)],
    ],
)
def test_codes_amounts_and_timestamps_are_not_phones(values):
    """Request numbers, timestamps, amounts and census codes are not phone numbers."""
    for country in (None, "MX", "UY"):
        assert scan_frame(pd.DataFrame({"codigo": values}), source="t.csv", country=country) == []


def test_street_and_house_number_in_two_columns():
    """CALLE next to NUM_EXT is a home address; a street column alone is a place."""
    frame = pd.DataFrame(
        {
            "CALLE": ["AV. JUAREZ", "HIDALGO", "MORELOS"],
            "NUM_EXT": ["123", "45", "7"],
            "COLONIA": ["CENTRO", "AMERICANA", "OBLATOS"],
            "CP": ["44100", "44160", "44700"],
        }
    )
    assert [(h.column, h.kind) for h in scan_frame(frame, source="t.csv")] == [("CALLE", "address")]
    assert scan_frame(frame[["CALLE", "COLONIA", "CP"]], source="t.csv") == []
