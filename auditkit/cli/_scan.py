"""``auditkit scan``: find personal data in tables and artefacts, without printing any of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit._languages import Language
from auditkit.cli._common import guarded

__all__ = ["scan"]


@guarded
def scan(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Tables (.csv, .csv.gz, .tsv, .parquet, .xlsx) or artefacts "
            "(.json, .md, .html, .txt).",
            show_default=False,
        ),
    ],
    country: Annotated[
        str | None,
        typer.Option(
            help="ISO country code of the pilot (MX, BR, CO, CL, AR, UY...): region of national "
            "phone numbers and of identity documents without a check digit."
        ),
    ] = None,
    as_: Annotated[
        Literal["auto", "table", "artefact"],
        typer.Option(
            "--as",
            help="Scan files as 'table' (all kinds) or 'artefact' (outputs: no guessing of names "
            "from labels); 'auto' picks by file type.",
        ),
    ] = "auto",
    all_rows: Annotated[
        bool,
        typer.Option(
            "--all-rows",
            help="Read every row of large columns instead of a seeded sample of 50,000 "
            "(slower; finds values that occur in fewer than 1 row in 10,000).",
        ),
    ] = False,
    output_format: Annotated[
        Literal["text", "json"],
        typer.Option("--format", help="Results on stdout as text or as JSON."),
    ] = "text",
    lang: Annotated[Language, typer.Option(help="Language of the text output.")] = "en",
) -> None:
    """Scan files for personal data: e-mails, phones, national ids, names, addresses, dates of
    birth, precise coordinates.

    Reports the column, the kind and the number of rows, never a value. Exits 0 when nothing is
    found, 1 when personal data is found, 2 for a usage or input error.
    """
    from auditkit._errors import InputDataError
    from auditkit.privacy import MAX_ROWS, SCANNABLE_SUFFIXES, SKIPPED_SUFFIXES, scan_path

    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise InputDataError(
            f"--country must be a two-letter ISO 3166 code such as MX or BR; found '{country}'."
        )
    # Check every path before reading any, so a typo fails fast and nothing is half-reported.
    for path in files:
        if not path.exists():
            raise InputDataError("the file does not exist.", file=path)
        if path.is_dir():
            raise InputDataError("expected a file, found a folder.", file=path)
        if not path.name.lower().endswith(SCANNABLE_SUFFIXES + SKIPPED_SUFFIXES):
            raise InputDataError(
                f"cannot scan this kind of file (found '{path.suffix or path.name}'); "
                f"expected one of {', '.join(SCANNABLE_SUFFIXES)}.",
                file=path,
                hint="Save spreadsheets as .xlsx or export them as CSV.",
            )
        _check_text_table(path)
    max_rows = None if all_rows else MAX_ROWS
    from auditkit.privacy import redact

    results = [scan_path(path, country=country, as_=as_, max_rows=max_rows) for path in files]
    found = any(result.hits for result in results)

    def echo(line: str) -> None:
        # scan's own output passes the gate too: a file name can carry what the file does
        typer.echo(redact(line, country=country))

    if output_format == "json":
        document = {"personal_data": found, "files": [r.to_dict() for r in results]}
        echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        from auditkit.i18n import translate
        from auditkit.report import format_number, locale_for

        locale = locale_for(lang, country)

        def t(key: str, **params: object) -> str:
            return translate(key, lang, **params)

        def count(n: int) -> str:
            return format_number(n, locale, digits=0)

        for result in results:
            header = t(
                "scan.file",
                file=result.source,
                rows=count(result.rows),
                columns=count(result.columns),
            )
            if not result.hits:
                echo(f"{header}: {t('scan.none')}")
                continue
            columns = len({hit.column for hit in result.hits})
            echo(f"{header}: {t('scan.found', columns=columns)}")
            width = max(len(hit.column) for hit in result.hits)
            for hit in result.hits:
                kind = t(f"scan.kind.{hit.kind}")
                if hit.scheme:
                    kind = f"{kind} ({hit.scheme})"
                rows = ("~" if hit.estimated else "") + t("scan.rows", rows=count(hit.rows))
                basis = t(f"scan.basis.{hit.basis}")
                echo(f"  {hit.column:<{width}}  {kind:<40} {rows:>16}  [{basis}]")
        if any(hit.estimated for result in results for hit in result.hits):
            typer.echo(t("scan.estimated"), err=True)
    if found:
        raise typer.Exit(code=1)


def _check_text_table(path: Path) -> None:
    """A text table must be a regular, readable file of text: exit 2 otherwise, never 0 or 1.

    Exit 1 means "personal data found", so a file that cannot be read as text (binary, UTF-16,
    a truncated archive, a device) must not reach the scanner's verdict.
    """
    import gzip

    from auditkit._errors import InputDataError
    from auditkit._io import check_input_file, input_limits, reading

    name = path.name.lower()
    check_input_file(path, role="input", max_bytes=input_limits().table_bytes)
    if not name.endswith((".csv", ".tsv", ".csv.gz", ".tsv.gz", ".txt")):
        return
    with reading(path, role="input"):
        if name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                head = handle.read(1 << 16)
                while handle.read(1 << 20):  # to the end: a truncated archive fails here
                    pass
        else:
            with path.open("rb") as handle:
                head = handle.read(1 << 16)
    if b"\x00" in head:
        raise InputDataError(
            "is not a text table: it holds NUL bytes (a binary file, or text saved as UTF-16).",
            file=path,
            hint="Export it again as a UTF-8 CSV.",
        )
