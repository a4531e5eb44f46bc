"""report.md and report.html carry the same sections and the same figures (the README says so)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from auditkit.report import render_html, render_markdown, report_figures, write_review
from auditkit.report._context import SECTIONS
from tests.report.samples import sample_review

_MD_SECTION = re.compile(r'^<a id="([a-z]+)"></a>\n## (.+)$', re.MULTILINE)
_HTML_SECTION = re.compile(r'<section id="([a-z]+)"[^>]*>\s*<h2>([^<]+)</h2>')
_MD_FIGURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
# a figure inline in the page: a chart's SVG element, or another figure as a data: URI
_HTML_FIGURE = re.compile(r'<figure data-file="([^"]+)">(?:<svg |<img src="data:image/)')


def _md_sections(text: str) -> list[tuple[str, str]]:
    return _MD_SECTION.findall(text)


def _html_sections(text: str) -> list[tuple[str, str]]:
    return [(anchor, html.unescape(title)) for anchor, title in _HTML_SECTION.findall(text)]


def test_the_section_patterns_see_a_missing_section():
    """Oracle for the tests below: dropping one section from the Markdown is noticed."""
    markdown = render_markdown(sample_review("es"))
    cut = re.sub(r'<a id="drivers"></a>\n## [^\n]+\n', "", markdown)
    page = render_html(sample_review("es"))
    assert _md_sections(cut) != _html_sections(page)


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
@pytest.mark.parametrize("decision", [True, False])
def test_both_reports_have_the_same_sections_with_the_same_titles(lang, decision):
    """Every <section> of the page is a heading of the Markdown, in the same order and words."""
    review = sample_review(lang, decision=decision)
    figures = report_figures(review)
    md = _md_sections(render_markdown(review, figures=figures))
    page = _html_sections(render_html(review, figures=figures))
    assert [anchor for anchor, _ in page][: len(SECTIONS)] != []
    assert md == page
    assert set(SECTIONS) <= {anchor for anchor, _ in md}


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_markdown_links_every_figure_the_page_embeds(lang):
    """Fairness charts and the areas' figures: the same files, linked by the Markdown."""
    review = sample_review(lang)
    figures = report_figures(review)
    md = _MD_FIGURE.findall(render_markdown(review, figures=figures))
    page = _HTML_FIGURE.findall(render_html(review, figures=figures))
    assert len(page) == 3  # two fairness charts and one figure of the explain area
    assert sorted(md) == sorted(page)
    assert {"figures/fairness_zone_under_prediction_rate.svg"} <= set(md)


def test_written_bundle_holds_every_linked_figure_and_lists_it_in_the_manifest(tmp_path: Path):
    """The links of report.md resolve beside it and every figure file is in manifest.json."""
    written = write_review(sample_review("es"), tmp_path / "audit")
    folder = tmp_path / "audit"
    assert folder / "report.md" in written
    links = _MD_FIGURE.findall((folder / "report.md").read_text(encoding="utf-8"))
    embedded = _HTML_FIGURE.findall((folder / "report.html").read_text(encoding="utf-8"))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert links and sorted(links) == sorted(embedded)
    for link in links:
        target = folder / link
        assert target.is_file(), link
        content = target.read_bytes()
        assert content.startswith(b"<svg " if link.endswith(".svg") else b"\x89PNG"), link
        assert link in manifest["files"], link
    assert any(link.startswith("figures/fairness_") for link in links)
