"""``auditkit new`` and ``auditkit update``: bake a city pilot offline, take template updates.

Thin over :mod:`auditkit.scaffold`.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from auditkit._errors import TemplateError
from auditkit._resources import resource_path
from auditkit.cli._common import guarded

__all__ = ["new", "parse_answers", "update"]

# answer -> the pre-generation hook's check for it
_CHECKS = {
    "project_slug": "check_slug",
    "country": "check_country",
    "language": "check_language",
    "pilot_type": "check_pilot_type",
    "service_categories": "check_categories",
    "equity_attribute": "check_equity_attribute",
    "mlflow_tracking_uri": "check_tracking_uri",
}


def _template_questions(template: Path) -> list[str]:
    """The answer names the template asks for (public keys of its cookiecutter.json)."""
    raw = json.loads((template / "cookiecutter.json").read_text(encoding="utf-8"))
    return [key for key in raw if not key.startswith("_")]


def _hook_module(template: Path) -> ModuleType:
    """Import the template's pre-generation hook (plain Python, also before rendering)."""
    path = template / "hooks" / "pre_gen_project.py"
    spec = importlib.util.spec_from_file_location("_auditkit_template_pre_gen", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with auditkit
        raise TemplateError("the template's pre-generation hook cannot be loaded.", file=path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_answers(pairs: list[str], *, template: Path) -> dict[str, str]:
    """Turn ``key=value`` pairs into answers, checking names and values before baking.

    Raises
    ------
    TemplateError
        For a pair without ``=``, an unknown question, or a value the template rejects.
    """
    questions = _template_questions(template)
    hook = _hook_module(template)
    answers: dict[str, str] = {}
    problems: list[str] = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise TemplateError(
                f"answers are given as key=value; found {pair!r}.",
                hint=f"For example: auditkit new city=Zapopan country=MX language=es. "
                f"Questions: {', '.join(questions)}.",
            )
        if key not in questions:
            raise TemplateError(
                f"unknown question {key!r}. The template asks: {', '.join(questions)}."
            )
        answers[key] = value
        check = _CHECKS.get(key)
        message = getattr(hook, check)(value) if check else None
        if message:
            problems.append(message)
    if problems:
        raise TemplateError(" ".join(problems))
    return answers


@guarded
def new(
    answers: Annotated[
        list[str] | None,
        typer.Argument(
            help="Answers as key=value, e.g. city=Zapopan country=MX language=es "
            "project_slug=zapopan-demanda-servicios.",
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Folder to create the project in.")
    ] = Path("."),
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Do not ask: use the answers given and defaults.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Write into an existing project folder.")
    ] = False,
) -> None:
    """Create a city pilot: service-demand forecasting tracked in MLflow, ready to audit.

    Works offline from the template bundled with auditkit. Asks the questions (city, country,
    language, ...) unless --no-input is given.
    """
    from auditkit.scaffold import bake_pilot

    template = resource_path("template")
    extra: dict[str, Any] = parse_answers(answers or [], template=template)
    project = bake_pilot(extra, output_dir=output_dir, no_input=no_input, overwrite=overwrite)
    typer.echo(str(project))
    _next_steps(project)


def _next_steps(project: Path) -> None:
    """Tell the user what to run next, on stderr, in the pilot's language."""
    from auditkit.i18n import translate

    answers_file = project / ".cookiecutter-answers.json"
    answers = json.loads(answers_file.read_text(encoding="utf-8"))
    lang = answers.get("language", "en")
    package = str(answers.get("project_slug", project.name)).replace("-", "_")
    typer.echo(translate("new.created", lang, path=project), err=True)
    source = str(answers.get("auditkit_source", ""))
    for key in ("new.step_install", "new.step_auditkit", "new.step_train", "new.step_review"):
        text = translate(key, lang, path=project, package=package, source=source)
        typer.echo("  " + text, err=True)


@guarded
def update(
    project: Annotated[
        Path, typer.Argument(help="The pilot's folder (a git repository with .cruft.json).")
    ] = Path("."),
    checkout: Annotated[
        str | None,
        typer.Option(help="Template branch, tag or commit to update to (default: the latest)."),
    ] = None,
) -> None:
    """Bring template changes into a pilot made by 'auditkit new', keeping local edits.

    Uses cruft: the pilot's template is re-baked at its old and new commit with the same
    answers and the difference is applied as a patch. Exit 0 when applied cleanly (review with
    git diff), 1 when some changes clash with local edits (the files are listed: conflict
    markers or *.rej), 2 on bad input.
    """
    from auditkit.i18n import translate
    from auditkit.scaffold import ANSWERS_FILE, update_pilot

    result = update_pilot(project, checkout=checkout)
    lang = "en"
    answers_file = project / ANSWERS_FILE
    if answers_file.is_file():
        lang = str(json.loads(answers_file.read_text(encoding="utf-8")).get("language", "en"))
    if result.old_commit == result.new_commit:
        typer.echo(translate("new.update_none", lang, commit=result.new_commit or "?"), err=True)
        return
    typer.echo(
        translate(
            "new.update_done",
            lang,
            old=(result.old_commit or "?")[:12],
            new=(result.new_commit or "?")[:12],
        ),
        err=True,
    )
    if result.unresolved:
        typer.echo(translate("new.update_rejected", lang, count=len(result.unresolved)), err=True)
        for path in result.unresolved:
            typer.echo(f"  {path.relative_to(project)}", err=True)
        raise typer.Exit(code=1)
