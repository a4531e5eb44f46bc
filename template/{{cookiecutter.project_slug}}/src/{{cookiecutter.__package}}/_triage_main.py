{% if cookiecutter.language == "es" -%}
"""Línea de comandos: ``python -m {{ cookiecutter.__package }} [sample|validate|train|explain]``."""

{%- elif cookiecutter.language == "pt" -%}
"""Linha de comando: ``python -m {{ cookiecutter.__package }} [sample|validate|train|explain]``."""
{%- else -%}
"""Command line: ``python -m {{ cookiecutter.__package }} [sample|validate|train|explain]``."""
{%- endif %}

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from {{ cookiecutter.__package }}.triage.contract import ContractError
from {{ cookiecutter.__package }}.triage.settings import load_settings

{% if cookiecutter.language == "es" -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: triaje de mensajes de residentes al área que corresponde.",
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
{%- elif cookiecutter.language == "pt" -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: triagem de mensagens de moradores para a área certa.",
    "config": "arquivo de configuração do piloto",
    "sample": "gera as mensagens sintéticas de exemplo (data/raw/, data/zones.csv)",
    "force": "sobrescreve os arquivos existentes",
    "validate": "valida as mensagens com o contrato e o mapeamento de colunas, e apaga os dados pessoais",
    "train": "apaga os dados pessoais, treina, faz o backtest, exporta e registra a execução no MLflow",
    "no_log": "não registra no MLflow",
    "explain": "sugere a área de uma mensagem e diz por quê (a mensagem é apagada antes)",
    "message": "o texto da mensagem",
    "reasons": "Área sugerida: {category} (confiança {confidence:.0%}){person}. Mensagem apagada: {text}",
    "person": "; vai para uma pessoa",
    "term": "  {term}: {contribution:+.3f}",
    "written": "Gravado: {path}",
    "valid": "Dados válidos: {kept} de {read} mensagens, {zones} zonas, {categories} categorias; dados pessoais apagados: {redacted}.",
    "trained": "Backtest: macro-F1 {macro_f1:.3f} (linha de base de palavras-chave {baseline:.3f}); para uma pessoa {to_person:.1%} (limiar {threshold}).",
    "run": "Execução do MLflow: {run_id}  (veja com: mlflow ui --backend-store-uri {uri})",
    "seconds": "Tempo: {seconds:.1f} s",
    "error": "Erro: {message}",
}
{%- else -%}
MESSAGES = {
    "description": "{{ cookiecutter.__project_name_q }}: triage of residents' messages to the right department.",
    "config": "the pilot's settings file",
    "sample": "write the synthetic sample messages (data/raw/, data/zones.csv)",
    "force": "overwrite existing files",
    "validate": "validate the messages against the contract and the column mapping, and redact personal data",
    "train": "redact personal data, train, backtest, export and log the run to MLflow",
    "no_log": "do not log to MLflow",
    "explain": "suggest a message's department and say why (the message is redacted first)",
    "message": "the message's text",
    "reasons": "Suggested department: {category} (confidence {confidence:.0%}){person}. Redacted message: {text}",
    "person": "; goes to a person",
    "term": "  {term}: {contribution:+.3f}",
    "written": "Written: {path}",
    "valid": "Data valid: {kept} of {read} messages, {zones} zones, {categories} categories; personal values redacted: {redacted}.",
    "trained": "Backtest: macro-F1 {macro_f1:.3f} (keyword baseline {baseline:.3f}); to a person {to_person:.1%} (threshold {threshold}).",
    "run": "MLflow run: {run_id}  (see it with: mlflow ui --backend-store-uri {uri})",
    "seconds": "Time: {seconds:.1f} s",
    "error": "Error: {message}",
}
{%- endif %}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m {{ cookiecutter.__package }}", description=MESSAGES["description"])
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
            from {{ cookiecutter.__package }}.triage.pipeline import make_sample

            for path in make_sample(settings, force=args.force):
                print(MESSAGES["written"].format(path=path))
        elif command == "validate":
            from {{ cookiecutter.__package }}.triage.pipeline import load_data

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
            from {{ cookiecutter.__package }}.triage.reasons import load_model, reasons

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
            from {{ cookiecutter.__package }}.triage.pipeline import train

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
