"""Log a written review bundle to MLflow as a run linked to the model run it reviewed.

The run is searchable the way ``docs/compare.md`` describes:

* tags ``auditkit.kind = review``, ``auditkit.decision``, ``auditkit.tier``, ``auditkit.city``,
  ``auditkit.country``, ``auditkit.pilot`` (the slug), ``auditkit.pilot_name``,
  ``auditkit.pilot_type``, ``auditkit.task``, ``auditkit.status``,
  ``auditkit.lang``, ``auditkit.version`` and the SHA-256 of ``manifest.json`` and
  ``findings.json`` (so a copy of the bundle can be checked against the run);
* the comparable indicators (:mod:`auditkit.tracking._indicators`): ``auditkit.tier_status``,
  ``auditkit.equity_gap_group``... as tags, ``audit.skill``, ``audit.equity_gap`` and its
  interval, ``audit.under_reporting_ratio``, ``audit.blocking_open``... as metrics, and
  ``auditkit.reviewed_at`` (the review's time, from its manifest);
* metrics ``audit.findings.<status>`` (counts) and ``audit.worst_ratio.<metric>`` (descriptive:
  the judged group ratio furthest from parity, per fairness metric);
* the tag ``auditkit.latest = true`` on the newest review of each pilot (per experiment, pilot
  and city), ``false`` on the earlier ones, so one search lists every pilot's latest review;
* the per-group metric rows of ``findings.json`` as the table artifact ``audit_metrics.json``
  (shown by the MLflow UI), and the whole bundle (reports, findings, manifest, figures) as
  artifacts under ``audit/``.

**The link to the model run.** With ``model_run_id`` the review run is created in the model
run's experiment, tagged ``auditkit.reviewed_run_id = <model run id>`` and made its child
(``mlflow.parentRunId``), so the UI shows it nested under the training run; the model run gets
``auditkit.review_run_id`` and ``auditkit.review_decision`` pointing back. Without it the run goes
to the experiment named after the pilot's slug (one experiment per pilot, the one training
uses). Either way the experiment gets the pilot's tags (city, country, pilot, pilot type) when it
lacks them. The vocabulary is written down in ``docs/mlflow.md``.

Logging reads the bundle from disk, after ``write_review`` wrote it and after
``verify_bundle`` confirmed it is intact, so a review whose server was down can be logged later
from the same folder (``auditkit log``) and nothing is lost.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._errors import InputDataError, TrackingError
from auditkit._io import file_sha256
from auditkit.review._manifest import read_bundle_json, read_manifest, verify_bundle
from auditkit.tracking._indicators import indicator_metrics, indicator_tags
from auditkit.tracking._store import tracking_client, tracking_defaults

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = [
    "METRIC_TABLE",
    "REVIEW_KIND",
    "TIERS",
    "LoggedReview",
    "experiment_tags",
    "log_bundle",
    "metric_table",
    "review_metrics",
    "review_order",
    "review_tags",
    "slugify",
]

REVIEW_KIND = "review"
TIERS: dict[str, int] = {"I": 1, "II": 2, "III": 3, "IV": 4}
_STATUSES = ("fail", "warn", "needs_evidence", "insufficient_data", "pass", "not_applicable")
_JUDGED = ("pass", "warn", "fail")


@dataclass(frozen=True)
class LoggedReview:
    """Where a review was logged."""

    run_id: str
    experiment_id: str
    tracking_uri: str
    reviewed_run_id: str | None = None


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise InputDataError("is missing from the review folder.", file=path)
    return read_bundle_json(path)  # within the input limits (size, nesting)


def _decision(folder: Path, findings: Mapping[str, Any]) -> Mapping[str, Any]:
    path = folder / "decision.json"
    data = _read_json(path) if path.is_file() else findings.get("decision")
    return data if isinstance(data, Mapping) else {}


def _tier_label(tier: Any) -> str | None:
    """``III`` from decision.json's tier object, or from a plain value."""
    if isinstance(tier, Mapping):
        return str(tier.get("tier_roman") or tier.get("tier") or "") or None
    return None if tier is None else str(tier)


def _tier_number(tier: Any) -> int | None:
    if isinstance(tier, Mapping):
        tier = tier.get("tier")
    if isinstance(tier, int) and not isinstance(tier, bool):
        return tier
    if isinstance(tier, str):
        text = tier.strip().upper().removeprefix("TIER").strip()
        if text in TIERS:
            return TIERS[text]
        if text.isdigit():
            return int(text)
    return None


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: the pilot's id when audit.yaml gives no slug.

    Examples
    --------
    >>> slugify("Demanda de servicios São Paulo (piloto 2)")
    'demanda-de-servicios-sao-paulo-piloto-2'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def experiment_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags a pilot's experiment carries (the same as a training run sets)."""
    keys = ("auditkit.city", "auditkit.country", "auditkit.pilot", "auditkit.pilot_type")
    return {key: tags[key] for key in keys if tags.get(key)}


