"""notice.html and notice.md: the same plain-language content, self-contained and printable."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditkit.register import make_register

HEADINGS = {
    "es": [
        "Qué hace el sistema",
        "Qué no hace el sistema",
        "Qué datos usa",
        "Cómo se revisó",
        "Quién es responsable",
        "Cómo preguntar o reclamar",
    ],
    "pt": [
        "O que o sistema faz",
        "O que o sistema não faz",
        "Que dados usa",
        "Como foi revisado",
        "Quem é responsável",
        "Como perguntar ou reclamar",
    ],
    "en": [
        "What the system does",
        "What the system does not do",
        "What data it uses",
        "How it was checked",
        "Who is in charge",
        "How to ask or complain",
    ],
}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.items: list[str] = []
        self._in_li = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "li":
            self._in_li = True
            self.items.append("")

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_li = False

    def handle_data(self, data):
        if self._in_li:
            self.items[-1] += data


def _outputs(pilot: Path, lang: str) -> tuple[str, str]:
    out = pilot.parent / f"out-{lang}"
    make_register(pilot / "audit", out, lang=lang)
    return (
        (out / "notice.html").read_text(encoding="utf-8"),
        (out / "notice.md").read_text(encoding="utf-8"),
    )


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_notice_is_self_contained_and_printable(pilot: Path, lang: str):
    """No script, no remote resource, no link; a strict CSP and print styles."""
    page, _ = _outputs(pilot, lang)
    parser = _Page()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert not tags & {"script", "iframe", "object", "embed", "img", "link", "form", "a"}
    for _, attrs in parser.tags:
        assert not {"src", "href", "srcset", "action"} & set(attrs)
        assert not any(k.startswith("on") for k in attrs)
    assert not re.search(r"https?://", page)
    assert "url(" not in page and "@import" not in page
    csp = next(
        a["content"] for t, a in parser.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "script" not in csp
    assert "@media print" in page
    assert f'<html lang="{lang}">' in page


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_html_and_markdown_say_the_same_in_the_chosen_language(pilot: Path, lang: str):
    """Six sections in the notice's language; every sentence of the page is in notice.md."""
    page, markdown = _outputs(pilot, lang)
    for heading in HEADINGS[lang]:
        assert f"<h2>{html.escape(heading)}</h2>" in page
        assert f"## {heading}" in markdown
    parser = _Page()
    parser.feed(page)
    bullets = [line[2:] for line in markdown.splitlines() if line.startswith("- ")]
    unescaped = [re.sub(r"\\(.)", r"\1", b) for b in bullets]
    assert [i.strip() for i in parser.items] == unescaped
    assert len(unescaped) >= 15


def test_team_texts_are_quoted_only_in_their_language(pilot: Path):
    """The Spanish model card's intended use is quoted in es, not in en or pt."""
    quote = "Planear cuadrillas y recursos por zona y semana"
    es, _ = _outputs(pilot, "es")
    assert quote in es
    for lang in ("en", "pt"):
        page, markdown = _outputs(pilot, lang)
        assert quote not in page and quote not in markdown


def test_notice_states_the_measured_facts(pilot: Path):
    """The English notice gives the bundle's figures and says what is not published yet."""
    _, markdown = _outputs(pilot, "en")
    assert "It learns from 82,037 past requests." in markdown
    assert "Its errors are 5% smaller than those of a simple method." in markdown
    assert "Group «muy alto» sends 68% of what the others send." in markdown
    assert "Result of the review: ESCALATE." in markdown
    assert "The contact details are not published yet." in markdown
    assert "The team has not yet published how to complain about a result." in markdown
