"""The registry of automatic checks.

Every finding names the check that produced it. Playbook items whose ``check`` is ``auto`` bind to
one of these names, and a test proves each binding exists. A check's default playbook item is the
one its findings carry.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHECKS", "CheckInfo"]


@dataclass(frozen=True)
class CheckInfo:
    """What a registered check is about."""

    area: str
    item: str
    summary: str


CHECKS: dict[str, CheckInfo] = {
    "fairness.group_coverage": CheckInfo(
        area="fairness",
        item="FAI-01",
        summary="Every group of every equity attribute is large enough to be measured; "
        "missing demographic values are reported as their own group.",
    ),
    "fairness.disparity": CheckInfo(
        area="fairness",
        item="FAI-02",
        summary="Each group's metric is within the tolerance band of the reference group.",
    ),
    "fairness.intersectional": CheckInfo(
        area="fairness",
        item="FAI-03",
        summary="Disparities between intersections of the equity attributes are within the band.",
    ),
}
