"""The exit-code gate of ``auditkit review --fail-on``.

``--fail-on`` takes a finding status or a deployment decision:

* ``never``: never fails;
* ``fail``: any finding with status ``fail``; ``warn``: any ``warn`` or ``fail``
  (``insufficient_data``, ``needs_evidence`` and ``not_applicable`` never fail a status gate);
* a decision, ordered from best to worst ``go`` < ``go-with-conditions`` < ``escalate`` <
  ``no-go``: the gate fails when the review's decision is that one or worse. ``--fail-on
  go-with-conditions`` accepts only a clean GO; ``--fail-on escalate`` accepts GO and GO WITH
  CONDITIONS; ``--fail-on no-go`` fails only on NO-GO. A review without a decision (no risk
  area) fails every decision gate.
"""

from __future__ import annotations

from auditkit._errors import ConfigError
from auditkit.review._run import Review
from auditkit.risk import DECISIONS

__all__ = ["DECISION_ORDER", "FAIL_ON_CHOICES", "gate_failed"]

# status gates: exit 1 when any finding has this status or a worse one
_STATUS_GATES = {"warn": ("warn", "fail"), "fail": ("fail",)}
# decisions from best to worst, as the risk step spells them
DECISION_ORDER: tuple[str, ...] = DECISIONS
FAIL_ON_CHOICES: tuple[str, ...] = ("never", "warn", "fail", *DECISION_ORDER[1:])


def gate_failed(review: Review, fail_on: str) -> bool:
    """True when the review must exit with code 1 under ``--fail-on`` (see the module doc)."""
    if fail_on == "never":
        return False
    if fail_on in _STATUS_GATES:
        bad = _STATUS_GATES[fail_on]
        return any(f.status in bad for f in review.findings)
    if fail_on in DECISION_ORDER[1:]:
        decision = review.sections.get("decision", {}).get("decision")
        if decision not in DECISION_ORDER:
            return True
        return DECISION_ORDER.index(decision) >= DECISION_ORDER.index(fail_on)
    raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}; found '{fail_on}'.")
