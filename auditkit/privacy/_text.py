"""Personal data inside one piece of text: a group label, a report line, an error message.

Where the table scan (``auditkit.privacy._scan``) judges whole columns, this module finds the
*spans* of personal data inside a single value, so that an output can be refused (the publishing
gate) and a message can be masked (:func:`redact`). It looks for what a label or a sentence can
carry without looking like anything else:

* e-mail addresses, also written to dodge filters (``ana.ruiz [at] example.com``,
  ``ana (arroba) example (punto) com``);
* phone numbers: international (``+52 33 1234 5678``), formatted national (``(33) 1234-5678``)
  and, when the whole value is digits, bare national numbers (``3312345678``), proven by
  ``phonenumbers`` for the pilot's country (or the Latin American regions when none is given);
* national identifiers proven by their check digits (``python-stdnum``), punctuated or bare and in
  any case (``52998224725``, a lower-case CURP);
* person names: a given name followed by a known surname (``Maria Hernandez Lopez``), or, when a
  whole value is nothing but words, a given name and two more words; runs with a word of a place
  or a body ("Park", "Colonia", "NC") and places named after people ("Benito Juárez") are not
  names.

Nothing here returns a value to the caller except :func:`redact`, which replaces each span with
its kind in brackets.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from auditkit.privacy._dictionaries import (
    ENGLISH_GIVEN_NAMES,
    PARTICLES,
    PLACE_WORDS,
    PLACES_NAMED_AFTER_PEOPLE,
    SURNAMES,
)
from auditkit.privacy._given_names import GIVEN_NAMES
from auditkit.privacy._identifiers import SCHEMES

__all__ = ["ALL_GIVEN_NAMES", "Span", "find_personal", "redact", "request_number_shaped"]

ALL_GIVEN_NAMES: frozenset[str] = GIVEN_NAMES | ENGLISH_GIVEN_NAMES

Span = tuple[int, int, str]  # (start, end, kind)

_LOCAL = r"[A-Za-z0-9._%+\-]+"
_LABEL = r"[A-Za-z0-9\-]+"
_TLD = r"[A-Za-z]{2,12}"
# every pattern starts at the start of a token (the lookbehind): no quadratic scan of long runs
_START = r"(?<![A-Za-z0-9._%+\-])"
_EMAIL = re.compile(rf"{_START}{_LOCAL}@{_LABEL}(?:\.{_LABEL})*\.{_TLD}")
# "[at]", "(at)", "{at}", " at " (only with a local part that has . _ or a digit), "arroba"
_AT = r"\s*(?:[\[({<]\s*(?:at|arroba)\s*[\])}>]|@)\s*|\s+(?:arroba)\s+"
_DOT = r"\s*[\[({<]\s*(?:dot|punto|ponto)\s*[\])}>]\s*|\s+(?:dot|punto|ponto)\s+|\."
_OBFUSCATED = re.compile(
    rf"(?i){_START}({_LOCAL})(?:{_AT})({_LABEL}(?:(?:{_DOT}){_LABEL})*(?:{_DOT}){_TLD})(?![\w])"
)
_PLAIN_AT = re.compile(
    rf"(?i){_START}({_LOCAL})\s+at\s+({_LABEL}(?:(?:{_DOT}){_LABEL})*(?:{_DOT})"
    r"(?:com|org|net|edu|gov|mx|br|co|cl|ar|uy|pe|ec|io|info))(?![\w.])"
)

_PHONE = re.compile(r"(?<![\w+\-/.,])(?:\+|00)?\(?[0-9][0-9 ().\-]{6,22}[0-9](?![\w])")
_DATE = re.compile(r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}")
_ID_SHAPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:[-/][0-9]{1,4})*(?:-[0-9Kk]{1,2})?")
_GROUPS = re.compile(r"[0-9]+")
_LATAM = ("MX", "BR", "CO", "CL", "AR", "UY", "PE", "EC")

_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*\.?")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: ``"Hernández"`` -> ``"hernandez"``."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_ID_BEFORE = r"(?<![0-9A-Za-z.,/])"
_ID_AFTER = r"(?![0-9A-Za-z]|[.,][0-9])"


@lru_cache(maxsize=1)
def _id_patterns() -> list[tuple[re.Pattern[str], object]]:
    out: list[tuple[re.Pattern[str], object]] = []
    for scheme in SCHEMES:
        for pattern in (scheme.strong, scheme.weak):
            if pattern:
                out.append((re.compile(rf"(?i){_ID_BEFORE}(?:{pattern}){_ID_AFTER}"), scheme))
    return out


@lru_cache(maxsize=1)
def _any_id() -> re.Pattern[str]:
    """Every pattern of :func:`_id_patterns` in one: where it finds nothing, none of them does
    (one pass over a text instead of one per pattern)."""
    union = "|".join(f"(?:{p})" for s in SCHEMES for p in (s.strong, s.weak) if p)
    return re.compile(rf"(?i){_ID_BEFORE}(?:{union}){_ID_AFTER}")


# Schemes whose bare digits carry two check digits or a rigid structure: a single valid value is
# evidence (random 11-digit strings pass the CPF's two digits 1 time in 100).
_RIGID = {"br.cpf", "br.cnpj", "ar.cuit", "uy.rut", "mx.curp", "mx.rfc"}


def _identifiers(text: str) -> list[Span]:
    spans: list[Span] = []
    if _any_id().search(text) is None:
        return spans
    for pattern, scheme in _id_patterns():
        for match in pattern.finditer(text):
            token = match.group(0)
            if token.isdigit() and scheme.name not in _RIGID:  # type: ignore[attr-defined]
                continue  # 7 to 10 bare digits pass a single check digit too often
            if scheme.validate(token.upper()):  # type: ignore[attr-defined]
                spans.append((match.start(), match.end(), "national_id"))
    return spans


def _valid_phone(digits: str, regions: tuple[str, ...], international: bool) -> bool:
    import phonenumbers

    try:
        if international:
            number = phonenumbers.parse("+" + digits, None)
            if phonenumbers.is_valid_number(number):
                return True
            national = str(number.national_number)
            if number.country_code == 52 and len(national) == 11 and national.startswith("1"):
                return _valid_phone("52" + national[1:], regions, True)
            return False
        return any(
            phonenumbers.is_valid_number(phonenumbers.parse(digits, region)) for region in regions
        )
    except phonenumbers.NumberParseException:
        return False


_REQUEST_NUMBER = re.compile(r"[0-9]{1,4}-[0-9]{6,}")


def request_number_shaped(token: str) -> bool:
    """``1-870704831`` (MyLA311), ``14-00684314`` (Chicago): a short prefix, a hyphen and a long
    serial is how request numbers are written, not phone numbers (grouped in 2 to 5 digits).

    >>> request_number_shaped("1-870704831"), request_number_shaped("33-1234-5678")
    (True, False)
    """
    return bool(_REQUEST_NUMBER.fullmatch(token.strip()))


def _bare_length(regions: tuple[str, ...]) -> int:
    """Fewest digits of a bare national number: 9 with the pilot's country, else 10."""
    return 9 if len(regions) == 1 else 10


