{% if cookiecutter.language == "es" -%}
"""Línea de comandos: ``python -m {{ cookiecutter.__package }} [sample|validate|train]``."""
{%- elif cookiecutter.language == "pt" -%}
"""Linha de comando: ``python -m {{ cookiecutter.__package }} [sample|validate|train]``."""
{%- else -%}
"""Command line: ``python -m {{ cookiecutter.__package }} [sample|validate|train]``."""
{%- endif %}

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from {{ cookiecutter.__package }}.contract import ContractError
from {{ cookiecutter.__package }}.settings import load_settings

{% if cookiecutter.language == "es" -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: pronóstico semanal de solicitudes por zona y categoría.",
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
{%- elif cookiecutter.language == "pt" -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: previsão semanal de solicitações por zona e categoria.",
    "config": "arquivo de configuração do piloto",
    "sample": "gera os dados sintéticos de exemplo (data/raw/, data/zones.csv)",
    "force": "sobrescreve os arquivos existentes",
    "validate": "valida os dados com o contrato e o mapeamento de colunas",
    "train": "treina, faz o backtest, exporta as previsões e registra a execução no MLflow",
    "no_log": "não registra no MLflow",
    "written": "Gravado: {path}",
    "valid": "Dados válidos: {requests} solicitações, {zones} zonas, {categories} categorias, {weeks} semanas completas.",
    "trained": "Backtest: MAE {mae:.2f} (linha de base {baseline:.2f}), ganho {skill:.1%}, cobertura do intervalo {coverage:.1%}.",
    "run": "Execução do MLflow: {run_id}  (veja com: mlflow ui --backend-store-uri {uri})",
    "run_server": "Execução do MLflow: {run_id}  (veja em {uri})",
    "seconds": "Tempo: {seconds:.1f} s",
    "error": "Erro: {message}",
}
{%- else -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: weekly forecast of service requests per zone and category.",
    "config": "the pilot's settings file",
    "sample": "write the synthetic sample data (data/raw/, data/zones)",
    "force": "overwrite existing files",
    "validate": "validate the data against the contract and the column mapping",
    "train": "train, backtest, export predictions and log the run to MLflow",
    "no_log": "do not log to MLflow",
    "written": "Written: {path}",
    "valid": "Data valid: {requests} requests, {zones} zones, {categories} categories, {weeks} complete weeks.",
    "trained": "Backtest: MAE {mae:.2f} (baseline {baseline:.2f}), skill {skill:.1%}, interval coverage {coverage:.1%}.",
    "run": "MLflow run: {run_id}  (see it with: mlflow ui --backend-store-uri {uri})",
    "run_server": "MLflow run: {run_id}  (see it at {uri})",
    "seconds": "Time: {seconds:.1f} s",
    "error": "Error: {message}",
}
{%- endif %}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m {{ cookiecutter.__package }}",
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
            from {{ cookiecutter.__package }}.pipeline import make_sample

            for path in make_sample(settings, force=args.force):
                print(MESSAGES["written"].format(path=path))
        elif command == "validate":
            from {{ cookiecutter.__package }}.pipeline import validate

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
            from {{ cookiecutter.__package }}.pipeline import train

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
                from {{ cookiecutter.__package }}.tracking import tracking_uri

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
