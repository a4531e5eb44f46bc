"""``auditkit log``: log a written review folder to MLflow (and ``review --log-mlflow``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from auditkit.cli._common import guarded

if TYPE_CHECKING:
    from auditkit.tracking import LoggedReview

__all__ = ["log", "log_review_folder"]


def log_review_folder(
    folder: Path,
    *,
    tracking_uri: str | None,
    model_run_id: str | None,
    experiment: str | None,
) -> LoggedReview:
    """Log ``folder`` to MLflow; a failure says the local review is intact and how to retry.

    Raises
    ------
    TrackingError
        With the retry command in its message.
    """
    from auditkit._errors import TrackingError
    from auditkit.tracking import log_bundle

    try:
        return log_bundle(
            folder, tracking_uri=tracking_uri, model_run_id=model_run_id, experiment=experiment
        )
    except TrackingError as err:
        retry = ["auditkit", "log", str(folder)]
        if tracking_uri:
            retry += ["--tracking-uri", tracking_uri]
        if model_run_id:
            retry += ["--model-run-id", model_run_id]
        if experiment:
            retry += ["--experiment", experiment]
        raise TrackingError(
            f"{err.message} The review itself is complete in {folder} (nothing is lost); "
            f"log it when the server is back with: {' '.join(retry)}",
            file=err.file,
        ) from err


@guarded
def log(
    folder: Annotated[
        Path, typer.Argument(help="The review folder (the --out of auditkit review).")
    ] = Path("audit"),
    tracking_uri: Annotated[
        str | None,
        typer.Option(
            help="MLflow tracking URI (default: MLFLOW_TRACKING_URI, else sqlite:///mlflow.db)."
        ),
    ] = None,
    model_run_id: Annotated[
        str | None,
        typer.Option(help="The MLflow run of the reviewed model: the review is linked to it."),
    ] = None,
    experiment: Annotated[
        str | None,
        typer.Option(help="Experiment when no model run is given (default: the pilot's slug)."),
    ] = None,
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="Result as text or as JSON.")
    ] = "text",
) -> None:
    """Log a review folder to MLflow as a run linked to the model run it reviewed.

    The folder must verify against its manifest. Exits 0 when logged, 2 when the folder is not
    an intact review or the tracking server is unreachable.
    """
    logged = log_review_folder(
        folder, tracking_uri=tracking_uri, model_run_id=model_run_id, experiment=experiment
    )
    if output_format == "json":
        typer.echo(json.dumps(logged.__dict__, indent=2))
    else:
        typer.echo(
            f"Logged to MLflow at {logged.tracking_uri}: run {logged.run_id} "
            f"(experiment {logged.experiment_id})."
        )
