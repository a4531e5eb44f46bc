"""National identifiers: valid ones found per country, random digit strings never."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from auditkit.privacy import scan_frame
from auditkit.privacy._identifiers import uy_ci_is_valid
from tests.privacy import oracles

GENERATORS = [
    ("mx.curp", lambda rng: oracles.curp(rng)),
    ("mx.rfc", lambda rng: oracles.rfc_person(rng)),
    ("br.cpf", lambda rng: oracles.cpf(rng)),
    ("br.cpf", lambda rng: oracles.cpf(rng, formatted=False)),
    ("br.cnpj", lambda rng: oracles.cnpj(rng)),
    ("br.cnpj", lambda rng: oracles.cnpj(rng, formatted=False)),
    ("cl.rut", lambda rng: oracles.cl_rut(rng)),
    ("cl.rut", lambda rng: oracles.cl_rut(rng, formatted=False)),
    ("co.nit", lambda rng: oracles.co_nit(rng)),
    ("co.nit", lambda rng: oracles.co_nit(rng, formatted=False)),
    ("uy.ci", lambda rng: oracles.uy_ci(rng)),
    ("uy.ci", lambda rng: oracles.uy_ci(rng, formatted=False)),
    ("ar.cuit", lambda rng: oracles.ar_cuit(rng)),
    ("ar.cuit", lambda rng: oracles.ar_cuit(rng, formatted=False)),
]


def _schemes(frame: pd.DataFrame, **kwargs: object) -> set[tuple[str, str | None]]:
    return {(h.column, h.scheme) for h in scan_frame(frame, source="t.csv", **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(("scheme", "generate"), GENERATORS)
def test_valid_identifiers_found_under_a_neutral_column_name(scheme, generate):
    """A column of valid identifiers is found from its values alone, with the right scheme."""
    rng = random.Random(7)
    values = [generate(rng) for _ in range(40)]
    hits = [h for h in scan_frame(pd.DataFrame({"campo_3": values}), source="t.csv")]
    assert ("campo_3", scheme) in {(h.column, h.scheme) for h in hits}
    hit = next(h for h in hits if h.scheme == scheme)
    assert hit.kind == "national_id" and hit.rows == 40


# Formatted or structured forms only: bare digits inside free text are weak evidence by design.
FORMATTED = [(s, g) for s, g in GENERATORS if not g(random.Random(1)).isdigit()]


@pytest.mark.parametrize(("scheme", "generate"), FORMATTED)
def test_single_valid_identifier_in_free_text(scheme, generate):
    """A formatted identifier inside free text is found (structured schemes need no header)."""
    rng = random.Random(3)
    text = [f"el vecino con documento {generate(rng)} reporta un bache", "sin datos", "ok"]
    assert ("descripcion", scheme) in _schemes(pd.DataFrame({"descripcion": text}))


@pytest.mark.parametrize(("scheme", "generate"), GENERATORS)
def test_invalid_check_digits_not_reported(scheme, generate):
    """The same identifiers with a wrong check digit are not reported as that scheme."""
    rng = random.Random(11)
    values = []
    for _ in range(40):
        value = generate(rng)
        last = value[-1]
        wrong = "0" if last in "Kk" else str((int(last) + 1) % 10) if last.isdigit() else "1"
        values.append(value[:-1] + wrong)
    assert ("campo", scheme) not in _schemes(pd.DataFrame({"campo": values}))


@pytest.mark.parametrize("length", range(6, 16))
def test_random_digit_strings_are_not_flagged(length):
    """Columns of random digit strings of every length give no hit, whatever the country."""
    rng = random.Random(length)
    values = [oracles.random_digits(rng, length) for _ in range(300)]
    frame = pd.DataFrame({"valor": values, "folio": values, "codigo_postal": values})
    for country in (None, "MX", "BR", "CO", "CL", "AR", "UY"):
        assert scan_frame(frame, source="t.csv", country=country) == []


def test_random_formatted_strings_are_not_flagged():
    """Random strings in identifier punctuation (1 in 10-100 pass by chance) give no hit."""
    rng = random.Random(5)
    d = lambda n: oracles.random_digits(rng, n)  # noqa: E731
    frame = pd.DataFrame(
        {
            "a": [f"{d(3)}.{d(3)}.{d(3)}-{d(2)}" for _ in range(300)],
            "b": [f"{d(2)}.{d(3)}.{d(3)}-{d(1)}" for _ in range(300)],
            "c": [f"{d(1)}.{d(3)}.{d(3)}-{d(1)}" for _ in range(300)],
            "d": [f"{d(2)}-{d(8)}-{d(1)}" for _ in range(300)],
            "e": [f"{d(2)}.{d(3)}.{d(3)}/0001-{d(2)}" for _ in range(300)],
        }
    )
    assert scan_frame(frame, source="t.csv") == []


@pytest.mark.parametrize(
    ("column", "values", "country", "scheme"),
    [
        ("dni", ["20.123.456", "31.456.789", "7.654.321", "40123456", "28765432"], None, "ar.dni"),
        ("DNI del solicitante", ["20123456", "31456789", "27654321"], "AR", "ar.dni"),
        ("cedula", ["1020304050", "52345678", "79876543"], "CO", "co.cedula"),
        ("cédula de ciudadanía", ["1020304050", "52345678", "79876543"], None, "co.cedula"),
        ("numero_documento", ["1020304050", "52345678", "79876543"], "CO", "co.cedula"),
    ],
)
def test_identifiers_without_check_digit_need_the_column_name(column, values, country, scheme):
    """DNI and cédula have no check digit: found from the column name, not from digits alone."""
    assert (column, scheme) in _schemes(pd.DataFrame({column: values}), country=country)
    assert _schemes(pd.DataFrame({"importe": values}), country=country) == set()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1.234.567-2", True),
        ("12345672", True),
        ("1.234.567-3", False),
        ("0.000.000-0", False),
        ("4.567.890-1", None),
    ],
)
def test_uruguay_ci_check_digit(value, valid):
    """The CI rule (weights 2 9 8 7 6 3 4, modulo 10) against hand-computed digits."""
    if valid is None:  # 4*2+5*9+6*8+7*7+8*6+9*3+0*4 = 225 -> check digit 5
        assert uy_ci_is_valid("4.567.890-5") and not uy_ci_is_valid(value)
    else:
        assert uy_ci_is_valid(value) is valid


@pytest.mark.parametrize(
    "published",
    # examples published in python-stdnum's documentation and by the issuing agencies
    [
        "BOXW310820HNERXN09",
        "GODE 561231 GR8",
        "390.533.447-05",
        "16.727.230/0001-97",
        "12.531.909-2",
        "213.123.432-1",
        "20-05536168-2",
    ],
)
def test_published_examples_found(published):
    """Published valid numbers are found when a few are in a column."""
    frame = pd.DataFrame({"x": [published] * 3})
    assert any(h.kind == "national_id" for h in scan_frame(frame, source="t.csv"))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Austin service demand", False),  # a capitalised city, then ordinary words
        ("Demanda de serviços Recife", False),
        ("maria hernandez lopez", True),
        ("Maria hernandez lopez", True),  # the casing changes, but the surnames are known
        ("MARIA HERNANDEZ LOPEZ", True),
    ],
)
def test_a_whole_value_reads_as_a_name_only_in_one_hand(text, found):
    """A run of words is a full name when its words share one casing or are known surnames."""
    from auditkit.privacy._text import find_personal

    assert bool(find_personal(text)) is found


def test_the_pilots_own_name_is_declared_public():
    """The pilot's name and city in audit.yaml are its public label, never refused as a person."""
    from types import SimpleNamespace

    from auditkit.privacy._publish import declared_public

    config = SimpleNamespace(pilot=SimpleNamespace(name="Austin Service Demand", city="Austin"))
    assert declared_public(config) == ("Austin Service Demand", "Austin")