def review_tags(findings: Mapping[str, Any], decision: Mapping[str, Any]) -> dict[str, str]:
    """The ``auditkit.*`` tags of a review run, from ``findings.json`` and the decision.

    ``auditkit.pilot`` is the pilot's slug and ``auditkit.pilot_type`` its type, as on the
    training runs (``docs/mlflow.md``); the display name is ``auditkit.pilot_name``.
    """
    pilot = findings.get("pilot") or {}
    code = decision.get("decision")
    tier = _tier_label(decision.get("tier"))
    tags = {
        "auditkit.kind": REVIEW_KIND,
        "auditkit.decision": str(code).upper().replace(" ", "_").replace("-", "_")
        if code
        else "none",
        "auditkit.tier": str(tier) if tier is not None else "none",
        "auditkit.city": str(pilot.get("city") or ""),
        "auditkit.country": str(pilot.get("country") or "").upper(),
        "auditkit.pilot": str(pilot.get("slug") or slugify(str(pilot.get("name") or ""))),
        "auditkit.pilot_name": str(pilot.get("name") or ""),
        "auditkit.pilot_type": str(pilot.get("type") or pilot.get("task") or ""),
        "auditkit.task": str(pilot.get("task") or ""),
        "auditkit.lang": str(pilot.get("language") or ""),
        "auditkit.status": str((findings.get("summary") or {}).get("status") or ""),
        "auditkit.version": str(findings.get("auditkit_version") or ""),
    }
    tags.update(indicator_tags(findings, decision))
    return tags


def _distance(ratio: float) -> float:
    return abs(math.log(ratio)) if ratio > 0 else math.inf


def review_metrics(findings: Mapping[str, Any], decision: Mapping[str, Any]) -> dict[str, float]:
    """The ``audit.*`` metrics of a review run.

    Examples
    --------
    >>> doc = {"summary": {"counts": {"fail": 1}}, "findings": [], "metrics": [
    ...     {"area": "fairness", "metric": "fpr", "group": "a", "reference_group": "b",
    ...      "ratio": 0.5, "status": "fail", "suppressed": False},
    ...     {"area": "fairness", "metric": "fpr", "group": "c", "reference_group": "b",
    ...      "ratio": 1.5, "status": "warn", "suppressed": False}]}
    >>> m = review_metrics(doc, {"tier": "III"})
    >>> m["audit.worst_ratio.fpr"], m["audit.tier"]
    (0.5, 3.0)
    """
    counts = (findings.get("summary") or {}).get("counts") or {}
    metrics: dict[str, float] = {
        f"audit.findings.{status}": float(counts.get(status, 0)) for status in _STATUSES
    }
    worst: dict[str, float] = {}
    for row in findings.get("metrics") or []:
        ratio = row.get("ratio")
        if (
            row.get("area") != "fairness"
            or row.get("suppressed")
            or row.get("status") not in _JUDGED
            or row.get("group") == row.get("reference_group")
            or not isinstance(ratio, int | float)
            or ratio <= 0
        ):
            continue
        name = str(row["metric"])
        if name not in worst or _distance(ratio) > _distance(worst[name]):
            worst[name] = float(ratio)
    for name, ratio in sorted(worst.items()):
        metrics[f"audit.worst_ratio.{name}"] = ratio
    tier = _tier_number(decision.get("tier"))
    if tier is not None:
        metrics["audit.tier"] = float(tier)
    metrics.update(indicator_metrics(findings, decision))
    return metrics


def _experiment_id(client: MlflowClient, name: str) -> str:
    from mlflow.exceptions import MlflowException

    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return str(experiment.experiment_id)
    try:
        return str(client.create_experiment(name))
    except MlflowException:
        # another review created it at the same moment
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            raise
        return str(experiment.experiment_id)


