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
    digest: Annotated[
        str | None,
        typer.Option(
            "--digest",
            help="The bundle digest an approval record quotes (SHA-256 of manifest.json, as "
            "printed by auditkit review): the bundle must be that one.",
        ),
    ] = None,
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="Result on stdout as text or as JSON."),
    ] = "text",
) -> None:
    """Check a review folder against its manifest.json, and the manifest against the bundle.

    Every file the review wrote must be present and unchanged (SHA-256), no file may have been
    added, and the manifest must agree with findings.json and decision.json (same inputs and
    input hashes, same auditkit version). Prints the bundle digest (SHA-256 of manifest.json)
    for an approval record; with --digest, the bundle must have that digest. Exits 0 when the
    bundle is intact, 1 when anything differs, 2 when the folder has no readable manifest.
    """
    from auditkit._errors import InputDataError
    from auditkit.review import verify_bundle

    expected = None
    if digest is not None:
        expected = digest.strip().lower()
        if len(expected) != 64 or any(c not in "0123456789abcdef" for c in expected):
            raise InputDataError(
                f"--digest must be 64 hexadecimal characters (a SHA-256); found {len(expected)} "
                "characters."
            )
    check = verify_bundle(folder)
    if expected is not None and check.manifest_sha256 != expected:
        check.inconsistent.append("the bundle digest differs from --digest")
    if output_format == "json":
        typer.echo(json.dumps(check.to_dict(), ensure_ascii=False, indent=2))
    else:
        for label, names in (
            ("changed", check.changed),
            ("missing", check.missing),
            ("extra", check.extra),
            ("inconsistent", check.inconsistent),
        ):
            for name in names:
                typer.echo(f"{label}: {name}")
        if check.ok:
            typer.echo(f"OK: {check.checked} files of {folder} match manifest.json.")
        else:
            problems = (
                len(check.changed) + len(check.missing) + len(check.extra) + len(check.inconsistent)
            )
            typer.echo(
                f"TAMPERED: {problems} problem(s) in {folder} ({len(check.changed)} changed, "
                f"{len(check.missing)} missing, {len(check.extra)} extra, "
                f"{len(check.inconsistent)} inconsistent with the manifest)."
            )
        typer.echo(f"Bundle digest (SHA-256 of manifest.json): {check.manifest_sha256}")
    if not check.ok:
        raise typer.Exit(code=1)
