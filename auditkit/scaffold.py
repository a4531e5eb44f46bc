"""Bake city pilots from the bundled template, record where they came from, and update them.

A pilot baked by :func:`bake_pilot` carries its impact questionnaire, ``questionnaire.yaml``
(exactly what ``auditkit questionnaire init --lang L`` writes: generated at bake time, not kept in
the template), and two files at its root:

* ``.cookiecutter-answers.json`` — every public answer, plus ``_template_version``;
* ``.cruft.json`` — cruft's record of the template's source: ``template`` (a git URL or folder),
  ``commit``, ``checkout``, ``directory`` (``template``) and the ``context`` the bake used.

With that record, :func:`update_pilot` (``auditkit update``) uses cruft to bring a later template
into a pilot that has local edits: cruft re-bakes the old and the new template with the same
answers and applies the difference as a patch; what cannot be applied is left as ``*.rej`` files.

The template's version lives in ``template/cookiecutter.json`` (``__template_version``) beside
a content hash of ``template/`` (``__template_hash``); a test fails when the two disagree, with
the command that bumps them (``python -m auditkit.scaffold --bump minor``).

Where auditkit itself comes from (:func:`auditkit_origin`) is read from the installed
distribution's PEP 610 record (``pip install "auditkit-cities @ git+URL@COMMIT"``) or from the git
checkout an editable install runs from; it becomes the pilot's ``auditkit_source`` answer, the
pinned requirement its CI installs.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit._errors import TemplateError
from auditkit._resources import resource_path
from auditkit._version import __version__

__all__ = [
    "ANSWERS_FILE",
    "CRUFT_FILE",
    "DISTRIBUTION",
    "QUESTIONNAIRE_FILE",
    "REPOSITORY",
    "Origin",
    "UpdateResult",
    "auditkit_origin",
    "bake_pilot",
    "bump_template_version",
    "recorded_template_version",
    "template_hash",
    "update_pilot",
    "write_cruft_record",
    "write_questionnaire",
]

#: The distribution name on the package index (``import auditkit`` and the command stay).
DISTRIBUTION = "auditkit-cities"
#: Where auditkit's source (and so the template) is published.
REPOSITORY = "https://github.com/auditkit-cities/auditkit"
ANSWERS_FILE = ".cookiecutter-answers.json"
CRUFT_FILE = ".cruft.json"
QUESTIONNAIRE_FILE = "questionnaire.yaml"
_HASHED_KEYS = ("__template_version", "__template_hash")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Origin:
    """Where the running auditkit (and its template) comes from.

    Attributes
    ----------
    template : str
        What cruft clones to update a pilot: a git URL or the folder of a git checkout.
    commit : str | None
        The commit of that repository (a tag ``vX.Y.Z`` when only the version is known).
    requirement : str
        The pinned pip requirement a pilot's CI installs auditkit with.
    """

    template: str
    commit: str | None
    requirement: str


@dataclass(frozen=True)
class UpdateResult:
    """What ``auditkit update`` did to a pilot."""

    project: Path
    updated: bool
    old_commit: str | None
    new_commit: str | None
    rejected: list[Path] = field(default_factory=list)
    conflicts: list[Path] = field(default_factory=list)

    @property
    def unresolved(self) -> list[Path]:
        """Files the user must finish by hand: conflict markers, then ``*.rej`` hunks."""
        return [*self.conflicts, *self.rejected]


def _template_files(template: Path) -> list[Path]:
    return sorted(
        path
        for path in template.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )


def template_hash(template: Path | None = None) -> str:
    """SHA-256 over every file of ``template/`` (paths and bytes), the recorded version excluded.

    ``cookiecutter.json`` is hashed without its ``__template_version`` and ``__template_hash``
    keys, so recording the hash does not change it.
    """
    root = template or resource_path("template")
    digest = hashlib.sha256()
    for path in _template_files(root):
        data = path.read_bytes()
        if path == root / "cookiecutter.json":
            context = json.loads(data)
            for key in _HASHED_KEYS:
                context.pop(key, None)
            data = json.dumps(context, ensure_ascii=False, sort_keys=True).encode("utf-8")
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def recorded_template_version(template: Path | None = None) -> tuple[str, str]:
    """The ``(__template_version, __template_hash)`` recorded in ``template/cookiecutter.json``."""
    root = template or resource_path("template")
    context = json.loads((root / "cookiecutter.json").read_text(encoding="utf-8"))
    return str(context.get("__template_version", "")), str(context.get("__template_hash", ""))


def bump_template_version(
    template: Path | None = None, *, part: str = "minor", force: bool = False
) -> str:
    """Record a new template version and the current hash; return the new version.

    Does nothing (and returns the recorded version) when the hash already matches, unless
    ``force``.
    """
    root = template or resource_path("template")
    path = root / "cookiecutter.json"
    text = path.read_text(encoding="utf-8")
    version, recorded = recorded_template_version(root)
    current = template_hash(root)
    if recorded == current and not force:
        return version
    match = _VERSION.match(version)
    if match is None:
        raise TemplateError(f"__template_version must be MAJOR.MINOR.PATCH; found {version!r}.")
    major, minor, patch = (int(n) for n in match.groups())
    if part == "major":
        new = f"{major + 1}.0.0"
    elif part == "minor":
        new = f"{major}.{minor + 1}.0"
    else:
        new = f"{major}.{minor}.{patch + 1}"
    # edit the two lines in place: the rest of the file (and its hash) stays as written
    text = re.sub(r'("__template_version":\s*)"[^"]*"', rf'\g<1>"{new}"', text, count=1)
    text = re.sub(r'("__template_hash":\s*)"[^"]*"', rf'\g<1>"{current}"', text, count=1)
    path.write_text(text, encoding="utf-8")
    return new


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def _direct_url() -> dict[str, Any] | None:
    """PEP 610's ``direct_url.json`` of the installed distribution, if pip wrote one."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        text = distribution(DISTRIBUTION).read_text("direct_url.json")
    except PackageNotFoundError:
        return None
    try:
        data = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def auditkit_origin() -> Origin:
    """Where the running auditkit comes from, as precisely as it is known.

    1. Installed from git (``pip install "auditkit-cities @ git+URL@REF"``): that URL and commit.
    2. Running from a git checkout (editable install, the tests): the checkout's commit; cruft
       clones the checkout itself (or its ``origin`` remote), CI installs from :data:`REPOSITORY`.
    3. Otherwise (a wheel): the release tag ``v<version>`` of :data:`REPOSITORY`.
    """
    direct = _direct_url()
    vcs = (direct or {}).get("vcs_info") or {}
    if direct and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        url, commit = str(direct["url"]), str(vcs["commit_id"])
        return Origin(url, commit, f"{DISTRIBUTION} @ git+{url}@{commit}")
    template = resource_path("template")
    checkout = template.parent
    head = _git(checkout, "rev-parse", "HEAD") if (checkout / ".git").exists() else None
    if head:
        remote = _git(checkout, "remote", "get-url", "origin")
        public = remote if remote and remote.startswith("https://") else REPOSITORY
        return Origin(remote or str(checkout), head, f"{DISTRIBUTION} @ git+{public}@{head}")
    tag = f"v{__version__}"
    return Origin(REPOSITORY, tag, f"{DISTRIBUTION} @ git+{REPOSITORY}@{tag}")


