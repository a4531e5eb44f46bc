{% if cookiecutter.language == "es" -%}
"""Días feriados, para las variables de calendario y la muestra sintética.

Vienen de la biblioteca ``holidays`` (feriados oficiales de cada país y de sus subdivisiones:
estados, departamentos, provincias). ``config/pilot.yaml`` elige el país y la subdivisión
(``holidays: {country: BR, subdivision: PE}``; la biblioteca no tiene subdivisiones de todos los
países, p. ej. de México). Los feriados municipales van en ``holidays.extra`` (fechas
``AAAA-MM-DD``).
"""
{%- elif cookiecutter.language == "pt" -%}
"""Feriados, para as variáveis de calendário e a amostra sintética.

Vêm da biblioteca ``holidays`` (feriados oficiais de cada país e das suas subdivisões:
estados, departamentos, províncias). ``config/pilot.yaml`` escolhe o país e a subdivisão
(``holidays: {country: BR, subdivision: PE}``; a biblioteca não tem subdivisões de todos os
países, p. ex. do México). Os feriados municipais vão em ``holidays.extra`` (datas
``AAAA-MM-DD``).
"""
{%- else -%}
"""Public holidays, for the calendar features and the synthetic sample.

They come from the ``holidays`` library (official holidays of each country and of its
subdivisions: states, departments, provinces). ``config/pilot.yaml`` chooses the country and
the subdivision (``holidays: {country: US, subdivision: NY}``; the library does not have the
subdivisions of every country, e.g. not Mexico's). Municipal holidays go in ``holidays.extra``
(``YYYY-MM-DD`` dates).
"""
{%- endif %}

from __future__ import annotations

import datetime as dt

import holidays as holiday_calendars

from {{ cookiecutter.__package }}.contract import ContractError


def holidays(
    country: str, years: range, *, subdivision: str | None = None, extra: tuple[dt.date, ...] = ()
) -> list[dt.date]:
    """Public holidays of ``country`` (ISO 3166-1 alpha-2) and ``subdivision`` in ``years``, sorted.

    National holidays always; with ``subdivision`` (the ISO 3166-2 code without the country,
    e.g. ``PE`` for Pernambuco) also that subdivision's own; plus the ``extra`` days that fall
    in ``years``. Raises ``ContractError`` for a country or a subdivision the ``holidays``
    library does not know.
    """
    try:
        calendar = holiday_calendars.country_holidays(country, subdiv=subdivision, years=list(years))
    except NotImplementedError as err:
        known = holiday_calendars.list_supported_countries().get(country)
        if known is None:
            raise ContractError(
                f"config/pilot.yaml: holidays.country {country!r} is not a country the 'holidays' "
                "library knows; use an ISO 3166-1 alpha-2 code such as MX, BR, CO or UY."
            ) from err
        valid = f"valid codes: {sorted(known)}" if known else f"the library has no subdivisions of {country}"
        raise ContractError(
            f"config/pilot.yaml: holidays.subdivision {subdivision!r} is not a subdivision of {country} "
            f"({valid}). Use null for national holidays only, and list local days in holidays.extra."
        ) from err
    days = set(calendar) | {day for day in extra if day.year in years}
    return sorted(days)