def _phones(text: str, regions: tuple[str, ...], *, whole: bool) -> list[Span]:
    spans: list[Span] = []
    for match in _PHONE.finditer(text):
        token = match.group(0).strip()
        if _DATE.search(token) or _ID_SHAPED.fullmatch(token):
            continue
        digits = re.sub(r"\D", "", token)
        if not 8 <= len(digits) <= 15:
            continue
        if token.startswith(("+", "00")):
            if _valid_phone(digits[2:] if token.startswith("00") else digits, regions, True):
                spans.append((match.start(), match.end(), "phone"))
            continue
        groups = _GROUPS.findall(token)
        if len(groups) > 1:
            if request_number_shaped(token) or re.search(r"[0-9]\.[0-9]{1,2}(?![0-9])", token):
                continue
        elif not (whole and token == text.strip()) or len(digits) < _bare_length(regions):
            continue  # bare digits inside a sentence, or short ones: a count, an id, a hash
        if _valid_phone(digits, regions, False):
            spans.append((match.start(), match.end(), "phone"))
    return spans


def _emails(text: str) -> list[Span]:
    spans = [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)] if "@" in text else []
    lowered = text.lower()
    if (
        " at " not in lowered
        and "at)" not in lowered
        and "at]" not in lowered
        and ("arroba" not in lowered and "at}" not in lowered and "at>" not in lowered)
    ):
        return spans
    for pattern in (_OBFUSCATED, _PLAIN_AT):
        for match in pattern.finditer(text):
            local = match.group(1)
            if pattern is _PLAIN_AT and not re.search(r"[._0-9]", local):
                continue
            spans.append((match.start(), match.end(), "email"))
    return spans


def _is_name_word(word: str) -> bool:
    return len(word) > 1 and word[0].isupper()


def _casing(word: str) -> str:
    """``upper``, ``lower`` or ``title``: a name written in one hand keeps one casing."""
    if word.isupper():
        return "upper"
    return "lower" if word.islower() else "title"


