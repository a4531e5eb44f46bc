"""Numbers and labels formatted for the reader's locale (babel).

A report formats thousands of numbers; babel's ``format_decimal`` parses the locale and the
pattern again on every call, which was most of its cost. The parsed locale and patterns are kept
here (one per locale and number of digits) and applied exactly as ``format_decimal`` and
``format_percent`` apply them, so the strings are the same.
"""

from __future__ import annotations

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


def format_number(value: float | int | None, locale: str, *, digits: int = 3) -> str:
    """A number with at most ``digits`` decimals in the locale's notation; ``—`` for none.

    The same string as ``babel.numbers.format_decimal(value, format="#,##0.###",
    locale=locale)`` (for three digits), with the locale and the pattern parsed once.

    >>> format_number(1234.56789, "es_CO"), format_number(0.8125, "pt_BR", digits=2)
    ('1.234,568', '0,81')
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return str(_pattern(digits).apply(value, _locale(locale)))


def format_percent(value: float | None, locale: str, *, digits: int = 1) -> str:
    """A share as a percentage in the locale's notation (as ``babel.numbers.format_percent``).

    >>> format_percent(0.12345, "pt_BR")
    '12,3%'
    """
    if value is None or not math.isfinite(value):
        return "—"
    return str(_pattern(digits, "%").apply(value, _locale(locale)))


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
