"""Línea de comandos: ``python -m guadalajara_triaje_mensajes [sample|validate|train|explain]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guadalajara_triaje_mensajes.triage.contract import ContractError
from guadalajara_triaje_mensajes.triage.settings import load_settings

MESSAGES = {
    "description": "Triaje de mensajes Guadalajara: triaje de mensajes de residentes al área que corresponde.",
    "config": "archivo de configuración del piloto",
    "sample": "genera los mensajes sintéticos de ejemplo (data/raw/, data/zones.csv)",
    "force": "sobrescribe los archivos existentes",
    "validate": "valida los mensajes con el contrato y el mapeo de columnas, y borra los datos personales",
    "train": "borra los datos personales, entrena, hace el backtest, exporta y registra la corrida en MLflow",
    "no_log": "no registra en MLflow",
    "explain": "sugiere el área de un mensaje y dice por qué (el mensaje se borra antes)",
    "message": "el texto del mensaje",
    "reasons": "Área sugerida: {category} (confianza {confidence:.0%}){person}. Mensaje borrado: {text}",
    "person": "; va a una persona",
    "term": "  {term}: {contribution:+.3f}",
    "written": "Escrito: {path}",
    "valid": "Datos válidos: {kept} de {read} mensajes, {zones} zonas, {categories} categorías; datos personales borrados: {redacted}.",
    "trained": "Backtest: macro-F1 {macro_f1:.3f} (línea base de palabras clave {baseline:.3f}); a una persona {to_person:.1%} (umbral {threshold}).",
    "run": "Corrida de MLflow: {run_id}  (véala con: mlflow ui --backend-store-uri {uri})",
    "seconds": "Tiempo: {seconds:.1f} s",
    "error": "Error: {message}",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m guadalajara_triaje_mensajes", description=MESSAGES["description"])
    parser.add_argument("--config", type=Path, default=Path("config/pilot.yaml"), help=MESSAGES["config"])
    commands = parser.add_subparsers(dest="command")
    sample = commands.add_parser("sample", help=MESSAGES["sample"])
    sample.add_argument("--force", action="store_true", help=MESSAGES["force"])
    commands.add_parser("validate", help=MESSAGES["validate"])
    train = commands.add_parser("train", help=MESSAGES["train"])
    train.add_argument("--no-log", action="store_true", help=MESSAGES["no_log"])
    explain = commands.add_parser("explain", help=MESSAGES["explain"])
    explain.add_argument("message", help=MESSAGES["message"])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit 0 on success, 2 when the data or the settings are wrong."""
    args = _parser().parse_args(argv)
    command = args.command or "train"
    try:
        settings = load_settings(args.config)
        if command == "sample":
            from guadalajara_triaje_mensajes.triage.pipeline import make_sample

            for path in make_sample(settings, force=args.force):
                print(MESSAGES["written"].format(path=path))
        elif command == "validate":
            from guadalajara_triaje_mensajes.triage.pipeline import load_data

            messages, zones, rows = load_data(settings)
            redacted = sum(v for k, v in rows.items() if k.startswith("redacted_"))
            print(
                MESSAGES["valid"].format(
                    kept=rows["rows_kept"],
                    read=rows["rows_read"],
                    zones=zones["zone"].nunique(),
                    categories=messages["category"].nunique(),
                    redacted=redacted,
                )
            )
        elif command == "explain":
            from guadalajara_triaje_mensajes.triage.reasons import load_model, reasons

            model = load_model(settings.outputs / "model.skops")
            result = reasons(model, args.message, threshold=settings.model.review_threshold)
            person = MESSAGES["person"] if result.to_person else ""
            print(
                MESSAGES["reasons"].format(
                    category=result.category, confidence=result.confidence, person=person, text=result.text
                )
            )
            for term, contribution in result.terms:
                print(MESSAGES["term"].format(term=term, contribution=contribution))
        else:
            from guadalajara_triaje_mensajes.triage.pipeline import train

            result = train(settings, log=not getattr(args, "no_log", False))
            m = result.metrics
            print(
                MESSAGES["trained"].format(
                    macro_f1=m["macro_f1"],
                    baseline=m["baseline_macro_f1"],
                    to_person=m["to_person_rate"],
                    threshold=m["review_threshold"],
                )
            )
            for path in result.outputs.values():
                print(MESSAGES["written"].format(path=path.relative_to(settings.root)))
            if result.run_id:
                print(MESSAGES["run"].format(run_id=result.run_id, uri=settings.tracking_uri))
            print(MESSAGES["seconds"].format(seconds=result.seconds))
    except ContractError as err:
        print(MESSAGES["error"].format(message=err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
