"""Run a review: the areas in order, then the decision step over every finding.

The stages only flow forward: the config is read, each area returns an
:class:`~auditkit._area.AreaResult`, the decision step (:func:`auditkit.risk.decision_step`)
reads every finding and is stored on the :class:`Review` as a typed object; the outputs
(:func:`auditkit.report.write_review`) render and write the review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditkit._area import AreaResult, InputRecord, MetricRow, ReviewContext, ReviewOptions
from auditkit._config import AuditConfig
from auditkit._findings import Finding, worst_status
from auditkit._version import __version__
from auditkit.data import review_data
from auditkit.explain import review_explain
from auditkit.fairness import review_fairness
from auditkit.performance import review_performance
from auditkit.risk import DecisionStep, decision_step

__all__ = [
    "AREAS",
    "FINDINGS_SCHEMA",
    "Area",
    "Review",
    "config_input_paths",
    "review_input_paths",
    "run_review",
]

FINDINGS_SCHEMA = "auditkit.findings/1"

Area = Callable[[AuditConfig, ReviewContext], AreaResult]

# The areas, run in this order; the decision step runs after them all.
AREAS: tuple[tuple[str, Area], ...] = (
    ("data", review_data),
    ("fairness", review_fairness),
    ("performance", review_performance),
    ("explain", review_explain),
)


@dataclass
class Review:
    """Everything a review found, ready to be written or rendered."""

    config: AuditConfig
    findings: list[Finding]
    metrics: list[MetricRow]
    sections: dict[str, Any]
    files: dict[str, bytes]
    inputs: list[InputRecord]
    lang: str = "en"
    decision: DecisionStep | None = None

    @property
    def status(self) -> str:
        """The worst status over all findings."""
        return worst_status(f.status for f in self.findings)

    def findings_document(self) -> dict[str, Any]:
        """The content of ``findings.json``: no clock, no absolute path, sorted."""
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        pilot = self.config.pilot.model_dump(mode="json")
        return {
            "schema": FINDINGS_SCHEMA,
            "auditkit_version": __version__,
            "pilot": pilot,
            "inputs": [record.to_dict() for record in self.inputs],
            "summary": {"status": self.status, "counts": dict(sorted(counts.items()))},
            "findings": [f.to_dict() for f in sorted(self.findings, key=lambda f: f.id)],
            "metrics": self.metrics,
            **{key: self.sections[key] for key in sorted(self.sections)},
        }


def run_review(
    config: AuditConfig,
    *,
    lang: str = "en",
    options: ReviewOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> Review:
    """Run every area of the review on ``config`` and collect the results.

    Raises
    ------
    AuditkitError
        For any bad input; nothing is written by this function.
    """
    context = ReviewContext(config=config, lang=lang, options=options or ReviewOptions())
    if progress is not None:
        context.progress = progress
    for name, area in AREAS:
        context.progress(name)
        context.results[name] = area(config, context)
    context.progress("risk")
    step = decision_step(config, context)
    results = list(context.results.values())
    sections: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for result in results:
        sections.update(result.sections)
        files.update(result.files)
    sections["decision"] = step.summary
    return Review(
        config=config,
        findings=[f for r in results for f in r.findings] + step.findings,
        metrics=[row for r in results for row in r.metrics],
        sections=sections,
        files=files,
        inputs=list(context.inputs),
        lang=lang,
        decision=step,
    )


def config_input_paths(config: AuditConfig) -> list[Path]:
    """The config file and every path it names, resolved against the config's folder."""
    paths: list[Path] = [config.source] if config.source is not None else []

    def collect(value: Any) -> None:
        if isinstance(value, Path):
            paths.append(config.resolve(value))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect(config.model_dump(mode="python"))
    return paths


def review_input_paths(review: Review) -> list[Path]:
    """Every file the review read or was pointed at: the config, its paths, the inputs."""
    config = review.config
    return config_input_paths(config) + [
        config.resolve(Path(record.path)) for record in review.inputs
    ]
