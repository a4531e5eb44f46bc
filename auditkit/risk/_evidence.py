"""The status of every checklist item: from findings, evidence files and attestations.

``auto`` items take the worst status of the findings that name them (earlier areas of the
review, and the risk area's own questionnaire checks); when no check produced any, an attestation
with evidence can stand in for it (checked by hand). ``artefact`` items need their evidence: a
file that exists and is not empty (relative to ``audit.yaml``) or a link. ``human`` items need an
attestation by a named person *and* evidence. An attestation ``no`` makes the item fail;
``not_applicable`` (with a note) takes it out. A missing evidence file makes the item
``needs_evidence``, never an error.

A ``register.json`` written by ``auditkit register`` is recognised as a register entry (kind
``register``) and the ``notice.html`` / ``notice.md`` beside it as its notice (kind ``notice``):
pointed at from EXP-04, EXP-05 or EXP-06 they settle the item, and the reason says that the
register entry and notice are the evidence. An entry without its next review date is
``incomplete`` (EXP-05 asks for that date; EVA-03 supplies it).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._findings import Finding, worst_status
from auditkit._io import file_sha256

if TYPE_CHECKING:
    from auditkit._config import Attestation, RiskConfig
    from auditkit.risk._playbook import Item, Playbook

__all__ = ["EvidenceRecord", "ItemState", "check_evidence", "item_states"]

_LINK = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class EvidenceRecord:
    """One piece of evidence and what was found."""

    ref: str
    kind: str  # "file", "folder", "link", "register", "notice"
    found: bool
    problem: str | None = None  # "missing", "empty", "incomplete"
    sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"ref": self.ref, "kind": self.kind, "found": self.found}
        if self.problem:
            data["problem"] = self.problem
        if self.sha256:
            data["sha256"] = self.sha256
        return data


def check_evidence(ref: str, base_dir: Path) -> EvidenceRecord:
    """Look at one evidence reference: a link is taken as given, a path must hold content."""
    if _LINK.match(ref):
        return EvidenceRecord(ref=ref, kind="link", found=True)
    path = Path(ref)
    if path.is_absolute():
        # outputs carry no absolute paths: show it relative to audit.yaml's folder
        ref = Path(os.path.relpath(path, base_dir)).as_posix()
    else:
        path = base_dir / path
    if path.is_dir():
        has_files = any(p.is_file() for p in path.rglob("*"))
        return EvidenceRecord(
            ref=ref, kind="folder", found=has_files, problem=None if has_files else "empty"
        )
    if not path.is_file():
        return EvidenceRecord(ref=ref, kind="file", found=False, problem="missing")
    if path.stat().st_size == 0:
        return EvidenceRecord(ref=ref, kind="file", found=False, problem="empty")
    kind, problem = _register_kind(path)
    return EvidenceRecord(
        ref=ref,
        kind=kind,
        found=problem is None,
        problem=problem,
        sha256=file_sha256(path),
    )


_REGISTER_SCHEMA = "auditkit.register/1"


def _register_entry(path: Path) -> dict[str, Any] | None:
    """The content of an ``auditkit register`` entry, or None for any other file."""
    if path.suffix != ".json" or path.stat().st_size > 5_000_000:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == _REGISTER_SCHEMA else None


def _register_kind(path: Path) -> tuple[str, str | None]:
    """("register" | "notice" | "file", problem) for an existing, non-empty file."""
    if path.name in ("notice.html", "notice.md"):
        sibling = path.parent / "register.json"
        if sibling.is_file() and _register_entry(sibling) is not None:
            return "notice", None
        return "file", None
    entry = _register_entry(path)
    if entry is None:
        return "file", None
    review = entry.get("review")
    next_review = review.get("next_review") if isinstance(review, dict) else None
    return "register", None if next_review else "incomplete"


@dataclass(frozen=True)
class ItemState:
    """Where one checklist item stands."""

    item: Item
    applies: bool
    blocking: bool
    status: str
    reason: str  # an i18n key under "risk.reason."
    evidence: tuple[EvidenceRecord, ...] = ()
    attestation: Attestation | None = None
    findings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        """Applies and is not settled (pass or not applicable)."""
        return self.applies and self.status not in ("pass", "not_applicable")

    def to_dict(self, lang: str) -> dict[str, Any]:
        from auditkit.i18n import translate

        data: dict[str, Any] = {
            "id": self.item.id,
            "section": self.item.section,
            "check": self.item.check,
            "title": self.item.title.get(lang),
            "min_tier": self.item.min_tier,
            "blocking_from_tier": self.item.blocking_from_tier,
            "applies": self.applies,
            "blocking": self.blocking,
            "status": self.status,
            "reason": translate(
                f"risk.reason.{self.reason}",
                lang,
                refs=", ".join(e.ref for e in self.evidence if not e.found),
                found=", ".join(e.ref for e in self.evidence if e.found),
            ),
            "evidence": [e.to_dict() for e in self.evidence],
            "findings": list(self.findings),
        }
        if self.item.auto_check:
            data["auto_check"] = self.item.auto_check
        if self.attestation is not None:
            data["attestation"] = {
                "answer": self.attestation.answer,
                "by": self.attestation.by,
                "date": self.attestation.date.isoformat() if self.attestation.date else None,
                "note": self.attestation.note,
            }
        return data


def _refs(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _status_from_evidence(records: list[EvidenceRecord]) -> tuple[str, str]:
    if not records:
        return "needs_evidence", "no_evidence"
    if any(r.problem == "missing" for r in records):
        return "needs_evidence", "evidence_missing"
    if any(r.problem == "incomplete" for r in records):
        return "needs_evidence", "register_incomplete"
    if any(not r.found for r in records):
        return "needs_evidence", "evidence_empty"
    if any(r.kind in ("register", "notice") for r in records):
        return "pass", "register_evidence"
    return "pass", "evidence_found"


def _one(
    item: Item,
    *,
    tier: int,
    extra_blocking: set[str],
    findings: list[Finding],
    evidence_refs: list[str],
    attestation: Attestation | None,
    base_dir: Path,
) -> ItemState:
    applies = item.applies(tier)
    blocking = applies and (item.blocks(tier) or item.id in extra_blocking)
    finding_ids = tuple(sorted(f.id for f in findings))
    refs = evidence_refs + (_refs(attestation.evidence) if attestation else [])
    records = [check_evidence(ref, base_dir) for ref in dict.fromkeys(refs)]
    common: dict[str, Any] = {
        "item": item,
        "applies": applies,
        "blocking": blocking,
        "evidence": tuple(records),
        "attestation": attestation,
        "findings": finding_ids,
    }
    if not applies:
        return ItemState(status="not_applicable", reason="below_tier", **common)
    if attestation is not None and attestation.answer == "not_applicable":
        return ItemState(status="not_applicable", reason="attested_not_applicable", **common)
    if attestation is not None and attestation.answer == "no":
        return ItemState(status="fail", reason="attested_no", **common)
    if item.check == "auto":
        if not findings and attestation is not None:
            # checked by hand (the automatic check could not run): an attested item with evidence
            status, reason = _status_from_evidence(records)
            return ItemState(status=status, reason=f"manual_{reason}", **common)
        if not findings:
            return ItemState(status="needs_evidence", reason="not_assessed", **common)
        worst = worst_status(f.status for f in findings)
        return ItemState(status=worst, reason="from_findings", **common)
    if item.check == "human" and attestation is None:
        return ItemState(status="needs_evidence", reason="no_attestation", **common)
    status, reason = _status_from_evidence(records)
    return ItemState(status=status, reason=reason, **common)


def item_states(
    playbook: Playbook,
    *,
    tier: int,
    findings: Iterable[Finding],
    risk: RiskConfig | None,
    base_dir: Path,
    extra_blocking: Iterable[str] = (),
) -> list[ItemState]:
    """The state of every item of ``playbook`` at ``tier``, in playbook order."""
    by_item: dict[str, list[Finding]] = {}
    for finding in findings:
        by_item.setdefault(finding.item, []).append(finding)
    evidence: Mapping[str, str | list[str]] = risk.evidence if risk else {}
    attestations: Mapping[str, Attestation] = risk.attestations if risk else {}
    blocking = set(extra_blocking)
    return [
        _one(
            item,
            tier=tier,
            extra_blocking=blocking,
            findings=by_item.get(item.id, []),
            evidence_refs=_refs(evidence.get(item.id)),
            attestation=attestations.get(item.id),
            base_dir=base_dir,
        )
        for item in playbook.items
    ]
