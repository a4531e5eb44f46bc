"""The exit-code gate of ``auditkit review --fail-on``."""

from __future__ import annotations

from auditkit._errors import ConfigError
from auditkit.review._run import Review

__all__ = ["FAIL_ON_CHOICES", "gate_failed"]

# status gates: exit 1 when any finding has this status or a worse one
_STATUS_GATES = {"warn": ("warn", "fail"), "fail": ("fail",)}
FAIL_ON_CHOICES: tuple[str, ...] = ("never", "warn", "fail")


def gate_failed(review: Review, fail_on: str) -> bool:
    """True when the review must exit with code 1 under ``--fail-on``.

    ``never`` never fails; ``warn`` fails on any warn or fail; ``fail`` on any fail.
    ``insufficient_data`` and ``not_applicable`` never fail the gate.
    """
    if fail_on == "never":
        return False
    if fail_on in _STATUS_GATES:
        bad = _STATUS_GATES[fail_on]
        return any(f.status in bad for f in review.findings)
    raise ConfigError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}; found '{fail_on}'.")
