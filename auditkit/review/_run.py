"""Run a review: areas in order, then the outputs, written all at once or not at all."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from auditkit._config import AuditConfig
from auditkit._errors import InputDataError
from auditkit._findings import Finding, worst_status
from auditkit._version import __version__
from auditkit.review._context import AreaResult, InputRecord, ReviewContext
from auditkit.review._manifest import MANIFEST_NAME, build_manifest, review_time

__all__ = [
    "AREAS",
    "FINDINGS_SCHEMA",
    "Review",
    "config_input_paths",
    "review_input_paths",
    "run_review",
    "write_review",
]

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


def write_review(review: Review, out_dir: Path) -> list[Path]:
    """Write ``findings.json``, the reports, the areas' files and ``manifest.json``.

    ``out_dir`` is checked first (:func:`auditkit.review._outdir.prepare_output_folder`): it must
    be new, empty or hold exactly an earlier review's bundle, and none of the inputs. The bundle
    is rendered into a staging folder next to ``out_dir`` and swapped in as a whole, so a
    failure or a Ctrl-C leaves either the previous bundle or the new one, never a mix; files of
    the earlier bundle are removed only when their hash matches its manifest.

    Raises
    ------
    InputDataError
        ``out_dir`` may not be written (the message says why) or writing failed.
    """
    from auditkit.privacy import check_publishable
    from auditkit.report import render_html, render_markdown, report_figures
    from auditkit.review._outdir import (
        check_output_name,
        discard,
        prepare_output_folder,
        staging_folder,
        swap_in,
    )

    folder = prepare_output_folder(out_dir, inputs=review_input_paths(review))
    created = review_time()
    # the reports' own charts, written beside them so that report.md links what report.html shows
    figures = report_figures(review)
    outputs: dict[str, bytes] = {
        "findings.json": dumps_json(review.findings_document()).encode("utf-8"),
        "report.md": render_markdown(review, figures=figures).encode("utf-8"),
        "report.html": render_html(review, created=created, figures=figures).encode("utf-8"),
    }
    outputs.update(figures)
    outputs.update(review.files)
    for name in outputs:
        check_output_name(name)
    if "decision.json" in outputs:
        # decision.json names the same inputs as findings.json and the manifest (verify checks)
        decision = json.loads(outputs["decision.json"])
        decision["inputs"] = [record.to_dict() for record in review.inputs]
        outputs["decision.json"] = dumps_json(decision).encode("utf-8")
    # No output leaves the review with personal data in it (raises before anything is written).
    from auditkit.privacy._publish import declared_public

    check_publishable(
        outputs, country=review.config.pilot.country, public=declared_public(review.config)
    )
    manifest = build_manifest(outputs, review.inputs, created=created)
    outputs[MANIFEST_NAME] = dumps_json(manifest).encode("utf-8")
    staging: Path | None = None
    swapped = False
    try:
        staging = staging_folder(folder)
        for name, content in sorted(outputs.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        swap_in(staging, folder)
        swapped = True
    except OSError as err:
        raise InputDataError(
            f"--out {out_dir}: the review could not be written ({err.strerror or err}); "
            "nothing was changed there.",
            hint="Check that the folder's parent exists and is writable.",
        ) from None
    finally:
        if staging is not None and not swapped and staging.exists():
            discard(staging)
    return [folder.path / name for name in sorted(outputs)]
