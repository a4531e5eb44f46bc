"""Numbers, percentages and dates written the way the reader's locale writes them (babel).

The locale comes from the report language and the pilot's country: a Spanish report for a pilot
in Colombia uses ``es_CO`` (``12.345,6``), one for Mexico ``es_MX`` (``12,345.6``). Without a
country, or for a pair babel does not know, Spanish falls back to ``es_MX``, Portuguese to
``pt_BR`` and English to ``en``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from babel import Locale
from babel import localedata
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

__all__ = ["DEFAULT_LOCALES", "Formatter", "report_locale"]

DEFAULT_LOCALES: dict[str, str] = {"es": "es_MX", "pt": "pt_BR", "en": "en"}

# What a missing value looks like in every language (an en dash, never "None" or "nan").
MISSING = "–"


def report_locale(lang: str, country: str | None = None) -> Locale:
    """The babel locale for a report in ``lang`` about a pilot in ``country``.

    Examples
    --------
    >>> str(report_locale("es", "co")), str(report_locale("pt")), str(report_locale("es", "ZZ"))
    ('es_CO', 'pt_BR', 'es_MX')
    """
    if lang not in DEFAULT_LOCALES:
        raise ValueError(f"language must be one of {sorted(DEFAULT_LOCALES)}; got {lang!r}")
    if country and len(country) == 2 and country.isalpha():
        candidate = f"{lang}_{country.upper()}"
        if localedata.exists(candidate):
            return Locale.parse(candidate)
    return Locale.parse(DEFAULT_LOCALES[lang])


@dataclass(frozen=True)
class Formatter:
    """Format values for one locale; ``None`` and NaN become an en dash.

    Examples
    --------
    >>> f = Formatter(report_locale("es", "CO"))
    >>> f.number(1234.5), f.percent(0.125), f.ratio(0.8)
    ('1.234,50', '12,5%', '0,80')
    """

    locale: Locale

    def number(self, value: float | None, digits: int = 2) -> str:
        """A decimal number with ``digits`` decimals and grouping."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return MISSING
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def integer(self, value: int | None) -> str:
        """A whole number with grouping."""
        return MISSING if value is None else self.number(value, 0)

    def percent(self, value: float | None, digits: int = 1) -> str:
        """A share (0.125) as a percentage (12.5 %)."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return MISSING
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
        return str(format_percent(value, format=pattern, locale=self.locale))

    def ratio(self, value: float | None) -> str:
        """A ratio to the reference group, two decimals."""
        return self.number(value, 2)

    def interval(self, low: float | None, high: float | None, digits: int = 2) -> str:
        """A confidence interval as ``[low; high]`` (``;`` because ``,`` is a decimal mark)."""
        if low is None or high is None:
            return MISSING
        return f"[{self.number(low, digits)}; {self.number(high, digits)}]"

    def date(self, value: date | datetime | str | None) -> str:
        """A date in the locale's long form (``1 de marzo de 2026``); ISO strings accepted."""
        if value is None or value == "":
            return MISSING
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                return str(value)
        if isinstance(value, datetime):
            value = value.date()
        return str(format_date(value, format="long", locale=self.locale))

    def datetime(self, value: datetime) -> str:
        """A moment with its time zone, in the locale's medium form."""
        return str(format_datetime(value, format="medium", tzinfo=value.tzinfo, locale=self.locale))
