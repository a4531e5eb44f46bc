"""``auditkit new``: bake a city pilot from the bundled cookiecutter template, offline."""

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

__all__ = ["bake_pilot", "new", "parse_answers"]

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


def bake_pilot(
    answers: dict[str, str],
    *,
    output_dir: Path,
    no_input: bool = True,
    overwrite: bool = False,
) -> Path:
    """Bake the bundled city-pilot template into ``output_dir``; return the new project's folder.

    Raises
    ------
    TemplateError
        If the folder exists (and ``overwrite`` is false) or the template rejects the answers.
    """
    from cookiecutter.exceptions import (
        FailedHookException,
        OutputDirExistsException,
        UndefinedVariableInTemplate,
    )
    from cookiecutter.main import cookiecutter

    template = resource_path("template")
    created = not output_dir.exists()
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        project = cookiecutter(
            str(template),
            no_input=no_input,
            extra_context=dict(answers),
            output_dir=str(output_dir),
            overwrite_if_exists=overwrite,
            accept_hooks=True,
        )
    except OutputDirExistsException as err:
        raise TemplateError(
            f"the project folder already exists ({str(err).removeprefix('Error: ')}).",
            hint="Choose another project_slug or --output-dir, or pass --overwrite.",
        ) from err
    except FailedHookException as err:
        _remove_if_empty(output_dir, created)
        raise TemplateError(
            "the template rejected the answers (see the messages above); nothing was written.",
        ) from err
    except UndefinedVariableInTemplate as err:
        _remove_if_empty(output_dir, created)
        raise TemplateError(f"the template could not be rendered: {err.message}.") from err
    return Path(project)


def _remove_if_empty(folder: Path, created: bool) -> None:
    """Leave no empty output folder behind when this bake created it and then failed."""
    if created and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


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
    for key in ("new.step_install", "new.step_train", "new.step_review"):
        typer.echo("  " + translate(key, lang, path=project, package=package), err=True)
