"""Entrenar: leer (o generar) los mensajes, borrar los datos personales, hacer el backtest, ajustar el modelo final, exportar, revisar lo exportado, registrar."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import skops.io

from guadalajara_triaje_mensajes import COUNTRY
from guadalajara_triaje_mensajes.triage.backtest import check_classes, rolling_origin
from guadalajara_triaje_mensajes.triage.contract import ContractError, check_zones, load_messages, load_zones
from guadalajara_triaje_mensajes.triage.model import build_classifier, classification_metrics
from guadalajara_triaje_mensajes.triage.redaction import redact
from guadalajara_triaje_mensajes.triage.sample import generate, write_sample
from guadalajara_triaje_mensajes.triage.settings import Settings


@dataclass
class TrainResult:
    """What a training run produced."""

    metrics: dict[str, float]
    rows: dict[str, int]
    run_id: str | None
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0


def make_sample(settings: Settings, *, force: bool = False) -> tuple[Path, Path]:
    """Write the synthetic sample to data.messages / data.zones unless they already exist."""
    data, sample = settings.data, settings.sample
    if force or not data.messages.exists() or not data.zones.exists():
        messages, zones, _ = generate(
            categories=settings.categories,
            equity_attribute=settings.equity_attribute,
            country=COUNTRY,
            zones=sample.zones,
            weeks=sample.weeks,
            messages_per_week=sample.messages_per_week,
            start=sample.start,
            seed=sample.seed,
        )
        write_sample(messages, zones, data.messages, data.zones)
    return data.messages, data.zones


def load_data(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Read, validate and REDACT the messages; read the zones. Returns (messages, zones, row accounting)."""
    if settings.data.source == "sample":
        make_sample(settings)
    zones = load_zones(settings.data, settings.equity_attribute)
    messages, rows = load_messages(settings.data, settings.categories)
    messages = check_zones(messages, zones, settings.data, rows)
    messages, redacted = redact(messages, country=COUNTRY)
    rows.update(redacted)
    return messages, zones, rows


def vocabulary(model) -> pd.DataFrame:
    """Every term the model knows (words and character n-grams), with its weight in the TF-IDF."""
    frames = []
    for name, vectorizer in model.named_steps["features"].transformer_list:
        terms = vectorizer.get_feature_names_out()
        frames.append(pd.DataFrame({"analyzer": name, "term": terms, "idf": vectorizer.idf_.round(4)}))
    return pd.concat(frames, ignore_index=True)


