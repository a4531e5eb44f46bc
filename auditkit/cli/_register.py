"""``auditkit register``: a public algorithm-register entry and a notice to residents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit._languages import Language
from auditkit.cli._common import guarded

__all__ = ["register"]


@guarded
def register(
    audit_dir: Annotated[
        Path, typer.Argument(help="The review folder (the --out of auditkit review).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "-o",
            "--out",
            help="Folder for register.json, notice.html and notice.md (outside the review folder).",
        ),
    ],
    lang: Annotated[
        Language | None,
        typer.Option(help="Language of the notice; default the review's language."),
    ] = None,
    standard: Annotated[
        Literal["atrs", "nl", "aia"],
        typer.Option(
            help="Standard whose field names register.json's export block uses: atrs (UK), "
            "nl (Dutch algorithm register), aia (Canada's AIA publication)."
        ),
    ] = "atrs",
    pilot: Annotated[
        Path | None,
        typer.Option(
            help="The baked pilot folder (docs/model_card.md, docs/datasheet.md); default the "
            "review folder's parent when it holds a model card."
        ),
    ] = None,
) -> None:
    """Write a public register entry and a plain-language notice from a review.

    The review folder must be intact (auditkit verify). Fields the review does not know are
    listed under `missing` in register.json with the checklist item that would supply them.
    Exits 0 when written, 2 for a usage or input error (nothing is written).
    """
    from auditkit.register import make_register

    result = make_register(audit_dir, out, lang=lang, standard=standard, pilot_dir=pilot)
    for path in result.files:
        typer.echo(str(path))
    typer.echo(
        f"{result.filled} fields filled, {len(result.missing)} missing "
        f"(see 'missing' in register.json); record {result.record_id}."
    )
    if result.pilot_folder is None:
        typer.echo(
            "No pilot folder with docs/model_card.md: pass --pilot to fill the fields of the "
            "model card and datasheet.",
            err=True,
        )