def log_bundle(
    folder: Path,
    *,
    tracking_uri: str | None = None,
    model_run_id: str | None = None,
    experiment: str | None = None,
) -> LoggedReview:
    """Log the review in ``folder`` to MLflow.

    Parameters
    ----------
    folder : Path
        A folder written by ``auditkit review``; it must verify against its manifest.
    tracking_uri : str, optional
        ``sqlite:///mlflow.db``, ``http://host:5000``...; default MLflow's (``MLFLOW_TRACKING_URI``
        or ``sqlite:///mlflow.db`` in the working folder). A new SQLite store is created safely
        even when several reviews start at once (:func:`auditkit.tracking.tracking_client`).
    model_run_id : str, optional
        The MLflow run of the model that was reviewed: the review joins its experiment and links
        to it both ways.
    experiment : str, optional
        Experiment name when no model run is given; default the pilot's slug.

    Raises
    ------
    InputDataError
        The folder is not an intact review bundle.
    TrackingError
        The tracking store is unreachable or refused, or ``model_run_id`` does not exist.
    """
    with tracking_defaults():
        return _log_bundle(
            folder, tracking_uri=tracking_uri, model_run_id=model_run_id, experiment=experiment
        )


def _log_bundle(
    folder: Path,
    *,
    tracking_uri: str | None = None,
    model_run_id: str | None = None,
    experiment: str | None = None,
) -> LoggedReview:
    from mlflow.entities import Metric, Param, RunTag
    from mlflow.exceptions import MlflowException

    check = verify_bundle(folder)
    if not check.ok:
        raise InputDataError(
            "changed since the review (run auditkit verify on it); a tampered review is not "
            "logged.",
            file=folder,
        )
    findings = _read_json(folder / "findings.json")
    # The same gate as when the review was written: nothing with personal data leaves the
    # machine, even from a bundle whose manifest was rewritten by hand after an edit.
    from auditkit.privacy import check_publishable
    from auditkit.privacy._publish import declared_in_decision

    country = (findings.get("pilot") or {}).get("country")
    bundle = {name: (folder / name).read_bytes() for name in sorted(read_manifest(folder)["files"])}
    check_publishable(bundle, country=country, public=declared_in_decision(bundle))
    decision = _decision(folder, findings)
    tags = review_tags(findings, decision)
    tags["auditkit.manifest_sha256"] = check.manifest_sha256
    tags["auditkit.reviewed_at"] = str(read_manifest(folder).get("created") or "")
    tags["auditkit.latest"] = "true"
    tags["auditkit.findings_sha256"] = file_sha256(folder / "findings.json")
    metrics = review_metrics(findings, decision)
    fairness = findings.get("fairness") or {}
    params = {
        "lang": tags["auditkit.lang"],
        "fairness.band": ",".join(str(b) for b in fairness.get("band") or []),
        "fairness.min_group_size": str(fairness.get("min_group_size", "")),
        "privacy.min_cell": str(fairness.get("min_cell", "")),
        "fairness.bootstrap": str(fairness.get("bootstrap", "")),
    }
    for record in findings.get("inputs") or []:
        params[f"input.{record['role']}.sha256"] = str(record["sha256"])

    client, uri = tracking_client(tracking_uri)
    run_id: str | None = None
    try:
        if model_run_id:
            try:
                model_run = client.get_run(model_run_id)
            except MlflowException as err:
                raise TrackingError(
                    f"--model-run-id {model_run_id}: no such run at {uri} ({err.error_code})."
                ) from err
            experiment_id = str(model_run.info.experiment_id)
            tags["auditkit.reviewed_run_id"] = model_run_id
            tags["mlflow.parentRunId"] = model_run_id
        else:
            experiment_id = _experiment_id(client, experiment or tags["auditkit.pilot"])
        _tag_experiment(client, experiment_id, experiment_tags(tags))
        tags["mlflow.note.content"] = _note(tags, metrics)
        now = int(time.time() * 1000)
        run = client.create_run(
            experiment_id, start_time=now, tags=tags, run_name=f"review · {tags['auditkit.pilot']}"
        )
        run_id = run.info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric(k, v, now, 0) for k, v in sorted(metrics.items())],
            params=[Param(k, v) for k, v in sorted(params.items()) if v],
        )
        client.log_artifacts(run_id, str(folder), artifact_path="audit")
        table = metric_table(findings)
        if table:
            client.log_table(run_id, data=table, artifact_file=METRIC_TABLE)
        if model_run_id:
            client.log_batch(
                model_run_id,
                tags=[
                    RunTag("auditkit.review_run_id", run_id),
                    RunTag("auditkit.review_decision", tags["auditkit.decision"]),
                ],
            )
        _mark_latest(client, experiment_id, run_id)
        client.set_terminated(run_id, status="FINISHED")
    except TrackingError:
        raise
    except Exception as err:  # MlflowException, requests and store errors alike
        if run_id is not None:
            _mark_failed(client, run_id)
        raise TrackingError(
            f"logging to MLflow at {uri} failed: {type(err).__name__}: {_first_line(err)}"
        ) from err
    return LoggedReview(
        run_id=run_id, experiment_id=experiment_id, tracking_uri=uri, reviewed_run_id=model_run_id
    )