def scan_outputs(paths: list[Path]) -> None:
    """Refuse to go on when any output holds personal data (auditkit's scan: kinds and counts, never values)."""
    from auditkit.privacy import scan_path

    problems = []
    for path in paths:
        for hit in scan_path(path, country=COUNTRY).hits:
            problems.append(f"{path.name}: column '{hit.column}' holds {hit.kind} ({hit.rows} rows)")
    if problems:
        raise ContractError(
            "Personal data in the pilot's outputs; nothing was logged. " + "; ".join(problems) + "."
            " Extend the redaction (triage/redaction.py) before training again."
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(settings: Settings, *, log: bool = True) -> TrainResult:
    """Run the whole pilot: backtest, final model, exports, the scan of the exports and the MLflow run."""
    started = time.perf_counter()
    messages, zones, rows = load_data(settings)
    stratum = settings.equity_attribute
    messages = messages.merge(zones[["zone", stratum]], on="zone", how="left")
    categories = tuple(sorted(messages["category"].unique()))

    results = rolling_origin(messages, settings)
    threshold = settings.model.review_threshold
    metrics = classification_metrics(
        results["category"],
        results["y_pred"],
        results["confidence"],
        baseline=results["y_baseline"],
        categories=categories,
        threshold=threshold,
    )
    check_classes(messages["category"], settings, where=str(settings.data.messages))
    model = build_classifier(settings.model).fit(messages["text"], messages["category"])

    out = settings.outputs
    out.mkdir(parents=True, exist_ok=True)
    predictions = pd.DataFrame(
        {
            "message_id": results["message_id"],
            "received_at": results["received_at"].dt.strftime("%Y-%m-%dT%H:%M"),
            "zone": results["zone"],
            stratum: results[stratum],
            "channel": results["channel"],
            "fold": results["fold"],
            "origin": results["origin"].dt.strftime("%Y-%m-%d"),
            # each message is classified when it arrives, from its own text only
            "prediction_time": results["received_at"].dt.strftime("%Y-%m-%d"),
            "feature_time": results["received_at"].dt.strftime("%Y-%m-%d"),
            "y_true": results["category"],
            "y_pred": results["y_pred"],
            "confidence": results["confidence"].round(4),
            # the model's own chance of a misroute: the audit judges its calibration (y_score)
            "misroute_risk": (1 - results["confidence"]).round(4),
            "to_person": (results["confidence"] < threshold).astype(int),
            "misrouted": (results["category"] != results["y_pred"]).astype(int),
            "y_baseline": results["y_baseline"],
        }
    )
    paths = {
        "predictions": out / "predictions.csv",
        "messages": out / "messages.parquet",
        "features": out / "features.parquet",
        "vocabulary": out / "vocabulary.csv",
        "metrics": out / "metrics.json",
        "rows": out / "rows.json",
        "zones": out / "zones.csv",
        "model": out / "model.skops",
    }
    predictions.to_csv(paths["predictions"], index=False)
    # the validated, redacted messages in the contract's columns, for the data and explanation checks
    redacted = messages[["message_id", "received_at", "channel", "text", "zone", "category", stratum]]
    redacted.assign(text=redacted["text"].astype(str)).to_parquet(paths["messages"], index=False)
    # the model's input (redacted text) for each backtest prediction, in the same order, for the explanations
    features = results[["message_id"]].merge(messages[["message_id", "text"]], on="message_id", how="left")
    features.assign(text=features["text"].astype(str)).to_parquet(paths["features"], index=False)
    vocabulary(model).to_csv(paths["vocabulary"], index=False)
    paths["metrics"].write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    paths["rows"].write_text(json.dumps(rows, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    zones[["zone", "population", stratum]].to_csv(paths["zones"], index=False)
    skops.io.dump(model, paths["model"])
    scan_outputs([p for key, p in paths.items() if key != "model"])

    params: dict[str, object] = {
        "word_ngrams": list(settings.model.word_ngrams),
        "char_ngrams": list(settings.model.char_ngrams),
        "min_df": settings.model.min_df,
        "C": settings.model.C,
        "calibration_folds": settings.model.calibration_folds,
        "review_threshold": threshold,
        "seed": settings.model.seed,
        "backtest_folds": settings.backtest.folds,
        "backtest_test_weeks": settings.backtest.test_weeks,
        "data_source": settings.data.source,
        "data_sha256": _sha256(settings.data.messages),
        "n_messages": len(messages),
        "n_zones": zones["zone"].nunique(),
        "n_categories": len(categories),
        "n_terms": int(len(vocabulary(model))),
        "first_day": messages["received_at"].min().strftime("%Y-%m-%d"),
        "last_day": messages["received_at"].max().strftime("%Y-%m-%d"),
        "baseline": "keyword_rules",
        "equity_attribute": stratum,
        "redaction": "auditkit.privacy.redact_texts",
    }
    run_id = None
    if log:
        from guadalajara_triaje_mensajes.triage.tracking import log_training_run

        run_id = log_training_run(
            settings=settings,
            params=params,
            metrics={**metrics, **{k: float(v) for k, v in rows.items()}},
            model=model,
            model_path=paths["model"],
            example=messages["text"].head(5),
            predictions=predictions,
            dataset_source=settings.data.messages.name,
            artifacts=[paths["predictions"], paths["metrics"], paths["vocabulary"], paths["rows"]],
        )
    return TrainResult(metrics=metrics, rows=rows, run_id=run_id, outputs=paths, seconds=time.perf_counter() - started)
