"""Tidy the new project (standard library only).

Removes ``__pycache__`` folders (pip byte-compiles the template when auditkit is installed
from a wheel, and cookiecutter would copy them) and writes the answers, public keys only,
and the template's version, so the project can be re-baked or updated: no absolute paths, no
private keys.

Writes the impact questionnaire (``questionnaire.yaml``), exactly what
``auditkit questionnaire init --lang L`` writes, with the first auditkit at hand: imported in
cookiecutter's own Python (``auditkit new``, or cookiecutter installed beside auditkit), else the
``auditkit`` command on the PATH (e.g. both installed with pipx). With neither, the pilot is
baked without it and a note gives the one command; the pilot's CI runs that command when the
file is missing, and ``auditkit review`` names it too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ANSWERS_FILE = ".cookiecutter-answers.json"
QUESTIONNAIRE_FILE = "questionnaire.yaml"
QUESTIONNAIRE_COMMAND = "auditkit questionnaire init --lang {language} --out questionnaire.yaml"
# The first line of every answers template auditkit writes (the unrelated "auditkit" on the
# package index writes something else).
QUESTIONNAIRE_SCHEMA = "schema: auditkit.answers/1"
QUESTIONNAIRE_NOTE = {
    "es": "Nota: auditkit no está disponible aquí, así que questionnaire.yaml (el cuestionario "
    "de impacto) no se escribió. En la carpeta del piloto, con auditkit instalado: {command}",
    "pt": "Nota: o auditkit não está disponível aqui, então questionnaire.yaml (o questionário "
    "de impacto) não foi escrito. Na pasta do piloto, com o auditkit instalado: {command}",
    "en": "Note: auditkit is not available here, so questionnaire.yaml (the impact "
    "questionnaire) was not written. In the pilot's folder, with auditkit installed: {command}",
}

# Files of each pilot type, relative to the project ("{package}" is the Python package). The
# files of the types not chosen are removed; then RENAMES put the chosen type's files in place.
PILOT_FILES: dict[str, tuple[str, ...]] = {
    "demand-forecast": (
        "src/{package}/__main__.py",
        "src/{package}/backtest.py",
        "src/{package}/contract.py",
        "src/{package}/features.py",
        "src/{package}/history.py",
        "src/{package}/holidays.py",
        "src/{package}/ingest.py",
        "src/{package}/model.py",
        "src/{package}/pipeline.py",
        "src/{package}/sample.py",
        "src/{package}/settings.py",
        "src/{package}/tracking.py",
        "src/{package}/zoning.py",
        "tests/conftest.py",
        "tests/test_contract.py",
        "tests/test_features.py",
        "tests/test_ingest.py",
        "tests/test_pipeline.py",
        "config/pilot.yaml",
        "audit.yaml",
        "README.md",
        "docs/model_card.md",
        "docs/datasheet.md",
    ),
    "request-triage": (
        "src/{package}/triage",
        "src/{package}/_triage_main.py",
        "tests/conftest_triage.py",
        "tests/test_triage_contract.py",
        "tests/test_triage_redaction.py",
        "tests/test_triage_pipeline.py",
        "config/pilot_triage.yaml",
        "audit_triage.yaml",
        "README_triage.md",
        "docs/model_card_triage.md",
        "docs/datasheet_triage.md",
    ),
}
RENAMES: dict[str, dict[str, str]] = {
    "request-triage": {
        "src/{package}/_triage_main.py": "src/{package}/__main__.py",
        "tests/conftest_triage.py": "tests/conftest.py",
        "config/pilot_triage.yaml": "config/pilot.yaml",
        "audit_triage.yaml": "audit.yaml",
        "README_triage.md": "README.md",
        "docs/model_card_triage.md": "docs/model_card.md",
        "docs/datasheet_triage.md": "docs/datasheet.md",
    },
}


def keep_pilot_type(root: Path, pilot_type: str, package: str) -> list[Path]:
    """Remove the files of the other pilot types, put the chosen type's in place; return what was removed."""
    removed = []
    for other, paths in PILOT_FILES.items():
        if other == pilot_type:
            continue
        for relative in paths:
            path = root / relative.format(package=package)
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            else:
                continue
            removed.append(path)
    for source, target in RENAMES.get(pilot_type, {}).items():
        (root / source.format(package=package)).replace(root / target.format(package=package))
    return removed


def remove_pycache(root: Path) -> list[Path]:
    """Delete every ``__pycache__`` folder under ``root``; return what was removed."""
    removed = sorted(root.rglob("__pycache__"), reverse=True)
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def public_answers(context: dict[str, object]) -> dict[str, object]:
    """The answers a user gave, without cookiecutter's private keys (``_template``, ...).

    The template's version is kept as ``_template_version``: cookiecutter ignores keys it does
    not know, so the file still re-bakes the pilot with a newer template.
    """
    answers = {key: value for key, value in context.items() if not key.startswith("_")}
    if context.get("__template_version"):
        answers["_template_version"] = context["__template_version"]
    return dict(sorted(answers.items()))


def write_answers(root: Path, context: dict[str, object]) -> Path:
    """Write the public answers as JSON into ``root``."""
    path = root / ANSWERS_FILE
    text = json.dumps(public_answers(context), ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def questionnaire_from_import(language: str) -> str | None:
    """auditkit's answers template in ``language``, if auditkit can be imported here."""
    try:
        from auditkit.risk import answers_template
    except ImportError:  # not installed in cookiecutter's Python, or another "auditkit"
        return None
    return str(answers_template(language))


def questionnaire_from_command(language: str) -> str | None:
    """The answers template from the ``auditkit`` command on the PATH, if it is auditkit's."""
    command = shutil.which("auditkit")
    if command is None:
        return None
    try:
        done = subprocess.run(
            [command, "questionnaire", "init", "--lang", language],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or QUESTIONNAIRE_SCHEMA not in text.splitlines():
        return None
    return text.replace("\r\n", "\n")


QUESTIONNAIRE_SOURCES: tuple[Callable[[str], str | None], ...] = (
    questionnaire_from_import,
    questionnaire_from_command,
)


def write_questionnaire(
    root: Path,
    language: str,
    sources: tuple[Callable[[str], str | None], ...] = QUESTIONNAIRE_SOURCES,
) -> Path | None:
    """Write ``questionnaire.yaml`` from the first source that gives it; None when none does.

    When none does, a note on stderr gives the command that writes it.
    """
    for source in sources:
        text = source(language)
        if text is not None:
            path = root / QUESTIONNAIRE_FILE
            path.write_text(text, encoding="utf-8")
            return path
    note = QUESTIONNAIRE_NOTE.get(language, QUESTIONNAIRE_NOTE["en"])
    print(note.format(command=QUESTIONNAIRE_COMMAND.format(language=language)), file=sys.stderr)
    return None


def main(rendered: str, root: Path) -> int:
    """Run the post-generation steps in ``root`` (the new project's folder)."""
    context = json.loads(rendered)
    keep_pilot_type(root, str(context.get("pilot_type", "demand-forecast")), str(context["__package"]))
    remove_pycache(root)
    write_answers(root, context)
    write_questionnaire(root, str(context.get("language", "en")))
    return 0


if __name__ == "__main__":
    sys.exit(main(r'{{ cookiecutter | tojson }}', Path.cwd()))
