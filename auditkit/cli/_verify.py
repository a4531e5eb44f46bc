"""``auditkit verify``: was any file of a review bundle changed after the review?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit.cli._common import guarded

__all__ = ["verify"]


@guarded
def verify(
    folder: Annotated[
        Path, typer.Argument(help="The review folder (the --out of auditkit review).")
    ] = Path("audit"),
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="Result on stdout as text or as JSON."),
    ] = "text",
) -> None:
    """Check a review folder against its manifest.json.

    Every file the review wrote must be present and unchanged (SHA-256) and no file may have been
    added. Exits 0 when the bundle is intact, 1 when a file was changed, removed or added, 2 when
    the folder has no readable manifest.
    """
    from auditkit.review._manifest import verify_bundle

    check = verify_bundle(folder)
    if output_format == "json":
        typer.echo(json.dumps(check.to_dict(), ensure_ascii=False, indent=2))
    else:
        for label, names in (
            ("changed", check.changed),
            ("missing", check.missing),
            ("extra", check.extra),
        ):
            for name in names:
                typer.echo(f"{label}: {name}")
        if check.ok:
            typer.echo(f"OK: {check.checked} files of {folder} match manifest.json.")
        else:
            problems = len(check.changed) + len(check.missing) + len(check.extra)
            typer.echo(
                f"TAMPERED: {problems} file(s) of {folder} differ from manifest.json "
                f"({len(check.changed)} changed, {len(check.missing)} missing, "
                f"{len(check.extra)} extra)."
            )
    if not check.ok:
        raise typer.Exit(code=1)
