"""Numbers in the reports: the cached patterns give babel's own strings, value for value."""

from __future__ import annotations

import math

import pytest
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

from auditkit.report._format import format_number, format_percent

LOCALES = ["es_MX", "es_CO", "es_AR", "es_ES", "pt_BR", "pt_PT", "en_US", "en_GB", "es_UY"]
VALUES = [
    0,
    0.0,
    -0.0,
    1,
    -1,
    7,
    0.5,
    0.8,
    1.25,
    0.0005,
    0.00049,
    0.9995,
    1.0005,
    2.675,
    -0.8125,
    1234.56789,
    -98765.4321,
    1_000_000,
    123_456_789,
    1e-12,
    3.3e15,
    12345678.9,
    0.1 + 0.2,
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("digits", [0, 1, 2, 3])
def test_format_number_is_babels_format_decimal(locale, digits):
    """Oracle: babel.numbers.format_decimal with the same pattern, called the documented way."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    for value in VALUES:
        expected = format_decimal(value, format=pattern, locale=locale)
        assert format_number(value, locale, digits=digits) == expected, (value, locale, digits)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("digits", [0, 1, 2])
def test_format_percent_is_babels_format_percent(locale, digits):
    """Oracle: babel.numbers.format_percent with the same pattern."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    for value in [0.0, 0.05, 0.12345, 0.999, 1.0, -0.25, 12.5, 0.00049]:
        expected = babel_percent(value, format=pattern, locale=locale)
        assert format_percent(value, locale, digits=digits) == expected, (value, locale, digits)


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf])
def test_missing_and_infinite_values_show_a_dash(value):
    """No number: an em dash, in both formats."""
    assert format_number(value, "es_MX") == "—"
    assert format_percent(value, "es_MX") == "—"


def test_the_order_of_calls_does_not_change_a_string():
    """Cached patterns are per number of digits: formatting with 0 digits does not leak into 3."""
    assert format_number(2.675, "es_MX", digits=0) == "3"
    assert format_number(2.675, "es_MX") == "2.675"
    assert format_number(1234.5, "pt_BR", digits=1) == "1.234,5"
    assert format_number(1234.5, "en_US", digits=1) == "1,234.5"


def _babel_locales(lang: str) -> list[str]:
    from babel.localedata import locale_identifiers

    return sorted(i for i in locale_identifiers() if i == lang or i.startswith(f"{lang}_"))


def _random_values(seed: int) -> list[float | int]:
    """Floats of every magnitude, ties at each number of digits, integers, signed zeros."""
    import random

    rng = random.Random(seed)
    values: list[float | int] = [0.0, -0.0, -0.0004, 0.0015, 0.0025, -2.5, 999.9995, 99999.5]
    for _ in range(60):
        exponent = rng.randint(-9, 15)
        values.append(rng.choice([1, -1]) * rng.random() * 10.0**exponent)
        values.append(round(rng.uniform(-5000, 5000), rng.randint(0, 5)))
        values.append(rng.randint(-(10**12), 10**12))
        values.append(rng.randint(0, 4000) / 1000 + rng.choice([0.0005, 0.005, 0.05, 0.5]))
    return values


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_applied_patterns_equal_babel_in_every_locale_of_the_languages(lang):
    """The symbols looked up once and the pattern applied by :func:`_apply` give babel's own
    strings: ``format_decimal`` and ``format_percent`` with the same pattern, in every locale
    babel has for es, pt and en (dozens of countries), for random values of every size."""
    locales = _babel_locales(lang)
    assert len(locales) > 10
    values = _random_values(len(lang))
    for locale in locales:
        for digits in (0, 1, 3):
            pattern = "#,##0" + ("." + "#" * digits if digits else "")
            for value in values:
                expected = format_decimal(value, format=pattern, locale=locale)
                assert format_number(value, locale, digits=digits) == expected, (value, locale)
        for value in values[:200]:
            expected = babel_percent(value, format="#,##0.#%", locale=locale)
            assert format_percent(value, locale) == expected, (value, locale)
