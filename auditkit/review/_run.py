"""Run a review: areas in order, then the outputs, written all at once or not at all."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from auditkit._config import AuditConfig
from auditkit._errors import AuditkitError
from auditkit._findings import Finding, worst_status
from auditkit._version import __version__
from auditkit.review._context import AreaResult, InputRecord, ReviewContext
from auditkit.review._manifest import MANIFEST_NAME, build_manifest, read_manifest, review_time

__all__ = ["AREAS", "FINDINGS_SCHEMA", "Review", "run_review", "write_review"]

FINDINGS_SCHEMA = "auditkit.findings/1"

# (name, "module:function"), run in this order. An area returns an AreaResult.
AREAS: list[tuple[str, str]] = [
    ("data", "auditkit.data._review:review_data"),
    ("fairness", "auditkit.fairness._review:review_fairness"),
    ("performance", "auditkit.performance._review:review_performance"),
    ("explain", "auditkit.explain._review:review_explain"),
    ("risk", "auditkit.risk._review:review_risk"),  # last: the decision reads every finding
]


@dataclass
class Review:
    """Everything a review found, ready to be written or rendered."""

    config: AuditConfig
    findings: list[Finding]
    metrics: list[dict[str, Any]]
    sections: dict[str, Any]
    files: dict[str, bytes]
    inputs: list[InputRecord]
    lang: str = "en"

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


def _area_function(spec: str) -> Callable[[AuditConfig, ReviewContext], AreaResult]:
    module, _, name = spec.partition(":")
    function: Callable[[AuditConfig, ReviewContext], AreaResult] = getattr(
        import_module(module), name
    )
    return function


def run_review(
    config: AuditConfig,
    *,
    lang: str = "en",
    options: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Review:
    """Run every area of the review on ``config`` and collect the results.

    Raises
    ------
    AuditkitError
        For any bad input; nothing is written by this function.
    """
    context = ReviewContext(config=config, lang=lang, options=dict(options or {}))
    if progress is not None:
        context.progress = progress
    for name, spec in AREAS:
        context.progress(name)
        context.results[name] = _area_function(spec)(config, context)
    results = list(context.results.values())
    sections: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for result in results:
        sections.update(result.sections)
        files.update(result.files)
    return Review(
        config=config,
        findings=[f for r in results for f in r.findings],
        metrics=[row for r in results for row in r.metrics],
        sections=sections,
        files=files,
        inputs=list(context.inputs),
        lang=lang,
    )


def dumps_json(data: Any) -> str:
    """Canonical JSON used for every output: UTF-8, sorted where order carries no meaning."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _previous_outputs(out_dir: Path) -> set[str]:
    """Files an earlier review wrote into ``out_dir`` (from its manifest), to replace them all."""
    try:
        listed = read_manifest(out_dir)["files"]
    except AuditkitError:
        return set()
    return {name for name in listed if ".." not in Path(name).parts}


def write_review(review: Review, out_dir: Path) -> list[Path]:
    """Write ``findings.json``, the reports, the areas' files and ``manifest.json``.

    Everything is rendered first into a temporary folder next to ``out_dir`` and then moved into
    place, so a failure leaves either the previous outputs or the new ones, never a mix. Files
    listed in the manifest of an earlier review in ``out_dir`` that this review does not write
    are removed, so that ``auditkit verify`` sees exactly this review's bundle.
    """
    from auditkit.report import render_html, render_markdown

    created = review_time()
    outputs: dict[str, bytes] = {
        "findings.json": dumps_json(review.findings_document()).encode("utf-8"),
        "report.md": render_markdown(review).encode("utf-8"),
        "report.html": render_html(review, created=created).encode("utf-8"),
    }
    outputs.update(review.files)
    # No output leaves the review with personal data in it (raises before anything is written).
    from auditkit.privacy import check_publishable
    from auditkit.privacy._publish import declared_public

    check_publishable(
        outputs, country=review.config.pilot.country, public=declared_public(review.config)
    )
    manifest = build_manifest(outputs, review.inputs, created=created)
    outputs[MANIFEST_NAME] = dumps_json(manifest).encode("utf-8")
    out_dir = out_dir.resolve()
    stale = _previous_outputs(out_dir) - set(outputs)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, content in sorted(outputs.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        out_dir.mkdir(exist_ok=True)
        written = []
        for name in sorted(outputs):
            final = out_dir / name
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, final)
            written.append(final)
        for name in sorted(stale):
            (out_dir / name).unlink(missing_ok=True)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
