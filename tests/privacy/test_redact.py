"""Redaction of free text with the scan's own detectors: each kind replaced, nothing else touched."""

from __future__ import annotations

import itertools

import pytest
from stdnum.br import cpf
from stdnum.mx import curp

from auditkit.privacy import PLACEHOLDERS, find_spans, redact_text, redact_texts

VALID_CURP = "HEGM850612MJCRRR02"
VALID_CPF = "390.533.447-05"


def test_oracle_identifiers_are_valid():
    """The identifiers used below pass python-stdnum's check digits (and their variants do not)."""
    assert curp.is_valid(VALID_CURP) and not curp.is_valid(VALID_CURP[:-1] + "9")
    assert cpf.is_valid(VALID_CPF) and not cpf.is_valid("390.533.447-06")


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        (
            "hay una luminaria apagada, mi número es 33 1234 5678",
            "MX",
            "hay una luminaria apagada, mi número es [phone]",
        ),
        ("escriban a ana.lopez@example.org", "MX", "escriban a [email]"),
        (f"mi CURP es {VALID_CURP} gracias", "MX", "mi CURP es [national_id] gracias"),
        (f"meu CPF é {VALID_CPF}", "BR", "meu CPF é [national_id]"),
        (
            "vivo en Calle Hidalgo #245, no pasa el camión",
            "MX",
            "vivo en [address], no pasa el camión",
        ),
        (
            "en calle hidalgo 478 mi nombre es jorge lopez",
            "MX",
            "en [address] mi nombre es [person_name]",
        ),
        ("Atentamente, María Guadalupe Hernández.", "MX", "Atentamente, [person_name]."),
        (
            "Sou Ana Paula dos Santos, moro na Rua das Flores 120",
            "BR",
            "Sou [person_name], moro na [address]",
        ),
        ("regards carlos rodriguez, 55 oak street", "US", "regards [person_name], [address]"),
        ("soy maria lopez curp " + VALID_CURP, "MX", "soy [person_name] curp [national_id]"),
    ],
)
def test_each_kind_is_replaced_by_its_placeholder(text, country, expected):
    """Names, phones, e-mails, valid IDs and street addresses become typed placeholders."""
    assert redact_text(text, country=country)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "la calle esta fea hace 3 dias",
        "el bache lleva 2 semanas sin arreglar",
        "the light is out for 2 days on the street",
        "hay una luminaria apagada en la esquina de Av. Juárez y 8 de Julio",
        f"folio {VALID_CURP[:-1]}9 sin respuesta",  # an invalid CURP is not an identifier
        "la colonia Centro tiene grafiti en la barda",
        "the bulb on the pole flickers since 2024-03-05",
    ],
)
def test_texts_without_personal_data_are_unchanged(text):
    """Durations, intersections, dates and invalid identifiers stay as written."""
    redacted, counts = redact_text(text, country="MX" if "the" not in text else "US")
    assert redacted == text
    assert not counts


def test_counts_and_missing_values():
    """Counts per kind over many texts; missing texts stay missing."""
    texts, counts = redact_texts(["tel 33 1234 5678 y 33 8765 4321", None, "a@b.org"], country="MX")
    assert texts == ["tel [phone] y [phone]", None, "[email]"]
    assert dict(counts) == {"phone": 2, "email": 1}


def test_spans_do_not_overlap_and_placeholders_are_known():
    """Spans come sorted and disjoint; every kind has a placeholder."""
    spans = find_spans(f"soy maria lopez curp {VALID_CURP} tel 33 1234 5678", country="MX")
    assert [s.kind for s in spans] == ["person_name", "national_id", "phone"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert set(PLACEHOLDERS) == {"email", "national_id", "phone", "address", "person_name"}
