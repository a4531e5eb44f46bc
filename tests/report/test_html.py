"""report.html: self-contained, complete in es/pt/en, locale-formatted, small cells suppressed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from auditkit.i18n import catalog
from auditkit.report._html import SECTIONS, render_html
from tests.report.samples import SUPPRESSED_GROUP, sample_review

WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.urls: list[str] = []
        self.text: list[str] = []
        self.decision: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("src", "href", "action", "data", "poster"):
            if found.get(name):
                self.urls.append(str(found[name]))
        if found.get("data-decision"):
            self.decision = found["data-decision"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


DECISION_LABELS = {
    "es": "APROBADO CON CONDICIONES",
    "pt": "APROVADO COM CONDIÇÕES",
    "en": "GO WITH CONDITIONS",
}
TITLES = {
    "es": "Informe de auditoría previa al despliegue",
    "pt": "Relatório de auditoria pré-implantação",
    "en": "Pre-deployment audit report",
}


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_every_section_renders_in_each_language(lang: str) -> None:
    """The decision and every section are there, titled in the report's language."""
    html = render_html(sample_review(lang), created=WHEN)
    page = _parse(html)
    assert set(SECTIONS) <= page.ids
    assert page.decision == "GO_WITH_CONDITIONS"
    assert DECISION_LABELS[lang] in html
    assert TITLES[lang] in html
    assert f'<html lang="{lang}">' in html
    for section in SECTIONS:
        assert catalog(lang)[f"html.section.{section}"] in html


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_no_english_and_no_raw_keys_left(lang: str) -> None:
    """Spanish and Portuguese pages carry no English report text and no untranslated key."""
    html = render_html(sample_review(lang), created=WHEN)
    text = " ".join(_parse(html).text)
    english = catalog("en")
    own = catalog(lang)
    leaked = [
        english[k]
        for k in english
        if k.startswith(("report.", "html."))
        and english[k] != own[k]
        and len(english[k]) > 12
        and english[k] in text
    ]
    assert leaked == []
    assert not re.search(r"\b(report|html)\.[a-z_]+\.[a-z_]+", text)


def test_self_contained_nothing_fetched() -> None:
    """Every URL is an in-page anchor or a data: URI; a CSP forbids any fetch."""
    html = render_html(sample_review("en"), created=WHEN)
    page = _parse(html)
    assert page.urls
    for url in page.urls:
        assert url.startswith(("#", "data:image/png;base64,")), url
    assert "default-src 'none'; img-src data:" in html
    assert "<script" not in html
    assert "<link" not in html
    assert "@import" not in html
    assert "url(" not in html


def test_small_cells_are_suppressed() -> None:
    """The group under min_cell shows its name and '< 10', never its count or value."""
    review = sample_review("en")
    html = render_html(review, created=WHEN)
    row = re.search(rf"<tr[^>]*>\s*<td>{SUPPRESSED_GROUP}</td>.*?</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[1] == "&lt; 10"
    assert set(cells[2:6]) == {"—"}
    assert "0.123" not in html and "0,123" not in html
    assert ">7<" not in html


@pytest.mark.parametrize(
    ("lang", "country", "expected"),
    [
        # hand-written: how each locale writes 12,345 rows, values, intervals and dates
        (
            "es",
            "MX",
            [
                "12,345 registros",
                ">0.31<",
                ">1.32 – 1.81<",
                "30 de junio de 2026",
                "1 de marzo de 2026",
            ],
        ),
        ("es", "CO", ["12.345 registros", ">0,31<", ">1,32 – 1,81<", "30 de junio de 2026"]),
        ("es", "UY", ["12.345 registros", ">0,279 – 0,341<"]),
        ("pt", "BR", ["12.345 registros", ">0,31<", "30 de junho de 2026", "1 de março de 2026"]),
        ("en", None, ["12,345 rows", ">0.31<", ">1.32 – 1.81<", "June 30, 2026", "March 1, 2026"]),
    ],
)
def test_numbers_and_dates_follow_the_locale(
    lang: str, country: str | None, expected: list[str]
) -> None:
    """Numbers, intervals and dates are written as the pilot's country writes them."""
    html = render_html(sample_review(lang, country=country), created=WHEN)
    for text in expected:
        assert text in html


def test_without_a_risk_decision_the_page_says_so() -> None:
    """Before the risk area runs, the page states there is no decision and why."""
    html = render_html(sample_review("es", decision=False), created=WHEN)
    assert _parse(html).decision == "none"
    assert "no incluye una decisión de despliegue" in html
    assert "falla" in html  # the worst status among the findings, translated
    assert "En esta revisión no se evaluó el nivel de riesgo." in html


def test_same_review_same_bytes() -> None:
    """Rendering is deterministic (figures included) for a fixed date."""
    assert render_html(sample_review("pt"), created=WHEN) == render_html(
        sample_review("pt"), created=WHEN
    )


def test_many_groups_chart_says_it_shows_the_furthest() -> None:
    """With more groups than a chart can hold, the caption says so; the table lists them all."""
    review = sample_review("en")
    extra = []
    for i in range(30):
        row = dict(review.metrics[2])  # Providencia: a judged zone
        row.update(group=f"colonia-{i:02d}", ratio=1 + i / 100)
        extra.append(row)
    review.metrics.extend(extra)
    html = render_html(review, created=WHEN)
    assert (
        "The chart shows the 25 groups furthest from the reference; the table lists all 34." in html
    )
    assert "colonia-00" in html and "colonia-29" in html


def test_linked_figures_leave_the_page_light() -> None:
    """embed_figures=False: the charts come from figures/ beside the page, none inline."""
    review = sample_review("es")
    embedded = render_html(review, created=WHEN)
    linked = render_html(review, created=WHEN, embed_figures=False)
    assert "data:image/png;base64," in embedded
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in embedded  # charts inline
    assert "data:image/png;base64," not in linked
    assert "<svg " not in linked
    assert 'src="figures/shap_bar.png"' in linked
    assert 'src="figures/fairness_zone_under_prediction_rate.svg"' in linked
    assert "img-src &#39;self&#39; data:;" in linked
    assert len(linked) < len(embedded)
