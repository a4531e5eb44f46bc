"""Tidy the new project (standard library only).

Removes ``__pycache__`` folders (pip byte-compiles the template when auditkit is installed
from a wheel, and cookiecutter would copy them) and writes the answers, public keys only,
and the template's version, so the project can be re-baked or updated: no absolute paths, no
private keys.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ANSWERS_FILE = ".cookiecutter-answers.json"


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


def main(rendered: str, root: Path) -> int:
    """Run the post-generation steps in ``root`` (the new project's folder)."""
    remove_pycache(root)
    write_answers(root, json.loads(rendered))
    return 0


if __name__ == "__main__":
    sys.exit(main(r'{{ cookiecutter | tojson }}', Path.cwd()))
