"""The gate before anything leaves a review: no output may carry personal data.

Every file a review writes (``findings.json``, ``report.md``, ``decision.json``, figures' text)
is scanned as an *artefact* before it is moved into place. One hit and nothing is published: the
error names the file, the key or line, and the kind of data, never the value.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

from auditkit._errors import AuditkitError
from auditkit.privacy._files import scan_many
from auditkit.privacy._text import find_personal

__all__ = [
    "PersonalDataError",
    "check_publishable",
    "declared_in_decision",
    "declared_public",
]

_KIND = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "national_id": "a national identifier",
    "person_name": "a person's name",
    "address": "a street address",
    "birth_date": "a date of birth",
    "coordinates": "precise coordinates",
}


class PersonalDataError(AuditkitError):
    """An output of the review holds personal data, so it was not published."""


def declared_public(config: Any) -> tuple[str, ...]:
    """Texts the audit config declares public on purpose: the pilot's name and city, who attests
    an item and who owns a condition ("Ana Ruiz, Dirección de Servicios") are accountable
    officials, named in the record.

    Only names are let through: an e-mail address or a phone number in those fields is still
    personal data.
    """
    risk = getattr(config, "risk", None)
    pilot = getattr(config, "pilot", None)
    # the pilot's own name and place are its public label ("Austin Service Demand")
    texts = [getattr(pilot, key, None) for key in ("name", "city")]
    texts += [a.by for a in getattr(risk, "attestations", {}).values()]
    texts += [c.owner for c in getattr(risk, "conditions", {}).values()]
    return tuple(
        sorted(
            {t for t in texts if t and t.strip() and not find_personal(t, names=False)},
            key=len,
            reverse=True,
        )
    )


def declared_in_decision(outputs: Mapping[str, bytes]) -> tuple[str, ...]:
    """:func:`declared_public` read back from a written bundle's ``decision.json`` (owners of
    conditions and attesters, which the review published from its config)."""
    raw = outputs.get("decision.json")
    if raw is None:
        return ()
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return ()
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("owner", "by") and isinstance(item, str):
                    texts.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return tuple(
        sorted(
            {t for t in texts if t.strip() and not find_personal(t, names=False)},
            key=len,
            reverse=True,
        )
    )


def _without(content: bytes, public: tuple[str, ...]) -> bytes:
    """``content`` with the declared public texts (and their HTML/JSON spellings) blanked."""
    if not public:
        return content
    text = content.decode("utf-8", errors="replace")
    for value in public:
        for spelling in {value, html.escape(value), json.dumps(value, ensure_ascii=False)[1:-1]}:
            text = text.replace(spelling, " ")
    return text.encode("utf-8")


def check_publishable(
    outputs: Mapping[str, bytes],
    *,
    country: str | None = None,
    public: tuple[str, ...] = (),
) -> None:
    """Scan each output (name -> content); raise if any holds personal data.

    The one publishing gate: the review's outputs, ``auditkit log`` and ``auditkit compare`` call
    it before anything is written or sent.

    Parameters
    ----------
    outputs : mapping of str to bytes
        File name (its suffix picks the reader) -> content.
    country : str, optional
        The pilot's country: region of national phone numbers.
    public : tuple of str
        Texts declared public by the audit config (:func:`declared_public`).

    Raises
    ------
    PersonalDataError
        Naming every file, key and kind found; nothing has been written.
    """
    problems = []
    # one scan of every file: the strings they share are examined once (each file's hits are
    # those of a scan of that file alone)
    scans = scan_many(
        [(name, _without(outputs[name], public)) for name in sorted(outputs)],
        country=country,
        as_="artefact",
        max_rows=None,
    )
    for scan in scans:
        name = scan.source
        for hit in scan.hits:
            where = "its text" if hit.column == "text" else f"'{hit.column}'"
            scheme = f" ({hit.scheme})" if hit.scheme else ""
            problems.append(f"{name}: {where} holds {_KIND.get(hit.kind, hit.kind)}{scheme}")
    if problems:
        raise PersonalDataError(
            "refusing to publish the review: personal data in its outputs ("
            + "; ".join(problems)
            + "). Nothing was written.",
            hint="Personal data must not reach group labels, column names or messages: "
            "pseudonymise the input columns behind them (e.g. group by zone, not by person).",
        )
