"""Read the audit bundle a register entry is made from: findings, decision and manifest.

The bundle is the folder ``auditkit review`` wrote (its ``--out``). Three files are required;
each must be the kind of document auditkit writes (its ``schema`` tag). The bundle is checked
against its ``manifest.json`` first: a register entry built from a bundle whose files were
changed after the review would publish facts the review never produced, so a tampered bundle is
refused (exit 2), never warned about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit._errors import InputDataError
from auditkit._io import file_sha256

__all__ = ["Bundle", "read_bundle"]

_REQUIRED = {
    "findings.json": "auditkit.findings/1",
    "decision.json": "auditkit.decision/1",
    "manifest.json": "auditkit.manifest/1",
}


@dataclass(frozen=True)
class Bundle:
    """The parsed documents of one review bundle and their digests."""

    folder: Path
    findings: dict[str, Any]
    decision: dict[str, Any]
    manifest: dict[str, Any]
    digests: dict[str, str]

    @property
    def pilot(self) -> dict[str, Any]:
        """The ``pilot`` block of ``findings.json`` (name, task, city, country, language)."""
        pilot = self.findings.get("pilot")
        return pilot if isinstance(pilot, dict) else {}

    def finding_list(self) -> list[dict[str, Any]]:
        """Every finding of the review, in file order."""
        found = self.findings.get("findings")
        return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []


def _load(folder: Path, name: str, schema: str) -> dict[str, Any]:
    path = folder / name
    if not path.is_file():
        raise InputDataError(
            f"the review bundle has no {name} (expected the files auditkit review writes: "
            f"{', '.join(sorted(_REQUIRED))}).",
            file=folder,
            hint="Pass the --out folder of auditkit review, or run the review again.",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputDataError(f"is not valid JSON: {err}.", file=path) from err
    found = data.get("schema") if isinstance(data, dict) else type(data).__name__
    if not isinstance(data, dict) or found != schema:
        raise InputDataError(
            f"field 'schema': expected '{schema}', found {found!r}; this is not the {name} of "
            "an auditkit review.",
            file=path,
        )
    return data


def read_bundle(folder: Path) -> Bundle:
    """Read and check a review bundle.

    Parameters
    ----------
    folder : Path
        The ``--out`` folder of ``auditkit review``.

    Raises
    ------
    InputDataError
        The folder, ``findings.json``, ``decision.json`` or ``manifest.json`` is missing or not
        an auditkit document, or a file changed after the review (``auditkit verify`` fails).
    """
    from auditkit.review._manifest import verify_bundle

    if not folder.is_dir():
        raise InputDataError(
            "expected the folder of a review (the --out of auditkit review); "
            + ("found a file." if folder.exists() else "it does not exist."),
            file=folder,
        )
    documents = {name: _load(folder, name, schema) for name, schema in _REQUIRED.items()}
    check = verify_bundle(folder)
    if not check.ok:
        problems = [f"changed: {n}" for n in check.changed]
        problems += [f"missing: {n}" for n in check.missing]
        problems += [f"extra: {n}" for n in check.extra]
        raise InputDataError(
            "the review bundle does not match its manifest.json ("
            + "; ".join(problems)
            + "), so its facts cannot be published.",
            file=folder,
            hint="Run auditkit review again to get an intact bundle; `auditkit verify` shows "
            "the same check.",
        )
    digests = {name: file_sha256(folder / name) for name in sorted(_REQUIRED)}
    return Bundle(
        folder=folder,
        findings=documents["findings.json"],
        decision=documents["decision.json"],
        manifest=documents["manifest.json"],
        digests=digests,
    )
