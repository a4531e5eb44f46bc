"""Findings: the one currency between checks, the decision and the reports.

A check is a pure function from inputs to a list of :class:`Finding`. A finding names the
playbook item it serves, its area, a status, a severity, a message key with parameters (translated
when a report is rendered) and the evidence behind it. Checks never print and never exit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

__all__ = [
    "DEFAULT_SEVERITY",
    "SEVERITIES",
    "STATUSES",
    "Finding",
    "Severity",
    "Status",
    "default_severity",
    "worst_status",
]

Status = Literal["pass", "fail", "warn", "insufficient_data", "needs_evidence", "not_applicable"]
Severity = Literal["info", "low", "medium", "high", "critical"]

STATUSES: tuple[str, ...] = get_args(Status)
SEVERITIES: tuple[str, ...] = get_args(Severity)

# How bad a finding is when its check does not say otherwise: by its status.
DEFAULT_SEVERITY: dict[str, Severity] = {"fail": "high", "warn": "medium"}


def default_severity(status: str) -> Severity:
    """The severity of a finding whose check does not set one: a fail is high, a warn medium.

    >>> default_severity("fail"), default_severity("warn"), default_severity("needs_evidence")
    ('high', 'medium', 'info')
    """
    return DEFAULT_SEVERITY.get(status, "info")


# How bad a status is when several are summarised into one (higher is worse).
_STATUS_RANK = {
    "not_applicable": 0,
    "pass": 1,
    "insufficient_data": 2,
    "needs_evidence": 3,
    "warn": 4,
    "fail": 5,
}


def worst_status(statuses: Iterable[str], *, default: Status = "not_applicable") -> Status:
    """Return the worst of ``statuses`` (fail > warn > needs_evidence > insufficient_data > pass).

    >>> worst_status(["pass", "warn", "insufficient_data"])
    'warn'
    >>> worst_status([])
    'not_applicable'
    """
    ranked = sorted(statuses, key=_STATUS_RANK.__getitem__)
    return ranked[-1] if ranked else default  # type: ignore[return-value]


@dataclass(frozen=True)
class Finding:
    """One result of one check about one thing.

    Parameters
    ----------
    id : str
        Unique and stable within a review, e.g. ``"fairness.disparity.race.selection_rate"``.
    check : str
        The registered check that produced it, e.g. ``"fairness.disparity"``.
    item : str
        The playbook item it serves, e.g. ``"FAI-02"``.
    area : str
        ``data``, ``performance``, ``fairness``, ``explain`` or ``risk``.
    status : Status
    severity : Severity
        How much a ``fail`` matters; the decision combines it with the risk tier.
    message : str
        A message key, translated when rendered (``auditkit.i18n``).
    params : Mapping
        Values the message refers to; JSON-serialisable, aggregates only.
    evidence : tuple of str
        Where the values come from (files, metric rows, artefacts).
    """

    id: str
    check: str
    item: str
    area: str
    status: Status
    severity: Severity
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Finding status must be one of {STATUSES}. Got {self.status!r}.")
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"Finding severity must be one of {SEVERITIES}. Got {self.severity!r}."
            )

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain JSON-ready data, keys in a fixed order."""
        return {
            "id": self.id,
            "check": self.check,
            "item": self.item,
            "area": self.area,
            "status": self.status,
            "severity": self.severity,
            "message": self.message,
            "params": dict(self.params),
            "evidence": list(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Inverse of :meth:`to_dict`."""
        return cls(
            id=data["id"],
            check=data["check"],
            item=data["item"],
            area=data["area"],
            status=data["status"],
            severity=data["severity"],
            message=data["message"],
            params=dict(data.get("params", {})),
            evidence=tuple(data.get("evidence", ())),
        )
