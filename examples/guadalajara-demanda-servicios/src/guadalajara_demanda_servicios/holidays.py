"""Días feriados, para las variables de calendario y la muestra sintética.

Una tabla breve de feriados nacionales de los países que conoce la plantilla (fechas fijas,
"n-ésimo día de la semana de un mes" y días relativos a la Pascua). Los demás países reciben los
casi universales (1 de enero, Pascua, 1 de mayo, 25 de diciembre). Agregue los feriados locales
en ``EXTRA_HOLIDAYS``.
"""

from __future__ import annotations

import datetime as dt

# (month, day) fixed holidays
_FIXED: dict[str, list[tuple[int, int]]] = {
    "MX": [(1, 1), (5, 1), (9, 16), (12, 25)],
    "BR": [(1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (11, 20), (12, 25)],
    "CO": [(1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25)],
    "UY": [(1, 1), (1, 6), (5, 1), (6, 19), (7, 18), (8, 25), (12, 25)],
    "AR": [(1, 1), (3, 24), (4, 2), (5, 1), (5, 25), (6, 20), (7, 9), (12, 8), (12, 25)],
    "CL": [(1, 1), (5, 1), (5, 21), (6, 29), (8, 15), (9, 18), (9, 19), (12, 8), (12, 25)],
    "PE": [(1, 1), (5, 1), (6, 29), (7, 28), (7, 29), (8, 30), (10, 8), (11, 1), (12, 8), (12, 25)],
    "PT": [(1, 1), (4, 25), (5, 1), (6, 10), (8, 15), (10, 5), (11, 1), (12, 1), (12, 8), (12, 25)],
    "ES": [(1, 1), (1, 6), (5, 1), (8, 15), (10, 12), (11, 1), (12, 6), (12, 8), (12, 25)],
    "US": [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)],
}
# (month, weekday Monday=0, n-th; -1 = last)
_NTH_WEEKDAY: dict[str, list[tuple[int, int, int]]] = {
    "MX": [(2, 0, 1), (3, 0, 3), (11, 0, 3)],
    "US": [(1, 0, 3), (2, 0, 3), (5, 0, -1), (9, 0, 1), (10, 0, 2), (11, 3, 4)],
}
# days relative to Easter Sunday
_EASTER: dict[str, list[int]] = {
    "MX": [-3, -2],
    "BR": [-48, -47, -2, 60],
    "CO": [-3, -2],
    "UY": [-48, -47, -3, -2],
    "AR": [-48, -47, -2],
    "CL": [-2, -1],
    "PE": [-3, -2],
    "PT": [-2, 0, 60],
    "ES": [-3, -2],
}
_DEFAULT_FIXED = [(1, 1), (5, 1), (12, 25)]
_DEFAULT_EASTER = [-2]

EXTRA_HOLIDAYS: list[dt.date] = []


def easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian), by the anonymous Gregorian algorithm."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holidays(country: str, years: range) -> list[dt.date]:
    """National public holidays of ``country`` (ISO 3166 alpha-2) in ``years``, sorted."""
    days: set[dt.date] = set()
    for year in years:
        for month, day in _FIXED.get(country, _DEFAULT_FIXED):
            days.add(dt.date(year, month, day))
        for month, weekday, nth in _NTH_WEEKDAY.get(country, []):
            days.add(_nth_weekday(year, month, weekday, nth))
        sunday = easter(year)
        for offset in _EASTER.get(country, _DEFAULT_EASTER):
            days.add(sunday + dt.timedelta(days=offset))
    days.update(day for day in EXTRA_HOLIDAYS if day.year in years)
    return sorted(days)
