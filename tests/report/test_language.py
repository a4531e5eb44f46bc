"""An es or pt report speaks only its language: texts, tables, input roles and figure labels.

A real review (a classifier's fairness, a regression model explained with SHAP, the checklist
with no questionnaire answered) is written in each language; the visible text of report.md and
report.html, and every text drawn in its figures (the texts of matplotlib's figures as they are
saved, and the text, title and description of each SVG chart), is checked against English words that have no
place in a Spanish or Portuguese report. The same review in English must use many of those words,
which shows the list catches what it is meant to catch.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.ensemble import HistGradientBoostingRegressor

import auditkit.explain._figures
from auditkit._config import load_config
from auditkit.report import write_review
from auditkit.review import run_review
from tests.explain._data import NUMERIC, city_table

pytestmark = pytest.mark.slow

TREE_TYPE = "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"

# English words a Spanish or Portuguese report must never show: the function words of English
# sentences and the words of the report's own vocabulary (statuses, table headers, input roles,
# shap's labels, the wording of the service-demand pilot). None is a Spanish or Portuguese word.
_ENGLISH_WORDS = """
    the and of with for from is are was were not this that which than other others by to be
    has have been will would should can cannot must every each only when where what why how
    high low sum features feature value values input inputs raw records record requests request
    predictions prediction questionnaire checklist pass passed fail failed failure failures
    warning warnings needs evidence insufficient applicable status items finding findings
    group groups rows ratio reference role file decision conditions severity fairness drivers
    week weeks year last same report summary overall section contents country language date
    version library figure figures attribution mean average interval coverage rate
    selection precision positive negative false true under missing none yes why read
    model's outputs versions hashes software owner due unassigned risk tier raised blocks
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())

# The function that saves matplotlib's figures, spied on to read the texts drawn in them.
_ORIGINAL_PNG = auditkit.explain._figures._png
_SVG_TEXT = tuple("{http://www.w3.org/2000/svg}" + tag for tag in ("text", "title", "desc"))
_FILE = re.compile(r"\S+\.(?:json|csv|parquet|md|html|png|svg|skops|yaml)\S*")
_DOTTED = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")  # configuration keys such as quality.as_of
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _words(text: str) -> set[str]:
    text = _FILE.sub(" ", text)
    text = _DOTTED.sub(" ", text)
    return {w.lower().strip("'’-") for w in _WORD.findall(text) if "_" not in w}


