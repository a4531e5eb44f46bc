"""Numbers and labels formatted for the reader's locale (babel).

A report formats thousands of numbers; babel's ``format_decimal`` parses the locale and the
pattern again on every call, and ``NumberPattern.apply`` looks the locale's symbols up again for
every number (most of what was left of its cost). The parsed locale and patterns are kept here
(one per locale and number of digits), with the locale's two symbols, and :func:`_apply` applies
a pattern in the same steps as babel's ``NumberPattern.apply`` (decimal from ``str(value)``,
scale, quantize, group, trim), so the strings are the same (tests/report/test_format.py compares
them with ``format_decimal`` and ``format_percent`` value for value).
"""

from __future__ import annotations

import decimal
import functools
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from auditkit.i18n import locale_for

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

__all__ = ["STATUS_ICONS", "display_params", "format_number", "format_percent", "locale_for"]

# one icon per finding status, the same in every report
STATUS_ICONS = {
    "pass": "✅",
    "fail": "❌",
    "warn": "⚠️",
    "insufficient_data": "…",
    "needs_evidence": "📎",
    "not_applicable": "–",
}


@functools.cache
def _locale(locale: str) -> Locale:
    from babel import Locale

    return Locale.parse(locale)


@functools.cache
def _pattern(digits: int, suffix: str = "") -> NumberPattern:
    """``#,##0.###`` (``digits`` decimals at most, grouped thousands), parsed once."""
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "#" * digits if digits else "") + suffix)


@functools.cache
def _symbols(locale: str) -> tuple[str, str]:
    """The locale's decimal and group symbols (Latin digits), as babel's apply finds them."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(_locale(locale)), get_group_symbol(_locale(locale))


@functools.cache
def _quantum(digits: int) -> decimal.Decimal:
    return decimal.Decimal(10) ** (-digits)


def _apply(pattern: NumberPattern, value: float | int, locale: str) -> str:
    """``pattern.apply(value, locale)`` for this module's patterns, symbols looked up once.

    The patterns here are plain (``#,##0.###``, an optional ``%``): no exponent, significant
    digits, currency or quoted text, so babel's apply reduces to the steps below, in its order
    and with its decimal operations (the current decimal context, as babel uses it). Anything
    else (and a locale whose symbols hold a ``'``, which babel's apply strips as a quote) is
    left to babel.
    """
    number = decimal.Decimal(str(value)).scaleb(pattern.scale)
    point, group = _symbols(locale)
    plain = not (pattern.exp_prec or "@" in pattern.pattern or "'" in pattern.pattern)
    if not plain or "'" in point + group or number.is_infinite():
        return str(pattern.apply(value, _locale(locale)))
    negative = int(number.is_signed())
    number = abs(number).normalize()
    low, high = pattern.frac_prec
    whole, _, fraction = f"{number.quantize(_quantum(high)):f}".partition(".")
    if len(whole) < pattern.int_prec[0]:
        whole = "0" * (pattern.int_prec[0] - len(whole)) + whole
    size, grouped = pattern.grouping[0], ""
    while len(whole) > size:
        grouped = group + whole[-size:] + grouped
        whole = whole[:-size]
        size = pattern.grouping[1]
    fraction = fraction or "0"
    if len(fraction) < low:
        fraction += "0" * (low - len(fraction))
    if high == 0 or (low == 0 and int(fraction) == 0):
        fraction = ""
    else:
        while len(fraction) > low and fraction[-1] == "0":
            fraction = fraction[:-1]
        fraction = point + fraction
    return f"{pattern.prefix[negative]}{whole}{grouped}{fraction}{pattern.suffix[negative]}"


def format_number(value: float | int | None, locale: str, *, digits: int = 3) -> str:
    """A number with at most ``digits`` decimals in the locale's notation; ``—`` for none.

    The same string as ``babel.numbers.format_decimal(value, format="#,##0.###",
    locale=locale)`` (for three digits), with the locale and the pattern parsed once.

    >>> format_number(1234.56789, "es_CO"), format_number(0.8125, "pt_BR", digits=2)
    ('1.234,568', '0,81')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return _apply(_pattern(digits), value, locale)


def format_percent(value: float | None, locale: str, *, digits: int = 1) -> str:
    """A share as a percentage in the locale's notation (as ``babel.numbers.format_percent``).

    >>> format_percent(0.12345, "pt_BR")
    '12,3%'
    """
    if value is None or not math.isfinite(value):
        return "—"
    return _apply(_pattern(digits, "%"), value, locale)


def display_params(params: Mapping[str, Any], lang: str, locale: str) -> dict[str, Any]:
    """Finding parameters ready for a message: numbers localised, metric names translated."""
    from auditkit.i18n import translate

    shown: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, bool):
            shown[key] = value
        elif isinstance(value, float):
            shown[key] = format_number(value, locale)
            shown[f"{key}_pct"] = format_percent(value, locale)
        elif value is None:
            shown[key] = "—"
        else:
            shown[key] = value
    if "metric" in params:
        shown["metric_name"] = translate(f"metric.{params['metric']}", lang).capitalize()
    return shown
