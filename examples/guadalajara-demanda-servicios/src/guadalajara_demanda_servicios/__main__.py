"""Línea de comandos: ``python -m guadalajara_demanda_servicios [sample|validate|train]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from guadalajara_demanda_servicios.contract import ContractError
from guadalajara_demanda_servicios.settings import load_settings

MESSAGES = {
    "description": "Demanda de servicios Guadalajara: pronóstico semanal de solicitudes por zona y categoría.",
    "config": "archivo de configuración del piloto",
    "sample": "genera los datos sintéticos de ejemplo (data/raw/, data/zones.csv)",
    "force": "sobrescribe los archivos existentes",
    "validate": "valida los datos con el contrato y el mapeo de columnas",
    "train": "entrena, hace el backtest, exporta las predicciones y registra la corrida en MLflow",
    "no_log": "no registra en MLflow",
    "written": "Escrito: {path}",
    "valid": "Datos válidos: {requests} solicitudes, {zones} zonas, {categories} categorías, {weeks} semanas completas.",
    "trained": "Backtest: MAE {mae:.2f} (línea base {baseline:.2f}), habilidad {skill:.1%}, cobertura del intervalo {coverage:.1%}.",
    "run": "Corrida de MLflow: {run_id}  (véala con: mlflow ui --backend-store-uri {uri})",
    "run_server": "Corrida de MLflow: {run_id}  (véala en {uri})",
    "seconds": "Tiempo: {seconds:.1f} s",
    "error": "Error: {message}",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m guadalajara_demanda_servicios",
        description=MESSAGES["description"],
    )
    parser.add_argument("--config", type=Path, default=Path("config/pilot.yaml"), help=MESSAGES["config"])
    commands = parser.add_subparsers(dest="command")
    sample = commands.add_parser("sample", help=MESSAGES["sample"])
    sample.add_argument("--force", action="store_true", help=MESSAGES["force"])
    commands.add_parser("validate", help=MESSAGES["validate"])
    train = commands.add_parser("train", help=MESSAGES["train"])
    train.add_argument("--no-log", action="store_true", help=MESSAGES["no_log"])
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; exit 0 on success, 2 when the data, the history or the settings are wrong."""
    args = _parser().parse_args(argv)
    command = args.command or "train"
    try:
        settings = load_settings(args.config)
        if command == "sample":
            from guadalajara_demanda_servicios.pipeline import make_sample

            for path in make_sample(settings, force=args.force):
                print(MESSAGES["written"].format(path=path))
        elif command == "validate":
            from guadalajara_demanda_servicios.pipeline import validate

            ingested = validate(settings, echo=print)
            weekly = ingested.weekly
            print(
                MESSAGES["valid"].format(
                    requests=len(ingested.requests),
                    zones=ingested.zones["zone"].nunique(),
                    categories=weekly["category"].nunique(),
                    weeks=weekly["week"].nunique(),
                )
            )
            print(MESSAGES["written"].format(path=(settings.outputs / "ingest.json").relative_to(settings.root)))
        else:
            from guadalajara_demanda_servicios.pipeline import train

            result = train(settings, log=not getattr(args, "no_log", False), echo=print)
            m = result.metrics
            print(
                MESSAGES["trained"].format(
                    mae=m["backtest_mae"],
                    baseline=m["baseline_mae"],
                    skill=m["skill_mae"],
                    coverage=m["interval_coverage"],
                )
            )
            for path in result.outputs.values():
                print(MESSAGES["written"].format(path=path.relative_to(settings.root)))
            if result.run_id:
                from guadalajara_demanda_servicios.tracking import tracking_uri

                uri = tracking_uri(settings)
                key = "run_server" if uri.startswith(("http://", "https://")) else "run"
                print(MESSAGES[key].format(run_id=result.run_id, uri=uri))
            print(MESSAGES["seconds"].format(seconds=result.seconds))
    except ContractError as err:
        print(MESSAGES["error"].format(message=err), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
