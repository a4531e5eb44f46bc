"""``auditkit register`` as one library call: bundle in, register entry and notice out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from auditkit._errors import InputDataError
from auditkit._languages import LANGUAGES, Language
from auditkit.register._crosswalk import Standard

__all__ = ["RegisterResult", "make_register"]


@dataclass(frozen=True)
class RegisterResult:
    """What was written, and how complete the entry is."""

    files: list[Path]
    filled: int
    missing: list[dict[str, str | None]]
    record_id: str
    pilot_folder: Path | None


def _pilot_folder(audit_dir: Path, pilot_dir: Path | None) -> Path | None:
    """The pilot folder: as given, else the bundle's parent when it is a baked pilot."""
    if pilot_dir is not None:
        return pilot_dir
    parent = audit_dir.resolve().parent
    return parent if (parent / "docs" / "model_card.md").is_file() else None


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve() == folder.resolve() or folder.resolve() in path.resolve().parents


def make_register(
    audit_dir: Path,
    out_dir: Path,
    *,
    lang: Language | None = None,
    standard: Standard = "atrs",
    pilot_dir: Path | None = None,
) -> RegisterResult:
    """Write ``register.json``, ``notice.html`` and ``notice.md`` for a review bundle.

    Parameters
    ----------
    audit_dir : Path
        The review bundle (the ``--out`` of ``auditkit review``); it must pass
        ``auditkit verify``.
    out_dir : Path
        Where to write the three files; it must be outside ``audit_dir`` (a file added to the
        bundle would make it fail ``auditkit verify``).
    lang : Language, optional
        Language of the notice and of the entry's sentences; default the review's language.
    standard : {"atrs", "nl", "aia"}
        The standard whose field names ``register.json``'s ``export`` block uses.
    pilot_dir : Path, optional
        The baked pilot (``docs/model_card.md``, ``docs/datasheet.md``); default the bundle's
        parent folder when it holds a model card.

    Raises
    ------
    AuditkitError
        Bad inputs (exit code 2): a missing or tampered bundle, an output folder inside the
        bundle, personal data in an output. Nothing is written.
    """
    from auditkit.register._bundle import read_bundle
    from auditkit.register._entry import build_entry
    from auditkit.register._notice import build_notice, render_notice_html, render_notice_markdown
    from auditkit.register._pilot import read_pilot_docs
    from auditkit.register._publish import publish, validate_entry
    from auditkit.review._manifest import review_time

    if audit_dir.is_dir() and _inside(out_dir, audit_dir):
        raise InputDataError(
            f"-o: expected a folder outside the review bundle; found {out_dir}, inside "
            f"{audit_dir}. Files added to the bundle make `auditkit verify` fail.",
            hint="Write the register next to the bundle, e.g. -o transparency/.",
        )
    bundle = read_bundle(audit_dir)
    language = lang or bundle.pilot.get("language") or bundle.decision.get("language") or "en"
    if language not in LANGUAGES:
        raise InputDataError(
            f"field 'pilot.language': expected es, pt or en; found {language!r}.",
            file=audit_dir / "findings.json",
            hint="Pass --lang.",
        )
    pilot = _pilot_folder(audit_dir, pilot_dir)
    docs = read_pilot_docs(pilot)
    entry = build_entry(
        bundle,
        docs,
        lang=language,
        standard=standard,
        generated=review_time().date().isoformat(),
    )
    validate_entry(entry.document)
    notice = build_notice(entry)
    outputs = {
        "register.json": (
            json.dumps(entry.document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        ).encode("utf-8"),
        "notice.html": render_notice_html(notice).encode("utf-8"),
        "notice.md": render_notice_markdown(notice).encode("utf-8"),
    }
    files = publish(outputs, out_dir, country=entry.country)
    return RegisterResult(
        files=files,
        filled=entry.filled,
        missing=list(entry.document["missing"]),
        record_id=str(entry.document["record"]["id"]),
        pilot_folder=pilot,
    )
