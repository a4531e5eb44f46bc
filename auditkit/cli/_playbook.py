"""``auditkit playbook``: read, render and validate checklists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit._languages import Language
from auditkit.cli._common import guarded

__all__ = ["playbook_app"]

playbook_app = typer.Typer(
    help="The checklist as data: list, show, render (Markdown/JSON) and validate playbooks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

PlaybookOption = Annotated[
    Path | None,
    typer.Option("--playbook", "-p", help="A custom playbook file (default: the bundled one)."),
]
LangOption = Annotated[Language, typer.Option("--lang", "-l", help="Language: es, pt or en.")]


@playbook_app.command("list")
@guarded
def list_items(
    playbook: PlaybookOption = None,
    lang: LangOption = "en",
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="text or json.")
    ] = "text",
) -> None:
    """List every item: id, how it is checked, the tiers it applies and blocks from, its title."""
    from auditkit.i18n import translate
    from auditkit.risk import item_dict, load_playbook, roman

    book = load_playbook(playbook)
    if output_format == "json":
        typer.echo(
            json.dumps([item_dict(i, lang) for i in book.items], ensure_ascii=False, indent=2)
        )
        return
    for item in book.items:
        blocks = roman(item.blocking_from_tier) if item.blocking_from_tier else "-"
        typer.echo(
            f"{item.id}  {translate('risk.check.' + item.check, lang):<12}  "
            f"{roman(item.min_tier):>3}  {blocks:>3}  "
            f"{item.title.get(lang)}"
        )


@playbook_app.command("show")
@guarded
def show(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="Item id, e.g. FAI-02.")],
    playbook: PlaybookOption = None,
    lang: LangOption = "en",
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="text or json.")
    ] = "text",
) -> None:
    """Show one item in full: question, check, tiers and framework sources."""
    from auditkit.i18n import translate
    from auditkit.risk import item_dict, load_playbook, roman, source_text

    book = load_playbook(playbook)
    item = book.item(item_id.upper())
    if output_format == "json":
        typer.echo(json.dumps(item_dict(item, lang), ensure_ascii=False, indent=2))
        return

    def t(key: str) -> str:
        return translate(key, lang)

    blocks = roman(item.blocking_from_tier) if item.blocking_from_tier else t("risk.label.never")
    typer.echo(f"{item.id} · {item.title.get(lang)}")
    typer.echo(f"{t('risk.label.section')}: {book.section(item.section).title.get(lang)}")
    typer.echo(f"{t('risk.label.question')}: {item.question.get(lang)}")
    check = t("risk.check." + item.check)
    if item.auto_check:
        check += f" ({item.auto_check})"
    typer.echo(f"{t('risk.label.check')}: {check}")
    typer.echo(f"{t('risk.label.applies_from')}: {roman(item.min_tier)}")
    typer.echo(f"{t('risk.label.blocks_from')}: {blocks}")
    typer.echo(f"{t('risk.label.sources')}: {source_text(item, lang)}")


@playbook_app.command("render")
@guarded
def render(
    playbook: PlaybookOption = None,
    lang: LangOption = "en",
    output_format: Annotated[
        Literal["md", "json"], typer.Option("--format", help="md (a checklist) or json.")
    ] = "md",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Render the whole checklist, e.g. as CHECKLIST.md for a pilot's repository."""
    from auditkit.risk import load_playbook, playbook_dict
    from auditkit.risk import playbook_markdown as render_markdown

    book = load_playbook(playbook)
    if output_format == "json":
        text = json.dumps(playbook_dict(book, lang), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_markdown(book, lang)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"→ {out}", err=True)


@playbook_app.command("validate")
@guarded
def validate(
    file: Annotated[Path, typer.Argument(help="The playbook YAML file to check.")],
) -> None:
    """Check a playbook against the schema; exit 2 with the problems if it is invalid."""
    from auditkit.risk import load_playbook

    book = load_playbook(file)
    typer.echo(f"{file}: valid playbook '{book.id}' {book.version}, {len(book.items)} items.")
