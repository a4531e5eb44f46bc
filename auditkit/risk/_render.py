"""Render the playbook as a checklist (Markdown or JSON) and write answers templates."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditkit.i18n import catalog, translate
from auditkit.risk._aia import AIA_VERSION, choice_translations, load_bank, question_title
from auditkit.risk._playbook import Item, Playbook, roman
from auditkit.risk._questionnaire import ANSWERS_SCHEMA, load_municipal_questions

__all__ = ["answers_template", "item_dict", "playbook_dict", "render_markdown", "source_text"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def source_text(item: Item, lang: str) -> str:
    """The item's sources with framework names and section names in ``lang``.

    References without a translation (article numbers, NIST and question ids) stay as written.
    """
    messages = catalog(lang)
    parts = []
    for key, refs in item.sources.items():
        name = messages.get(f"risk.source.{key}", key)
        shown = [messages.get(f"risk.ref.{_slug(ref)}", ref) for ref in refs]
        parts.append(f"{name} ({'; '.join(shown)})")
    return " · ".join(parts)


def _blocks(item: Item, lang: str) -> str:
    if item.blocking_from_tier is None:
        return translate("risk.label.never", lang)
    return roman(item.blocking_from_tier)


def item_dict(item: Item, lang: str) -> dict[str, Any]:
    """One item in ``lang``, JSON-ready."""
    return {
        "id": item.id,
        "section": item.section,
        "check": item.check,
        "auto_check": item.auto_check,
        "min_tier": item.min_tier,
        "blocking_from_tier": item.blocking_from_tier,
        "title": item.title.get(lang),
        "question": item.question.get(lang),
        "sources": {k: list(v) for k, v in item.sources.items()},
    }


def playbook_dict(playbook: Playbook, lang: str) -> dict[str, Any]:
    """The whole playbook in ``lang``, JSON-ready."""
    return {
        "id": playbook.id,
        "version": playbook.version,
        "language": lang,
        "title": playbook.title.get(lang),
        "sections": [
            {
                "code": section.code,
                "title": section.title.get(lang),
                "items": [item_dict(i, lang) for i in playbook.items if i.section == section.code],
            }
            for section in playbook.sections
        ],
    }


def render_markdown(playbook: Playbook, lang: str) -> str:
    """A checklist a team can commit to its repository and tick as it goes."""

    def t(key: str) -> str:
        return translate(key, lang)

    lines = [
        f"# {playbook.title.get(lang)}",
        "",
        t("risk.render.intro"),
        "",
        t("risk.render.legend"),
        "",
    ]
    for section in playbook.sections:
        items = [i for i in playbook.items if i.section == section.code]
        if not items:
            continue
        lines += [f"## {section.code} · {section.title.get(lang)}", ""]
        for item in items:
            meta = (
                f"{t('risk.label.check')}: {t('risk.check.' + item.check)}"
                + (f" (`{item.auto_check}`)" if item.auto_check else "")
                + f" · {t('risk.label.applies_from')} {roman(item.min_tier)}"
                + f" · {t('risk.label.blocks_from')} {_blocks(item, lang)}"
            )
            lines += [
                f"- [ ] **{item.id} · {item.title.get(lang)}**",
                f"  {item.question.get(lang)}",
                f"  <br>{meta}",
                f"  <br>{t('risk.label.sources')}: {source_text(item, lang)}",
                f"  <br>{t('risk.label.evidence')}: ",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def choice_text(text: Mapping[str, str], lang: str) -> str:
    """An AIA choice's text in ``lang``: the bank's own, or auditkit's translation, or English."""
    english = text.get("en", "")
    return text.get(lang) or choice_translations().get(english, {}).get(lang) or english


def _comment(text: str, indent: str) -> list[str]:
    return [f"{indent}# {line}".rstrip() for line in text.splitlines()]


def _yaml_key(value: str) -> str:
    return f'"{value}"' if value in ("yes", "no", "true", "false", "null", "on", "off") else value


def answers_template(lang: str) -> str:
    """An answers file with every question, its choices and an empty answer, in ``lang``."""
    import textwrap

    def t(key: str) -> str:
        return translate(key, lang)

    def wrap(text: str) -> str:
        return "\n".join(textwrap.wrap(text, 96))

    lines = [
        *_comment(wrap(t("risk.init.header")), ""),
        "#",
        *_comment(wrap(t("risk.init.translation_note")), ""),
        "#",
        *_comment(t("risk.init.licence"), ""),
        f"schema: {ANSWERS_SCHEMA}",
        "",
        f"# ==== {t('risk.init.municipal')}",
        "municipal:",
    ]
    for question in load_municipal_questions().questions:
        many = question.type == "checkbox"
        lines += _comment(wrap(f"{question.title.get(lang)}: {question.question.get(lang)}"), "  ")
        lines += [f"  #   {_yaml_key(c.value)}: {c.text.get(lang)}" for c in question.choices]
        lines += [
            f"  #   ({t('risk.init.choose_many' if many else 'risk.init.choose_one')})",
            f"  {question.id}: {'[]' if many else ''}".rstrip(),
            "",
        ]
    bank = load_bank()
    lines += [f"# ==== {t('risk.init.aia')} v{AIA_VERSION}", "aia:"]
    page = None
    for aia_question in bank.questions:
        wanted = aia_question.score_type != "none" or aia_question.name == "projectDetailsPhase"
        if not wanted:
            continue
        if aia_question.page != page:
            page = aia_question.page
            condition = bank.page_visible_if.get(page)
            lines += [
                "",
                f"  # ---- {bank.page_title(page, lang)}"
                + (f"  [{condition}]" if condition else ""),
            ]
        many = aia_question.type == "checkbox"
        title = question_title(aia_question, lang)
        lines += _comment(wrap(title), "  ")
        if aia_question.visible_if:
            lines.append(f"  #   [{aia_question.visible_if}]")
        lines += [
            f"  #   {value}: {choice_text(text, lang)}" for value, text in aia_question.choices
        ]
        lines.append(f"  {aia_question.name}: {'[]' if many else ''}".rstrip())
    return "\n".join(lines) + "\n"
