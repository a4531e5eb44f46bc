"""Redaction of free text: personal values replaced by typed placeholders before any learning.

The personal-data scan (:mod:`auditkit.privacy._scan`) decides whether a *column* holds personal
data. A pilot that learns from residents' messages needs the same detectors at the level of a
*span* of text, so that names, phone numbers, e-mail addresses, national identifiers and street
addresses never reach a vocabulary, a feature table, a model or a logged artefact. This module
reuses the scan's patterns and validators (check digits from ``python-stdnum``, phone numbers from
``phonenumbers``, the list of given names) and replaces each span found by a placeholder naming
its kind, e.g. ``[phone]``.

Redaction errs on the side of removing: a service-request number that is a valid phone number,
or a place that honours a person ("Benito Juárez"), is replaced too. What it cannot see is a
surname written alone, without a given name or an introduction ("soy ..."): a team that finds
such values in its data adds the pattern to its own cleaning before this step.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from auditkit.privacy._given_names import GIVEN_NAMES
from auditkit.privacy._identifiers import SCHEMES
from auditkit.privacy._scan import (
    _DATE_LIKE,
    _DECIMAL_TOKEN,
    _EMAIL,
    _PHONE_TOKEN,
    _STREET_TYPES,
    PHONE_REGIONS,
    _bare_re,
    _fold,
    _phone_valid,
    _token_re,
)

__all__ = ["PLACEHOLDERS", "RedactionKind", "Span", "find_spans", "redact_text", "redact_texts"]

RedactionKind = Literal["email", "national_id", "phone", "address", "person_name"]

PLACEHOLDERS: dict[str, str] = {
    "email": "[email]",
    "national_id": "[national_id]",
    "phone": "[phone]",
    "address": "[address]",
    "person_name": "[person_name]",
}

# Bare digits are accepted as an identifier only for schemes with two check digits or a rigid
# structure; one random string in ten passes a single check digit.
_BARE_SCHEMES = {"br.cpf", "br.cnpj", "ar.cuit", "uy.rut"}

_LETTER = r"[^\W\d_]"
_ADDRESS_SPAN = re.compile(
    rf"(?i)(?<!{_LETTER})(?:{_STREET_TYPES})\s*(?:{_LETTER}[\w'.]*\s+){{0,4}}?"
    r"(?:#\s*|n[°ºo]\.?\s*|num\.?\s*|n[uú]mero\s*)?[0-9]+(?![0-9])(?:-?[a-z](?![a-z]))?"
    # "hace 3 días", "2 semanas": a duration, not a house number
    r"(?!\s*(?:d[ií]as?|semanas?|mes(?:es)?|horas?|a[nñ]os?|days?|weeks?|months?|hours?|years?|vezes|veces)\b)"
)
_STREET_START = re.compile(rf"(?i)(?<!{_LETTER})(?:{_STREET_TYPES})")
# English order: the number first ("55 Oak Street").
_ADDRESS_NUMBER_FIRST = re.compile(
    rf"(?i)(?<![\w.,])[0-9]+\s+(?:{_LETTER}[\w'.]*\s+){{1,3}}"
    r"(?:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|way|court|ct\.?)"
    r"(?!\w)"
)
# What residents write before their name, in the three languages.
_CUE = re.compile(
    r"(?i)(?<!\w)(?:me llamo|mi nombre es|soy|atte\.?|atentamente|att\.?|saludos|"
    r"meu nome [eé]|me chamo|sou|atenciosamente|cordialmente|my name is|i am|this is|"
    r"regards|sincerely|nombre|nome|name)[\s,:]+"
)
_WORD = re.compile(rf"{_LETTER}[\w'\-]*")
# Words that end a name after a cue ("soy maria y vivo en ...").
_FUNCTION_WORDS = frozenset(
    [
        "y",
        "e",
        "o",
        "de",
        "del",
        "la",
        "las",
        "el",
        "los",
        "en",
        "con",
        "por",
        "para",
        "que",
        "mi",
        "su",
        "sus",
        "a",
        "al",
        "un",
        "una",
        "vivo",
        "vecina",
        "vecino",
        "tengo",
        "hay",
        "desde",
        "porque",
        "pero",
        "ya",
        "no",
        "si",
        "the",
        "and",
        "of",
        "in",
        "at",
        "on",
        "my",
        "is",
        "i",
        "we",
        "e",
        "a",
        "o",
        "do",
        "da",
        "dos",
        "das",
        "em",
        "no",
        "na",
        "com",
        "por",
        "para",
        "que",
        "meu",
        "minha",
        "moro",
        "esta",
        "está",
        "hace",
        "lleva",
        "sigue",
        "tiene",
        "son",
        "ta",
    ]
)
# Words that introduce the next personal value: they end a name, never belong to it.
_FUNCTION_WORDS |= {
    *("curp", "rfc", "cpf", "rut", "nit", "dni", "id", "tel", "telefono", "telefone", "celular"),
    *("cel", "correo", "email", "mail", "whatsapp", "llamar", "liga", "call", "numero", "number"),
    *("ja", "faz", "tem", "ta", "for", "since", "been", "days"),
}
# Particles inside a name ("José da Silva", "María de la Cruz").
_PARTICLES = frozenset(["de", "del", "la", "las", "los", "da", "do", "dos", "das"])


@dataclass(frozen=True)
class Span:
    """A personal value found in a text: ``text[start:end]`` is of kind ``kind``."""

    start: int
    end: int
    kind: RedactionKind


def _identifier_spans(text: str) -> list[Span]:
    spans = []
    upper = text.upper()
    for scheme in SCHEMES:
        patterns = [_token_re(scheme.strong)]
        if scheme.weak and scheme.name in _BARE_SCHEMES:
            patterns.append(_bare_re(scheme.weak))
        for pattern in patterns:
            for match in pattern.finditer(upper):
                if scheme.validate(match.group(0)):
                    spans.append(Span(match.start(), match.end(), "national_id"))
    return spans


def _phone_spans(text: str, regions: tuple[str, ...]) -> list[Span]:
    spans = []
    for match in _PHONE_TOKEN.finditer(text):
        token = match.group(0)
        if _DATE_LIKE.search(token) or _DECIMAL_TOKEN.fullmatch(token):
            continue
        ok, _ = _phone_valid(token, regions)
        if ok:
            spans.append(Span(match.start(), match.end(), "phone"))
    return spans


def _name_spans(text: str) -> list[Span]:
    spans = []
    words = list(_WORD.finditer(text))
    cue_ends = {m.end() for m in _CUE.finditer(text)}
    i = 0
    while i < len(words):
        word = words[i]
        given = _fold(word.group(0)) in GIVEN_NAMES
        after_cue = word.start() in cue_ends
        capitalised = word.group(0)[:1].isupper()
        if not given or not (after_cue or capitalised):
            i += 1
            continue
        j = i + 1
        while j < len(words) and j - i <= 4:
            nxt = words[j]
            between = text[words[j - 1].end() : nxt.start()]
            if between.strip():  # punctuation ends the name
                break
            folded = _fold(nxt.group(0))
            if any(ch.isdigit() for ch in folded):
                break
            if folded in _PARTICLES and j + 1 < len(words) and words[j + 1].group(0)[:1].isupper():
                j += 1  # the particle belongs to the name if a capitalised word follows
                continue
            if folded in _FUNCTION_WORDS:
                break
            if not (after_cue or nxt.group(0)[:1].isupper()):
                break
            j += 1
        if after_cue or j > i + 1:  # a capitalised given name alone is often a place or a saint
            spans.append(Span(word.start(), words[j - 1].end(), "person_name"))
        i = j
    return spans


def _address_spans(text: str) -> list[Span]:
    """Street type, name and number; tried from every street type, not only the first match."""
    spans: list[Span] = []
    for start in _STREET_START.finditer(text):
        if spans and start.start() < spans[-1].end:
            continue
        match = _ADDRESS_SPAN.match(text, start.start())
        if match is None:
            continue
        middle = _WORD.findall(match.group(0))[1:]
        if not any(_fold(w) in _FUNCTION_WORDS - _PARTICLES for w in middle):
            spans.append(Span(match.start(), match.end(), "address"))
    return spans


def find_spans(text: str, *, country: str | None = None) -> list[Span]:
    """Every personal value in ``text``, as non-overlapping spans sorted by position.

    Parameters
    ----------
    text : str
        A free-text message.
    country : str, optional
        ISO 3166-1 alpha-2 code: the region of national-format phone numbers (default: the
        Latin American regions the scan tries).

    Returns
    -------
    list of Span
        Where spans overlap, the one found first in the order e-mail, national identifier,
        phone, address, person name is kept.

    Examples
    --------
    >>> [s.kind for s in find_spans("escribir a ana.lopez@example.org", country="MX")]
    ['email']
    """
    regions = (country.upper(),) if country else PHONE_REGIONS
    found = [Span(m.start(), m.end(), "email") for m in re.finditer(_EMAIL, text)]
    found += _identifier_spans(text)
    found += _phone_spans(text, regions)
    found += _address_spans(text)
    found += [
        Span(m.start(), m.end(), "address")
        for m in _ADDRESS_NUMBER_FIRST.finditer(text)
        if not any(_fold(w) in _FUNCTION_WORDS for w in _WORD.findall(m.group(0))[:-1])
    ]
    found += _name_spans(text)
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def redact_text(text: str, *, country: str | None = None) -> tuple[str, Counter[str]]:
    """``text`` with each personal value replaced by its placeholder, and the count per kind.

    Examples
    --------
    >>> redacted, counts = redact_text("luminaria apagada, mi número es 33 1234 5678", country="MX")
    >>> redacted
    'luminaria apagada, mi número es [phone]'
    >>> dict(counts)
    {'phone': 1}
    """
    counts: Counter[str] = Counter()
    parts: list[str] = []
    position = 0
    for span in find_spans(text, country=country):
        parts.append(text[position : span.start])
        parts.append(PLACEHOLDERS[span.kind])
        counts[span.kind] += 1
        position = span.end
    parts.append(text[position:])
    return "".join(parts), counts


def redact_texts(
    texts: Iterable[str | None], *, country: str | None = None
) -> tuple[list[str | None], Counter[str]]:
    """Redact many texts; missing values stay missing. Returns the texts and the total counts."""
    total: Counter[str] = Counter()
    out: list[str | None] = []
    for text in texts:
        if text is None or text != text:  # None or NaN
            out.append(None)
            continue
        redacted, counts = redact_text(str(text), country=country)
        total.update(counts)
        out.append(redacted)
    return out, total