METRIC_TABLE = "audit_metrics.json"


def metric_table(findings: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The metric rows of ``findings.json`` (one per attribute × group × metric) as columns.

    Logged with :meth:`mlflow.MlflowClient.log_table`, so the MLflow UI shows them as a table of
    the run; suppressed rows keep their labels and no numbers (as in ``findings.json``).

    Examples
    --------
    >>> table = metric_table({"metrics": [{"area": "fairness", "attribute": "zone",
    ...     "group": "a", "metric": "wape", "value": 0.2, "ratio": 1.1}]})
    >>> table["group"], table["ratio"], table["n"]
    (['a'], [1.1], [None])
    """
    from auditkit._area import METRIC_ROW_KEYS

    rows = [r for r in findings.get("metrics") or [] if isinstance(r, Mapping)]
    if not rows:
        return {}
    return {key: [row.get(key) for row in rows] for key in METRIC_ROW_KEYS}


def _mark_latest(client: MlflowClient, experiment_id: str, run_id: str) -> None:
    """Keep ``auditkit.latest = true`` on the newest review of the pilot, ``false`` elsewhere.

    "Newest" is the latest review time (``auditkit.reviewed_at``), then the latest logging
    time, the order :func:`auditkit.tracking.compare_reviews` uses; so a review logged late
    (``auditkit log`` of an old folder) does not displace a newer one.
    """
    this = client.get_run(run_id)
    key = (this.data.tags.get("auditkit.pilot"), this.data.tags.get("auditkit.city"))
    runs: list[Any] = []
    token = None
    while True:
        page = client.search_runs(
            [experiment_id],
            filter_string=f"tags.`auditkit.kind` = '{REVIEW_KIND}'",
            max_results=1000,
            page_token=token,
        )
        runs.extend(page)
        token = page.token
        if not token:
            break
    same = [
        r
        for r in runs
        if (r.data.tags.get("auditkit.pilot"), r.data.tags.get("auditkit.city")) == key
    ]
    newest = max(same, key=review_order)
    for run in same:
        wanted = "true" if run.info.run_id == newest.info.run_id else "false"
        if run.data.tags.get("auditkit.latest") != wanted:
            client.set_tag(run.info.run_id, "auditkit.latest", wanted)


def review_order(run: Any) -> tuple[str, int, str]:
    """Sort key of review runs, oldest first: review time, logging time, run id."""
    return (
        str(run.data.tags.get("auditkit.reviewed_at") or ""),
        int(run.info.start_time or 0),
        str(run.info.run_id),
    )


def _tag_experiment(client: MlflowClient, experiment_id: str, tags: Mapping[str, str]) -> None:
    """Set the pilot's experiment tags that are missing (training usually set them already).

    Reviews logged at the same moment may race to set the same tag: when the store refuses a
    duplicate, the tag is there, which is all that matters.
    """
    from mlflow.exceptions import MlflowException

    present = client.get_experiment(experiment_id).tags
    for key, value in sorted(tags.items()):
        if key in present:
            continue
        try:
            client.set_experiment_tag(experiment_id, key, value)
        except MlflowException:
            if key not in client.get_experiment(experiment_id).tags:
                raise


def _mark_failed(client: MlflowClient, run_id: str) -> None:
    try:
        client.set_terminated(run_id, status="FAILED")
    except Exception:  # the store is the thing that failed; the run stays RUNNING
        return


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else ""


def _note(tags: Mapping[str, str], metrics: Mapping[str, float]) -> str:
    """The run description shown in the MLflow UI."""
    lines = [
        f"**auditkit review** of *{tags['auditkit.pilot']}* ({tags['auditkit.city']}, "
        f"{tags['auditkit.country']}): decision **{tags['auditkit.decision']}**, "
        f"tier {tags['auditkit.tier']}, status {tags['auditkit.status']}.",
        "",
        "Open `audit/report.html` in the artifacts; `audit/manifest.json` lists the SHA-256 of "
        "every file (`auditkit verify`).",
    ]
    if "audit.equity_gap" in metrics:
        lines.insert(
            1,
            f"Equity gap: {metrics['audit.equity_gap']:.3g} for "
            f"{tags.get('auditkit.equity_gap_group', '')} "
            f"({tags.get('auditkit.equity_gap_attribute', '')}).",
        )
    return "\n".join(lines)
