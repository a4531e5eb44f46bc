"""``auditkit questionnaire``: an answers template and the impact score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer

from auditkit._languages import Language
from auditkit.cli._common import guarded

__all__ = ["questionnaire_app"]

questionnaire_app = typer.Typer(
    help="The impact questionnaire (Canada's AIA v1.0.1 plus municipal questions).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@questionnaire_app.command("init")
@guarded
def init(
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language: es, pt or en.")] = "en",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
) -> None:
    """Write an answers template: every question, its choices, an empty answer."""
    from auditkit._errors import ConfigError
    from auditkit.risk import answers_template

    text = answers_template(lang)
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.exists() and not force:
        raise ConfigError("already exists; not overwritten.", file=out, hint="Use --force.")
    out.write_text(text, encoding="utf-8")
    typer.echo(f"→ {out}", err=True)


@questionnaire_app.command("score")
@guarded
def score(
    answers: Annotated[
        Path, typer.Argument(help="The AIA tool's saved JSON or an auditkit answers file.")
    ],
    output_format: Annotated[
        Literal["text", "json"], typer.Option("--format", help="text or json.")
    ] = "text",
    lang: Annotated[Language, typer.Option("--lang", "-l", help="Language of the text.")] = "en",
    lax: Annotated[
        bool,
        typer.Option(
            "--lax",
            help="Accept AIA answers the official tool accepts unchecked (unknown names, values "
            "that are not choices, e.g. from older versions); list them on stderr.",
        ),
    ] = False,
) -> None:
    """Score the answers as the official AIA tool does, and show the tier the triggers imply."""
    from auditkit.i18n import translate
    from auditkit.privacy import redact
    from auditkit.risk import (
        assess,
        compute_tier,
        load_answers,
        load_bank,
        requirements_for_level,
        roman,
    )

    loaded = load_answers(answers, lax=lax)
    for problem in loaded.problems:
        typer.echo(f"Warning: {redact(str(problem))}", err=True)  # may quote an answer
    assessment = assess(loaded)
    tier = compute_tier(assessment)
    aia = assessment.score.to_dict()
    if output_format == "json":
        document = {
            **{k: v for k, v in aia.items() if k != "sections"},
            "sections": aia["sections"],
            "municipal": assessment.to_dict()["municipal"],
            "unanswered": list(assessment.unanswered),
            "triggers": [t.to_dict() for t in assessment.triggers],
            "prohibited": bool(assessment.prohibited),
            "tier": tier.to_dict(),
            # the Directive's requirements at the tier, in the tool's own English wording
            "dadm_requirements": {
                "language": "en",
                "source": "Directive on Automated Decision-Making, Appendix C (AIA tool v1.0.1)",
                "level": tier.tier,
                "items": requirements_for_level(tier.tier),
            },
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return

    def t(key: str, **params: object) -> str:
        return translate(key, lang, **params)

    bank = load_bank()
    typer.echo(f"{t('risk.score.raw_score')}: {aia['raw_score']} / {aia['max_raw_score']}")
    typer.echo(
        f"{t('risk.score.mitigation_score')}: {aia['mitigation_score']} / "
        f"{aia['max_mitigation_score']}"
    )
    typer.echo(t("risk.score.deduction" if aia["deduction_applied"] else "risk.score.no_deduction"))
    typer.echo(f"{t('risk.score.total_score')}: {aia['total_score']}")
    typer.echo(f"{t('risk.score.level')}: {roman(aia['level'])}")
    typer.echo("")
    typer.echo(
        f"{t('risk.score.section'):<52} {t('risk.score.questions'):>9} "
        f"{t('risk.score.score'):>8} {t('risk.score.maximum'):>8}"
    )
    for section in aia["sections"]:
        typer.echo(
            f"{bank.page_title(section['section'], lang):<52} {section['questions']:>9} "
            f"{section['score']:>8} {section['maximum']:>8}"
        )
    typer.echo("")
    typer.echo(t("risk.tier", tier=roman(tier.tier)))
    for trigger in assessment.triggers:
        typer.echo(f"  {trigger.question} = {trigger.value}")
    if assessment.unanswered:
        typer.echo(
            t("risk.finding.classification.unanswered", questions=", ".join(assessment.unanswered))
        )