def _names(text: str, *, whole: bool) -> list[Span]:
    """Runs of words that read as a person's full name (see the module docstring)."""
    folded = [fold(word.rstrip(".")) for word in _WORD.findall(text)]
    if ALL_GIVEN_NAMES.isdisjoint(folded):
        return []  # every run starts at a given name (and a text without words has none)
    words = list(_WORD.finditer(text))
    only_words = whole and not re.sub(r"[\W_]", "", _WORD.sub("", text))
    spans: list[Span] = []
    i = 0
    while i < len(words):
        word = words[i].group(0)
        if folded[i] not in ALL_GIVEN_NAMES or not (_is_name_word(word) or only_words):
            i += 1
            continue
        # the run: given name, then name words and particles, each next to the previous one
        j = i + 1
        run = [i]
        while j < len(words) and len(run) < 6:
            gap = text[words[j - 1].end() : words[j].start()]
            if gap.strip(" ") not in ("", ","):
                break
            if folded[j] in PARTICLES:
                j += 1
                continue
            if not (_is_name_word(words[j].group(0)) or only_words):
                break
            if (
                only_words
                and _casing(words[j].group(0)) != _casing(word)
                and folded[j] not in SURNAMES
            ):
                break  # "Austin service demand": a capitalised word, then ordinary words
            run.append(j)
            j += 1
        before = folded[i - 1] if i > 0 else ""
        after = folded[run[-1] + 1] if run[-1] + 1 < len(words) else ""
        tail = [folded[k] for k in run[1:]]
        run_words = folded[i : run[-1] + 1]
        placed = (
            before in PLACE_WORDS
            or after in PLACE_WORDS
            or any(t in PLACE_WORDS for t in tail)
            or any(
                " ".join(run_words[:size]) in PLACES_NAMED_AFTER_PEOPLE
                for size in range(2, len(run_words) + 1)
            )
        )
        surname = any(t in SURNAMES for t in tail)
        long_whole = only_words and len(run) >= 3 and len(words) <= 6
        if tail and not placed and (surname or long_whole):
            spans.append((words[i].start(), words[run[-1]].end(), "person_name"))
            i = run[-1] + 1
        elif placed:
            i = run[-1] + 1  # the whole run names a place
        else:
            i += 1
    return spans


def find_personal(
    text: str, *, country: str | None = None, whole: bool = True, names: bool = True
) -> list[Span]:
    """Spans of personal data in ``text``, sorted and without overlaps.

    Parameters
    ----------
    text : str
        One value: a label, a cell, a line, a message.
    country : str, optional
        The pilot's ISO country code: the region of national phone numbers.
    whole : bool
        ``text`` is one value (a label or a cell), not a sentence: bare digits that make up the
        whole value are read as a phone number or an identifier.
    names : bool
        Look for person names too.

    Examples
    --------
    >>> [kind for _, _, kind in find_personal("ana.ruiz [at] example.com")]
    ['email']
    >>> [kind for _, _, kind in find_personal("Maria Hernandez Lopez")]
    ['person_name']
    >>> find_personal("Benito Juárez"), find_personal("John Jay Park")
    ([], [])
    """
    if not text or not text.strip():
        return []
    regions = (country.upper(),) if country else _LATAM
    spans = _emails(text)
    spans += _identifiers(text)
    spans += _phones(text, regions, whole=whole)
    if names:
        spans += _names(text, whole=whole)
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[Span] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            continue
        merged.append(span)
    return merged


# the pieces of a message that can each be one quoted value
_VALUE_PIECES = re.compile(r"[^,;:={}\[\]()'\"\n]+")

_MASK = {
    "email": "[e-mail]",
    "phone": "[phone]",
    "national_id": "[id]",
    "person_name": "[name]",
}


def redact(text: str, *, country: str | None = None) -> str:
    """``text`` with every span of personal data replaced by its kind in brackets.

    Used for messages (errors, the terminal), where a mask is better than a refusal.

    >>> redact("Groups found: B, C, ana.ruiz@example.com.")
    'Groups found: B, C, [e-mail].'
    >>> redact("found values {+52 33 1234 5678, 0, 1}")
    'found values {[phone], 0, 1}'
    """
    pieces: list[str] = []
    last = 0
    # a message quotes values between separators: each piece is checked as a whole value too
    spans = find_personal(text, country=country, whole=False)
    for part in _VALUE_PIECES.finditer(text):
        value = part.group(0)
        for start, end, kind in find_personal(value.strip(), country=country, whole=True):
            offset = part.start() + (len(value) - len(value.lstrip()))
            spans.append((offset + start, offset + end, kind))
    spans.sort(key=lambda s: (s[0], -s[1]))
    for start, end, kind in spans:
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(_MASK.get(kind, "[personal]"))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