def _remove_if_empty(folder: Path, created: bool) -> None:
    """Leave no empty output folder behind when this bake created it and then failed."""
    if created and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()


def write_cruft_record(project: Path, *, origin: Origin, directory: str = "template") -> Path:
    """Write ``.cruft.json`` (cruft's format) from the pilot's answers file and ``origin``."""
    answers = json.loads((project / ANSWERS_FILE).read_text(encoding="utf-8"))
    context = {key: value for key, value in answers.items() if not key.startswith("_")}
    context["_template"] = origin.template
    context["_commit"] = origin.commit
    record = {
        "template": origin.template,
        "commit": origin.commit,
        "checkout": None,
        "context": {"cookiecutter": context},
        "directory": directory,
    }
    path = project / CRUFT_FILE
    text = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def write_questionnaire(project: Path) -> Path:
    """Write the pilot's ``questionnaire.yaml`` in its language, unless it is there already.

    The template's post-generation hook writes it when auditkit can be imported in
    cookiecutter's Python (always so under ``auditkit new``); this writes it with the running
    auditkit whatever the hook found, so a pilot made by :func:`bake_pilot` always has it.
    """
    from auditkit.risk import answers_template

    path = project / QUESTIONNAIRE_FILE
    if not path.exists():
        answers = json.loads((project / ANSWERS_FILE).read_text(encoding="utf-8"))
        path.write_text(answers_template(str(answers.get("language", "en"))), encoding="utf-8")
    return path


