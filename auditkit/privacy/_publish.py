"""The gate before anything leaves a review: no output may carry personal data.

Every file a review writes (``findings.json``, ``report.md``, ``decision.json``, figures' text)
is scanned as an *artefact* before it is moved into place. One hit and nothing is published: the
error names the file, the key or line, and the kind of data, never the value.
"""

from __future__ import annotations

from collections.abc import Mapping

from auditkit._errors import AuditkitError
from auditkit.privacy._files import scan_bytes

__all__ = ["PersonalDataError", "check_publishable"]

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


def check_publishable(outputs: Mapping[str, bytes], *, country: str | None = None) -> None:
    """Scan each output (name -> content); raise if any holds personal data.

    Raises
    ------
    PersonalDataError
        Naming every file, key and kind found; nothing has been written.
    """
    problems = []
    for name in sorted(outputs):
        scan = scan_bytes(name, outputs[name], country=country, as_="artefact", max_rows=None)
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
