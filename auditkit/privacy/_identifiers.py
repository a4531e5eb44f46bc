"""National identifiers of the pilot countries, recognised by shape and proven by check digit.

Each :class:`Scheme` has a regular expression that finds candidates in a value (the same pattern
runs in RE2 inside Arrow for the prefilter and in Python's ``re`` for extraction) and a validator,
from ``python-stdnum`` wherever it has the scheme. Uruguay's cédula de identidad is not in
python-stdnum: its published check-digit rule (weights 2 9 8 7 6 3 4, modulo 10) is implemented
here. Argentina's DNI and Colombia's cédula de ciudadanía have **no check digit**: any 7 or 8
digits "look valid", so they are only reported when the column name says what the column is
(see ``auditkit.privacy._names``), never from values alone.

Evidence strength
-----------------
A candidate written in the country's own punctuation (``123.456.789-09``, ``12.345.678-K``) or
with a rich structure (CURP, RFC) that also passes its check digit is *strong* evidence. Bare
digit strings are *weak* evidence for schemes with a single check digit: one random string in
ten or eleven passes by chance, so a column of random numbers would show about 10% "valid"
values. The scan therefore reports a scheme only when most candidates of a column validate
(see ``auditkit.privacy._scan``), which random digit strings never do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

__all__ = ["NO_CHECK_DIGIT", "SCHEMES", "Scheme", "uy_ci_is_valid"]


@dataclass(frozen=True)
class Scheme:
    """One national identifier scheme.

    Parameters
    ----------
    name : str
        ``<country>.<scheme>`` as in python-stdnum, e.g. ``"br.cpf"``.
    label : str
        Human name, for reports.
    strong : str
        Pattern of candidates that are strong evidence once validated.
    weak : str or None
        Pattern of bare-digit candidates (weak evidence, see the module docstring).
    validate : callable
        ``str -> bool``; receives the candidate as matched.
    """

    name: str
    label: str
    strong: str
    weak: str | None
    validate: Callable[[str], bool]


def _stdnum(module: str, **kwargs: bool) -> Callable[[str], bool]:
    """``is_valid`` of a python-stdnum module, imported on first use."""

    @cache
    def load() -> Callable[..., bool]:
        function: Callable[..., bool] = import_module(f"stdnum.{module}").is_valid
        return function

    def validate(value: str) -> bool:
        digits = re.sub(r"\D", "", value)
        if len(digits) > 1 and len(set(digits)) == 1:  # 000.000.000-00 and friends
            return False
        return bool(load()(value, **kwargs))

    return validate


def uy_ci_is_valid(value: str) -> bool:
    """Uruguay's cédula de identidad: 6 or 7 digits and a check digit.

    The check digit is ``(10 - sum(d_i * w_i) mod 10) mod 10`` with weights 2 9 8 7 6 3 4 over
    the number left-padded to seven digits.

    >>> uy_ci_is_valid("1.234.567-2")
    True
    >>> uy_ci_is_valid("1.234.567-3")
    False
    """
    digits = re.sub(r"[\s.\-]", "", value)
    if not digits.isdigit() or not 7 <= len(digits) <= 8 or len(set(digits)) == 1:
        return False
    body, check = digits[:-1].rjust(7, "0"), int(digits[-1])
    total = sum(int(d) * w for d, w in zip(body, (2, 9, 8, 7, 6, 3, 4), strict=True))
    return (10 - total % 10) % 10 == check


# Boundaries: RE2 and Python agree on \b for ASCII; digits next to digits are excluded explicitly.
_B = r"(?:^|[^0-9A-Za-z])"
_E = r"(?:$|[^0-9A-Za-z])"

SCHEMES: tuple[Scheme, ...] = (
    Scheme(
        "mx.curp",
        "CURP (México)",
        r"[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{5}[0-9A-Z][0-9]",
        None,
        _stdnum("mx.curp"),
    ),
    Scheme(
        "mx.rfc",
        "RFC (México)",
        r"[A-ZÑ&]{3,4}[ \-]?[0-9]{6}[ \-]?[A-Z0-9]{2}[0-9A]",
        None,
        _stdnum("mx.rfc", validate_check_digits=True),
    ),
    Scheme(
        "br.cpf",
        "CPF (Brasil)",
        r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}",
        r"[0-9]{11}",
        _stdnum("br.cpf"),
    ),
    Scheme(
        "br.cnpj",
        "CNPJ (Brasil)",
        r"[0-9]{2}\.[0-9]{3}\.[0-9]{3}/[0-9]{4}-[0-9]{2}",
        r"[0-9]{14}",
        _stdnum("br.cnpj"),
    ),
    Scheme(
        "cl.rut",
        "RUT/RUN (Chile)",
        r"[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}-[0-9Kk]|[0-9]{7,8}-[0-9Kk]|[0-9]{7,8}[Kk]",
        r"[0-9]{8,9}",
        _stdnum("cl.rut"),
    ),
    Scheme(
        "co.nit",
        "NIT (Colombia)",
        r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]|[0-9]{9,10}-[0-9]",
        r"[0-9]{9,11}",
        _stdnum("co.nit"),
    ),
    Scheme(
        "uy.ci",
        "CI (Uruguay)",
        r"[0-9]\.[0-9]{3}\.[0-9]{3}-[0-9]|[0-9]{3}\.[0-9]{3}-[0-9]|[0-9]{6,7}-[0-9]",
        r"[0-9]{7,8}",
        uy_ci_is_valid,
    ),
    Scheme(
        "uy.rut",
        "RUT (Uruguay)",
        r"[0-9]{2}-[0-9]{6}-001-[0-9]",
        r"[0-9]{8}001[0-9]",
        _stdnum("uy.rut"),
    ),
    Scheme(
        "ar.cuit",
        "CUIT/CUIL (Argentina)",
        r"(?:20|23|24|27|30|33|34)-[0-9]{8}-[0-9]",
        r"(?:20|23|24|27|30|33|34)[0-9]{9}",
        _stdnum("ar.cuit"),
    ),
)

# Identifiers without a check digit: reported only from a column name that names them.
NO_CHECK_DIGIT: dict[str, tuple[str, str]] = {
    "ar.dni": ("DNI (Argentina)", r"^(?:[0-9]{1,2}\.[0-9]{3}\.[0-9]{3}|[0-9]{7,8})$"),
    "co.cedula": (
        "cédula de ciudadanía (Colombia)",
        r"^(?:[0-9]{1,3}(?:\.[0-9]{3}){1,3}|[0-9]{6,10})$",
    ),
    "document": ("identity document number", r"^[0-9A-Za-z.\- ]*[0-9]{6,}[0-9A-Za-z.\- ]*$"),
}


def bounded(pattern: str) -> str:
    """``pattern`` as a whole token: not glued to other letters or digits."""
    return f"{_B}(?:{pattern}){_E}"


def bounded_bare(pattern: str) -> str:
    """Bare digits as a whole token that is not part of a decimal number (``0.81234567``)."""
    return f"(?:^|[^0-9A-Za-z.,])(?:{pattern})(?:$|[^0-9A-Za-z.,]|[.,](?:$|[^0-9]))"