def bake_pilot(
    answers: dict[str, str],
    *,
    output_dir: Path,
    no_input: bool = True,
    overwrite: bool = False,
    template: Path | None = None,
    origin: Origin | None = None,
) -> Path:
    """Bake the city-pilot template into ``output_dir``; return the new project's folder.

    Parameters
    ----------
    answers : dict
        Template answers (``city``, ``country``, ``language``, ...).
    output_dir : Path
        Folder to create the project in.
    no_input, overwrite : bool
        Do not prompt; write into an existing project folder.
    template : Path, optional
        The template folder; default the one bundled with auditkit.
    origin : Origin, optional
        Where that template comes from (recorded in ``.cruft.json``); default
        :func:`auditkit_origin`. Its ``requirement`` is the default ``auditkit_source``.

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

    template = template or resource_path("template")
    origin = origin or auditkit_origin()
    context = {"auditkit_source": origin.requirement, **answers}
    created = not output_dir.exists()
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        project = Path(
            cookiecutter(
                str(template),
                no_input=no_input,
                extra_context=context,
                output_dir=str(output_dir),
                overwrite_if_exists=overwrite,
                accept_hooks=True,
            )
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
    write_questionnaire(project)
    write_cruft_record(project, origin=origin)
    return project


def update_pilot(project: Path, *, checkout: str | None = None) -> UpdateResult:
    """Bring the template's changes since the pilot was baked into ``project`` (with cruft).

    The pilot must be a git repository with everything committed (cruft refuses otherwise, so
    an update can always be reviewed with ``git diff`` and undone). Local edits are kept; a
    change that clashes with one is left as git conflict markers in the file (three-way merge)
    or, when git cannot merge, beside it as ``<file>.rej``.

    Raises
    ------
    TemplateError
        No ``.cruft.json``; the pilot is not a clean git repository; the template source cannot
        be reached.
    """
    import cruft
    from cookiecutter.exceptions import CookiecutterException
    from cruft import exceptions as cruft_errors
    from git import GitError
    from gitdb.exc import ODBError

    record_path = project / CRUFT_FILE
    if not record_path.is_file():
        raise TemplateError(
            f"no {CRUFT_FILE} here: the pilot does not record which template it came from.",
            file=project,
            hint="Pilots made by 'auditkit new' have one; for others run 'cruft link "
            f"{REPOSITORY} --directory template' first.",
        )
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise TemplateError(f"is not valid JSON ({err}).", file=record_path) from err
    if _git(project, "rev-parse", "--is-inside-work-tree") != "true":
        raise TemplateError(
            "is not a git repository: an update is applied as a patch that you review and can "
            "undo.",
            file=project,
            hint="Run 'git init && git add -A && git commit -m \"Pilot\"' in it first.",
        )
    if _git(project, "status", "--porcelain"):
        raise TemplateError(
            "has uncommitted changes: commit or stash them, then update.", file=project
        )
    before = set(project.rglob("*.rej"))
    try:
        updated = cruft.update(
            project,
            cookiecutter_input=False,
            refresh_private_variables=True,
            skip_apply_ask=True,
            checkout=checkout,
            strict=True,
        )
    except (cruft_errors.CruftError, GitError, ODBError, CookiecutterException) as err:
        # an unreachable source, a commit it does not have, a template that no longer bakes
        raise TemplateError(
            f"the template at {record.get('template')} (commit {record.get('commit')}) could "
            f"not be updated from: {type(err).__name__}: {str(err).strip().splitlines()[0]}",
            file=record_path,
            hint="Check 'template' and 'commit' in .cruft.json, or pass --checkout.",
        ) from err
    after = json.loads(record_path.read_text(encoding="utf-8"))
    rejected = sorted(set(project.rglob("*.rej")) - before)
    # a three-way apply leaves conflict markers in the files git reports as unmerged
    unmerged = _git(project, "diff", "--name-only", "--diff-filter=U") or ""
    conflicts = sorted(project / name for name in unmerged.splitlines() if name)
    return UpdateResult(
        project=project,
        updated=bool(updated),
        old_commit=record.get("commit"),
        new_commit=after.get("commit"),
        rejected=rejected,
        conflicts=conflicts,
    )


def _main(argv: list[str] | None = None) -> int:
    """``python -m auditkit.scaffold --bump [major|minor|patch]``: record the template's hash."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m auditkit.scaffold")
    parser.add_argument("--bump", choices=("major", "minor", "patch"), default="minor")
    args = parser.parse_args(argv)
    template = resource_path("template")
    version = bump_template_version(template, part=args.bump)
    print(f"template {version}  sha256 {template_hash(template)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
