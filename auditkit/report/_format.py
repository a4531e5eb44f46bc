"""Numbers and labels formatted for the reader's locale (babel)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from auditkit.i18n import locale_for

__all__ = ["display_params", "format_number", "format_percent", "locale_for"]


def format_number(value: float | int | None, locale: str, *, digits: int = 3) -> str:
    """A number with at most ``digits`` decimals in the locale's notation; ``—`` for none."""
    from babel.numbers import format_decimal

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=locale))


def format_percent(value: float | None, locale: str, *, digits: int = 1) -> str:
    """A share as a percentage in the locale's notation."""
    from babel.numbers import format_percent as babel_percent

    if value is None or not math.isfinite(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return str(babel_percent(value, format=pattern, locale=locale))


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
