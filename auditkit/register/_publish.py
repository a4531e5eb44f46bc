"""Publish a register entry and its notice: validate, pass the publishing gate, write atomically.

``register.json`` is validated against ``auditkit/schemas/register.schema.json`` (JSON Schema
draft 2020-12) before anything is written; all three files then go through
:func:`auditkit.privacy.check_publishable`; they are rendered into a temporary folder next to
the output folder and moved into place only when all of them are ready, so a failure leaves the
previous files or none, never a mix.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from auditkit._errors import InputDataError
from auditkit._owned import write_owned_files
from auditkit._resources import schema_path

__all__ = ["REGISTER_FILES", "publish", "register_schema", "validate_entry"]

REGISTER_FILES = ("register.json", "notice.html", "notice.md")


@functools.cache
def register_schema() -> dict[str, Any]:
    """The JSON Schema of ``register.json`` shipped with auditkit."""
    data: dict[str, Any] = json.loads(
        schema_path("register.schema.json").read_text(encoding="utf-8")
    )
    return data


def validate_entry(document: Mapping[str, Any]) -> None:
    """Check a register entry against its schema.

    Raises
    ------
    InputDataError
        Naming the first field that does not follow the schema.
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        register_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise InputDataError(
            f"field '{where}': expected what register.schema.json allows; found "
            f"{first.instance!r} ({first.message}).",
            file="register.json",
            hint="A value read from the bundle or the pilot's documents has an unexpected form; "
            "fix it there and run auditkit register again.",
        )


def publish(outputs: Mapping[str, bytes], out_dir: Path, *, country: str | None) -> list[Path]:
    """Gate and write ``outputs`` (name -> content) into ``out_dir``.

    Raises
    ------
    PersonalDataError
        An output holds personal data; nothing was written.
    InputDataError
        ``out_dir`` exists and is not a folder.
    """
    from auditkit.privacy import PersonalDataError, check_publishable

    try:
        check_publishable(outputs, country=country)
    except PersonalDataError as err:
        raise PersonalDataError(
            err.message.replace(
                "refusing to publish the review", "refusing to publish the register"
            ),
            hint="These values come from the pilot's model card and datasheet or from checklist "
            "attestations: remove the personal data there. The gate cannot tell an office's "
            "e-mail address or phone number from a person's: give the office's name or a web "
            "page instead.",
        ) from err
    # only the register's own files; one of that name is replaced only if register wrote it
    return write_owned_files(outputs, out_dir, option="-o")
