"""The notice to residents: the register entry in plain language, as HTML and Markdown.

Six short sections in the reader's language: what the system does, what it does not do, what
data it uses, how it was checked, who is in charge and how to ask or complain. Sentences are
short on purpose (the target is a secondary-school reading level, measured in the tests with
Fernández-Huerta for Spanish and Flesch for English and Portuguese). A sentence is written only
from a fact of the entry; a fact the entry does not hold is said to be not published yet. Texts
the team wrote in the pilot's documents are quoted only when they are in the notice's language.

The HTML page is self-contained: no script, no remote resource, no link, a strict
Content-Security-Policy and print styles. Contacts are shown as text: an e-mail address or phone
number does not pass the publishing gate (it cannot tell an office's from a person's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auditkit.register._entry import RegisterEntry

__all__ = ["Notice", "build_notice", "render_notice_html", "render_notice_markdown"]


@dataclass(frozen=True)
class Line:
    """One sentence."""

    text: str


@dataclass(frozen=True)
class Section:
    """A heading and its sentences."""

    key: str
    heading: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    """The notice, ready to render."""

    lang: str
    title: str
    subtitle: str
    updated: str
    sections: list[Section]
    footer: str

    def text(self) -> str:
        """All sentences as plain text (for readability measures)."""
        parts = [s.heading + "." for s in self.sections]
        parts += [line.text for s in self.sections for line in s.lines]
        return "\n".join(parts)


def _date(value: str | None, lang: str, country: str | None) -> str:
    from babel.dates import format_date

    from auditkit.report._format import locale_for

    if not value:
        return "—"
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return str(format_date(day, format="long", locale=locale_for(lang, country)))


def _label(attribute: str) -> str:
    return attribute.replace("_", " ")


def build_notice(entry: RegisterEntry) -> Notice:
    """The notice's sentences for ``entry``, in the entry's language."""
    from auditkit.i18n import translate
    from auditkit.report._format import format_number, format_percent, locale_for

    doc = entry.document
    lang = entry.lang
    locale = locale_for(lang, entry.country)
    same_language = doc.get("text_language") == lang

    def t(key: str, **params: Any) -> str:
        return translate(key, lang, **params)

    def number(value: float | int | None, digits: int = 0) -> str:
        return format_number(value, locale, digits=digits)

    overview = doc["overview"]
    accountability = doc["accountability"]
    purpose = doc["purpose"]
    process = doc["decision_process"]
    data = doc["data"]
    model = doc["model"]
    fairness = doc["fairness"]
    risk = doc["risk"]
    review = doc["review"]
    task = process.get("task")

    what = Section("what", t("register.notice.what"))
    if task:
        what.lines.append(Line(t(f"register.notice.what.{task}")))
    who = accountability.get("organization") or overview.get("city")
    if who:
        what.lines.append(Line(t("register.notice.what.who", who=who)))
    if same_language and purpose.get("intended_use"):
        what.lines.append(Line(t("register.notice.what.intended", text=purpose["intended_use"])))
    what.lines.append(Line(t("register.notice.what.pilot")))

    not_do = Section("not", t("register.notice.not"))
    for key in ("auto_action", "profiling", "significant_effect", "resident_chatbot"):
        answer_key = "automation" if key == "auto_action" else key
        if process.get(answer_key) == "no":
            not_do.lines.append(Line(t(f"register.notice.not.{key}")))
    if same_language and purpose.get("out_of_scope"):
        not_do.lines.append(
            Line(t("register.notice.not.out_of_scope", text=purpose["out_of_scope"]))
        )
    if not not_do.lines:
        not_do.lines.append(Line(t("register.notice.not.unknown")))

    uses = Section("data", t("register.notice.data"))
    if data.get("records") is not None:
        uses.lines.append(Line(t("register.notice.data.records", records=number(data["records"]))))
    if data.get("period_start") and data.get("period_end"):
        uses.lines.append(
            Line(
                t(
                    "register.notice.data.period",
                    start=_date(data["period_start"], lang, entry.country),
                    end=_date(data["period_end"], lang, entry.country),
                )
            )
        )
    if data.get("areas") is not None:
        uses.lines.append(Line(t("register.notice.data.areas", areas=number(data["areas"]))))
    personal = data.get("personal_data") or {}
    status = personal.get("status")
    key = {"pass": "personal_pass", "fail": "personal_fail"}.get(str(status), "personal_unknown")
    uses.lines.append(Line(t(f"register.notice.data.{key}")))

    checked = Section("checked", t("register.notice.checked"))
    if review.get("date"):
        checked.lines.append(
            Line(t("register.notice.checked.when", date=_date(review["date"], lang, entry.country)))
        )
    performance = model.get("performance") or {}
    skill = performance.get("skill")
    if isinstance(skill, int | float):
        if skill > 0:
            checked.lines.append(
                Line(
                    t(
                        "register.notice.checked.skill_pass",
                        skill=format_percent(skill, locale, digits=0),
                    )
                )
            )
        else:
            checked.lines.append(Line(t("register.notice.checked.skill_fail")))
    counts = fairness.get("counts")
    attributes = [a for a in fairness.get("attributes") or [] if "&" not in str(a.get("attribute"))]
    if counts and attributes:
        checked.lines.append(
            Line(
                t(
                    "register.notice.checked.groups",
                    attributes=", ".join(_label(str(a["attribute"])) for a in attributes),
                )
            )
        )
        total = sum(counts.values())
        checked.lines.append(
            Line(
                t(
                    "register.notice.checked.groups_result",
                    passed=number(counts.get("pass", 0)),
                    total=number(total),
                    failed=number(counts.get("fail", 0)),
                )
            )
        )
        results = fairness.get("results") or []
        # a single attribute reads better than a combination; combinations when only they fail
        shown = [r for r in results if not r.get("suppressed")]
        failing = [
            r for r in shown if r.get("status") == "fail" and "&" not in str(r.get("attribute"))
        ] or [r for r in shown if r.get("status") == "fail"]
        if failing:
            top = max(failing, key=lambda r: abs(float(r.get("worst_ratio") or 1.0) - 1.0))
            checked.lines.append(
                Line(
                    t(
                        "register.notice.checked.worst",
                        group=top.get("worst_group"),
                        metric=t(f"metric.{top.get('metric')}"),
                        ratio=number(top.get("worst_ratio"), 1),
                        reference=top.get("reference_group"),
                    )
                )
            )
    representativeness = data.get("representativeness") or {}
    if representativeness.get("status") == "fail" and representativeness.get("ratio") is not None:
        checked.lines.append(
            Line(
                t(
                    "register.notice.checked.reporting",
                    group=_label(str(representativeness.get("lowest_group"))),
                    ratio=format_percent(representativeness["ratio"], locale, digits=0),
                )
            )
        )
    decision = risk.get("decision")
    if decision:
        checked.lines.append(
            Line(t("register.notice.checked.decision", label=risk["decision_label"]))
        )
        conditions = risk.get("conditions") or []
        checked.lines.append(
            Line(t(f"register.notice.checked.{decision}", conditions=number(len(conditions))))
        )
    if risk.get("tier_roman"):
        checked.lines.append(Line(t("register.notice.checked.tier", tier=risk["tier_roman"])))

    contact = Section("contact", t("register.notice.contact"))
    if accountability.get("owner"):
        contact.lines.append(
            Line(t("register.notice.contact.owner", owner=accountability["owner"]))
        )
    if accountability.get("contact"):
        contact.lines.append(
            Line(t("register.notice.contact.contact", contact=accountability["contact"]))
        )
    else:
        contact.lines.append(Line(t("register.notice.contact.unknown")))

    contest = Section("contest", t("register.notice.contest"))
    procedure = (doc.get("recourse") or {}).get("procedure")
    # a bare file name of the evidence means nothing to a resident: only a note or a link
    if procedure and (" " in procedure or procedure.startswith(("http://", "https://"))):
        contest.lines.append(Line(t("register.notice.contest.procedure", procedure=procedure)))
    else:
        contest.lines.append(Line(t("register.notice.contest.unknown")))
    if accountability.get("contact"):
        contest.lines.append(Line(t("register.notice.contest.use_contact")))

    reviewed = _date(review.get("date"), lang, entry.country)
    return Notice(
        lang=lang,
        title=t("register.notice.title", name=overview.get("name") or "—"),
        subtitle=t("register.notice.subtitle"),
        updated=t(
            "register.notice.updated", date=_date(doc["record"]["generated"], lang, entry.country)
        ),
        sections=[what, not_do, uses, checked, contact, contest],
        footer=t("register.notice.footer", date=reviewed, record=doc["record"]["id"]),
    )


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def render_notice_markdown(notice: Notice) -> str:
    """The notice as Markdown."""
    lines = [f"# {_md_escape(notice.title)}", "", f"**{_md_escape(notice.subtitle)}**", ""]
    lines += [_md_escape(notice.updated), ""]
    for section in notice.sections:
        lines += [f"## {_md_escape(section.heading)}", ""]
        lines += [f"- {_md_escape(line.text)}" for line in section.lines]
        lines.append("")
    lines += ["---", "", f"_{_md_escape(notice.footer)}_", ""]
    return "\n".join(lines)


def render_notice_html(notice: Notice) -> str:
    """The notice as one self-contained HTML page (no script, no remote resource)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("auditkit.register", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("notice.html.j2").render(notice=notice)