def _visible_html(page: str) -> str:
    page = re.sub(r"<(style|code|head)\b.*?</\1>", " ", page, flags=re.DOTALL)
    page = re.sub(r'<td class="hash">.*?</td>', " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _visible_markdown(text: str) -> str:
    text = re.sub(r"`[^`]*`", " ", text)  # code spans: file names, hashes, feature names
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    return re.sub(r"<a id=\"[a-z]+\"></a>", " ", text)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pilot with a classifier's predictions and a regression model to explain."""
    folder = tmp_path_factory.mktemp("pilot")
    data = city_table(400)
    data["ingreso"] = data.pop("income").map({"low": "ingreso_bajo", "high": "ingreso_alto"})
    model = HistGradientBoostingRegressor(loss="poisson", max_iter=30, random_state=0)
    model.fit(data[NUMERIC], data["requests"])
    sio.dump(model, folder / "model.skops")
    predictions = data[["requests", "ingreso"]].assign(pronostico=model.predict(data[NUMERIC]))
    predictions.to_csv(folder / "predictions.csv", index=False)
    data[NUMERIC].to_parquet(folder / "features.parquet", index=False)
    (folder / "audit.yaml").write_text(
        f"""\
pilot: {{name: Zapopan demanda, task: regression, country: MX}}
data:
  predictions: predictions.csv
  y_true: requests
  y_pred: pronostico
  groups: [ingreso]
fairness: {{metrics: [mean_absolute_error, under_prediction_rate], bootstrap: 50, min_group_size: 30}}
model:
  uri: model.skops
  trusted_types: [{TREE_TYPE}]
explain:
  features: features.parquet
  max_rows: 300
  bootstrap: 20
  top_k: 2
  feature_descriptions:
    reports_last_week: {{es: reportes de la semana anterior, pt: relatos da semana anterior,
                         en: reports in the previous week}}
risk: {{}}
""",
        encoding="utf-8",
    )
    rng = np.random.default_rng(1)
    classifier = folder / "classifier"
    classifier.mkdir()
    n = 600
    stratum = rng.choice(["muy_alto", "alto", "medio", "bajo"], size=n)
    truth = rng.random(n) < 0.3
    pd.DataFrame(
        {
            "estrato": stratum,
            "real": truth.astype(int),
            "marcado": np.where(rng.random(n) < 0.8, truth, ~truth).astype(int),
        }
    ).to_csv(classifier / "predictions.csv", index=False)
    (classifier / "audit.yaml").write_text(
        """\
pilot: {name: Prioridad, task: classification, country: MX}
data: {predictions: predictions.csv, y_true: real, y_pred: marcado, groups: [estrato]}
fairness:
  metrics: [selection_rate, false_negative_rate, false_positive_rate, precision]
  reference: {estrato: bajo}
  bootstrap: 50
""",
        encoding="utf-8",
    )
    return folder


def _render(config: Path, lang: str, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Review and write in ``lang``; collect every text drawn in every figure on the way."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    import auditkit.explain._figures as explain_figures

    drawn: list[str] = []

    def collect(figure: Any) -> None:
        if figure.canvas is None or not hasattr(figure.canvas, "draw"):
            FigureCanvasAgg(figure)
        figure.canvas.draw()
        drawn.extend(t.get_text() for t in figure.findobj(Text) if t.get_text().strip())

    def spy(original: Any) -> Any:
        def wrapped(figure: Any, *args: Any, **kwargs: Any) -> Any:
            collect(figure)
            return original(figure, *args, **kwargs)

        return wrapped

    monkeypatch.setattr(explain_figures, "_png", spy(_ORIGINAL_PNG))
    review = run_review(load_config(config), lang=lang)
    write_review(review, out)
    for chart in sorted((out / "figures").glob("*.svg")):
        root = ET.fromstring(chart.read_bytes())
        drawn.extend(e.text for tag in _SVG_TEXT for e in root.iter(tag) if e.text)
    return {
        "md": (out / "report.md").read_text(encoding="utf-8"),
        "html": (out / "report.html").read_text(encoding="utf-8"),
        "figures": drawn,
    }


@pytest.fixture(scope="module")
def reports(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as monkeypatch:
        for lang in ("es", "pt", "en"):
            for name, config in (
                ("explain", project / "audit.yaml"),
                ("classifier", project / "classifier" / "audit.yaml"),
            ):
                folder = tmp_path_factory.mktemp(f"{name}-{lang}")
                out[(name, lang)] = _render(config, lang, folder, monkeypatch)
    return out


def _english(report: dict[str, Any]) -> dict[str, set[str]]:
    return {
        "report.md": _words(_visible_markdown(report["md"])) & ENGLISH,
        "report.html": _words(_visible_html(report["html"])) & ENGLISH,
        "figures": _words("\n".join(report["figures"])) & ENGLISH,
    }


@pytest.mark.parametrize("name", ["explain", "classifier"])
def test_the_word_list_finds_english_in_the_english_report(reports, name):
    """Oracle: the same review in English is full of the listed words, in text and figures."""
    found = _english(reports[(name, "en")])
    assert len(found["report.md"]) >= 40, sorted(found["report.md"])
    assert len(found["report.html"]) >= 40, sorted(found["report.html"])
    assert len(found["figures"]) >= 3, sorted(found["figures"])


@pytest.mark.parametrize("lang", ["es", "pt"])
@pytest.mark.parametrize("name", ["explain", "classifier"])
def test_spanish_and_portuguese_reports_have_no_english(reports, name, lang):
    """No English word in report.md, report.html or any figure of an es or pt review."""
    report = reports[(name, lang)]
    assert report["figures"], "no figure text was collected"
    assert _english(report) == {"report.md": set(), "report.html": set(), "figures": set()}


@pytest.mark.parametrize(
    ("lang", "description"),
    [
        ("es", "reportes de la semana anterior"),
        ("pt", "relatos da semana anterior"),
        ("en", "reports in the previous week"),
    ],
)
def test_feature_descriptions_are_shown_in_the_readers_language(reports, lang, description):
    """explain.feature_descriptions: the table of inputs and the reason codes use them."""
    report = reports[("explain", lang)]
    for text in (report["md"], report["html"]):
        assert description in text
    assert f"{description} (reports_last_week)" in report["md"]  # in the reason codes


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_reason_code_examples_are_in_both_reports(reports, lang):
    """EXP-03 says the report includes 5 examples: both reports show those 5, in the language."""
    report = reports[("explain", lang)]
    said = {"es": "el informe incluye 5 ejemplos", "pt": "o relatório traz 5 exemplos"}
    said["en"] = "5 examples are in the report"
    assert said[lang] in report["md"]
    assert report["html"].count("<li data-example=") == 5
    section = report["md"].split('<a id="data"></a>')[0].rsplit("\n### ", 1)[1]
    examples = re.findall(r"^\d+\. (.+)$", section, flags=re.MULTILINE)
    assert len(examples) == 5
    verbs = {
        "es": ("aumentó", "redujo"),
        "pt": ("aumentou", "reduziu"),
        "en": ("raised", "lowered"),
    }
    assert all(any(verb in example for verb in verbs[lang]) for example in examples)


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
@pytest.mark.parametrize("name", ["explain", "classifier"])
def test_real_reviews_have_the_same_sections_and_figures_in_both_reports(reports, name, lang):
    """Parity on full reviews (SHAP figures, fairness charts, the checklist), not a sample."""
    from tests.report.test_parity import _HTML_FIGURE, _MD_FIGURE, _html_sections, _md_sections

    report = reports[(name, lang)]
    assert _md_sections(report["md"]) == _html_sections(report["html"])
    linked = sorted(_MD_FIGURE.findall(report["md"]))
    assert linked and linked == sorted(_HTML_FIGURE.findall(report["html"]))
    assert report["html"].count("<img ") + report["html"].count("<svg ") == len(linked)
