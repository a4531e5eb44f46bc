"""``auditkit review``: audit a pilot from its ``audit.yaml``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit._languages import LANGUAGES
from auditkit.cli._common import guarded

__all__ = ["review"]


@guarded
def review(
    config: Annotated[
        Path, typer.Option("--config", "-c", help="The audit configuration (audit.yaml).")
    ] = Path("audit.yaml"),
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for findings.json and the reports.")
    ] = Path("audit"),
    lang: Annotated[
        str | None,
        typer.Option(help="Report language: es, pt or en (default: pilot.language in the config)."),
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Exit with code 1 when the gate fails: 'fail' (any failing finding), "
            "'warn' (any warning or failure), 'never', or a decision: 'go-with-conditions', "
            "'escalate' or 'no-go' (fails on that decision or a worse one; "
            "go < go-with-conditions < escalate < no-go).",
        ),
    ] = "fail",
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="Summary on stdout as text or as JSON."),
    ] = "text",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary, no progress.")] = False,
    trust_model: Annotated[
        bool,
        typer.Option(
            "--trust-model",
            help="Allow loading a model whose format runs code while loading (pickle, joblib, "
            "cloudpickle MLflow models) and any type in a skops file. Only for models from a "
            "source you trust.",
        ),
    ] = False,
    link_figures: Annotated[
        bool,
        typer.Option(
            "--link-figures",
            help="report.html shows the charts from figures/ beside it instead of embedding them "
            "(a lighter page; keep the folder with it).",
        ),
    ] = False,
    log_mlflow: Annotated[
        bool,
        typer.Option(
            "--log-mlflow",
            help="Also log the review to MLflow (tags, audit.* metrics, the bundle as artifacts).",
        ),
    ] = False,
    tracking_uri: Annotated[
        str | None,
        typer.Option(help="MLflow tracking URI for --log-mlflow (default: MLFLOW_TRACKING_URI)."),
    ] = None,
    model_run_id: Annotated[
        str | None,
        typer.Option(help="With --log-mlflow: the reviewed model's run, linked to the review."),
    ] = None,
) -> None:
    """Audit a pilot: fairness by group and every check the config enables.

    Writes findings.json, the reports and manifest.json into --out (a new or empty folder, or
    one an earlier review wrote: a user's own files are never replaced), prints a summary and
    the bundle digest (SHA-256 of manifest.json, for an approval record), and exits 0 when the
    gate passes, 1 when it fails, 2 for a usage or input error.
    """
    from auditkit._config import load_config
    from auditkit._errors import ConfigError
    from auditkit.cli._summary import print_summary
    from auditkit.report import write_review
    from auditkit.review import FAIL_ON_CHOICES, ReviewOptions, gate_failed, run_review

    if fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(
            f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}; found '{fail_on}'."
        )
    if (tracking_uri or model_run_id) and not log_mlflow:
        raise ConfigError("--tracking-uri and --model-run-id only apply with --log-mlflow.")
    if config.is_dir():
        config = config / "audit.yaml"
    audit_config = load_config(config)
    language = lang or audit_config.pilot.language
    if language not in LANGUAGES:
        raise ConfigError(f"--lang must be es, pt or en; found '{language}'.")
    # Usage errors first, before minutes of review: the output folder and the tracking store.
    from auditkit.review import config_input_paths, prepare_output_folder

    prepare_output_folder(out, inputs=config_input_paths(audit_config))
    if log_mlflow:
        from auditkit.tracking import check_tracking_uri

        check_tracking_uri(tracking_uri)
    show_progress = not quiet and output_format == "text" and sys.stderr.isatty()
    progress = (lambda step: typer.echo(f"… {step}", err=True)) if show_progress else None
    options = ReviewOptions(trust_model=trust_model, quiet=quiet or output_format == "json")
    result = run_review(audit_config, lang=language, options=options, progress=progress)
    written = write_review(result, out, embed_figures=not link_figures)
    from auditkit._io import file_sha256

    # The bundle's digest: an approval record quotes it, auditkit verify --digest checks it.
    digest = file_sha256(next(p for p in written if p.name == "manifest.json"))
    failed = gate_failed(result, fail_on)
    logged, tracking_error = None, None
    if log_mlflow:
        from auditkit._errors import TrackingError
        from auditkit.cli._log import log_review_folder

        try:
            logged = log_review_folder(
                out, tracking_uri=tracking_uri, model_run_id=model_run_id, experiment=None
            )
        except TrackingError as err:
            tracking_error = err
    if output_format == "json":
        summary = {
            "status": result.status,
            "gate": {"fail_on": fail_on, "failed": failed},
            "mlflow": logged.__dict__ if logged else None,
            "findings": [f.to_dict() for f in sorted(result.findings, key=lambda f: f.id)],
            "outputs": [str(p) for p in written],
            "bundle_sha256": digest,
        }
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    elif not quiet:
        print_summary(result, written=written, fail_on=fail_on, failed=failed)
        from auditkit.i18n import translate

        typer.echo(translate("review.digest", result.lang, digest=digest))
    if tracking_error is not None:
        raise tracking_error
    if logged and not quiet and output_format == "text":
        typer.echo(f"MLflow: run {logged.run_id} at {logged.tracking_uri}", err=True)
    if failed:
        raise typer.Exit(code=1)
