"""Messages in Spanish, Portuguese and English.

Findings carry a message key and parameters; reports translate them here. Catalogues are YAML
files under ``auditkit/i18n/<lang>/``, one file per area, flat ``key: text`` with ``{name}``
placeholders. A test proves every key exists in all three languages with the same placeholders.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from auditkit._languages import LANGUAGES

__all__ = ["LANGUAGES", "catalog", "locale_for", "placeholders", "translate"]

_DIR = Path(__file__).resolve().parent
_DEFAULT_LOCALE = {"es": "es_MX", "pt": "pt_BR", "en": "en_US"}


@functools.cache
def locale_for(lang: str, country: str | None = None) -> str:
    """The babel locale for a report language, refined by the pilot's country when known.

    >>> locale_for("es", "CO")
    'es_CO'
    >>> locale_for("pt")
    'pt_BR'
    """
    from babel import Locale, UnknownLocaleError

    if country:
        candidate = f"{lang}_{country.upper()}"
        try:
            Locale.parse(candidate)
            return candidate
        except (UnknownLocaleError, ValueError):
            pass
    return _DEFAULT_LOCALE.get(lang, "en_US")


@functools.cache
def catalog(lang: str) -> Mapping[str, str]:
    """All messages of one language, merged from its area files."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}; got {lang!r}")
    messages: dict[str, str] = {}
    # the package's own files: libyaml's safe loader when present (10x faster, same data)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted((_DIR / lang).glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, text in data.items():
            if key in messages:
                raise ValueError(f"{path}: message key {key!r} is defined twice")
            messages[str(key)] = str(text)
    return messages


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def translate(key: str, lang: str = "en", /, **params: Any) -> str:
    """Render message ``key`` in ``lang`` with ``params``; unknown keys fall back to English.

    >>> translate("status.fail", "es")
    'falla'
    """
    text = catalog(lang).get(key) or catalog("en").get(key)
    if text is None:
        return key
    return text.format_map(_Lenient(params))
