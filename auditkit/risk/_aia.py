"""Canada's Algorithmic Impact Assessment (AIA) v1.0.1: the question bank and its scoring.

The bank (``aia/survey-enfr.json``, MIT, © Government of Canada) is a SurveyJS document: pages
hold panels that hold questions. A select question (``radiogroup``, ``dropdown``, ``checkbox``)
is scored when its own name or its panel's name ends in ``-RS`` (raw risk score) or ``-MS``
(mitigation score). A choice value carries its weight after the last hyphen (``item1-3`` weighs
3; ``item1`` weighs 0); a checkbox adds the weights of the choices ticked.

The official tool (``src/store.ts``, ``calculateFinalScore``) then computes::

    raw        = Σ weight(answer)   over every -RS question
    max_raw    = Σ max weight       (radio/dropdown: the largest choice; checkbox: all choices)
    mitigation = Σ weight(answer)   over every -MS question
    max_mit    = Σ max weight over every -MS question, halved (Design/Implementation fork)
    total      = Math.round(0.85 · raw)  if mitigation ≥ 0.8 · max_mit  else raw
    level      = 1 if total ≤ 0.25·max_raw, 2 if ≤ 0.50·max_raw, 3 if ≤ 0.75·max_raw, else 4

Every question counts, visible or not, and every answer present in the data counts, exactly as
the tool's score bar does. (When a survey is completed, SurveyJS drops the answers of questions
hidden by ``visibleIf``, e.g. the other phase's mitigation pages, so a file saved after completion
holds none and its score is the results page's too.) Section scores follow
``calculateSectionScore`` (number of scored questions, project score and maximum per section);
auditkit groups them by page, which is what the tool's results page shows when a section's first
answer has a plain numbered name.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "AIA_VERSION",
    "AiaBank",
    "AiaQuestion",
    "AiaScore",
    "SectionScore",
    "choice_translations",
    "choice_weight",
    "load_bank",
    "question_title",
    "requirements_for_level",
    "score_answers",
]

AIA_VERSION = "1.0.1"
_DIR = Path(__file__).resolve().parent / "aia"
_SELECT = ("radiogroup", "dropdown", "checkbox")
ScoreType = Literal["risk", "mitigation", "none"]

# Page titles in Spanish and Portuguese (the bank has English and French).
PAGE_TITLES: dict[str, dict[str, str]] = {
    "projectDetails": {"es": "Datos del proyecto", "pt": "Dados do projeto"},
    "businessDrivers": {"es": "Razones para automatizar", "pt": "Motivos para automatizar"},
    "riskProfile": {"es": "Perfil de riesgo", "pt": "Perfil de risco"},
    "projectAuthority": {"es": "Facultades del proyecto", "pt": "Competência do projeto"},
    "aboutSystem": {"es": "Sobre el sistema", "pt": "Sobre o sistema"},
    "aboutAlgorithm": {"es": "Sobre el algoritmo", "pt": "Sobre o algoritmo"},
    "decisionSector": {"es": "Sobre la decisión", "pt": "Sobre a decisão"},
    "impact": {"es": "Evaluación de impacto", "pt": "Avaliação de impacto"},
    "aboutData": {"es": "Sobre los datos", "pt": "Sobre os dados"},
    "consultationDesign": {"es": "Consultas (diseño)", "pt": "Consultas (desenho)"},
    "consultationImplementation": {
        "es": "Consultas (implementación)",
        "pt": "Consultas (implementação)",
    },
    "dataQualityDesign": {
        "es": "Mitigación: calidad de los datos (diseño)",
        "pt": "Mitigação: qualidade dos dados (desenho)",
    },
    "dataQualityImplementation": {
        "es": "Mitigación: calidad de los datos (implementación)",
        "pt": "Mitigação: qualidade dos dados (implementação)",
    },
    "fairnessDesign": {
        "es": "Mitigación: equidad procesal (diseño)",
        "pt": "Mitigação: equidade processual (desenho)",
    },
    "fairnessImplementation": {
        "es": "Mitigación: equidad procesal (implementación)",
        "pt": "Mitigação: equidade processual (implementação)",
    },
    "privacyDesign": {
        "es": "Mitigación: privacidad (diseño)",
        "pt": "Mitigação: privacidade (desenho)",
    },
    "privacyImplementation": {
        "es": "Mitigación: privacidad (implementación)",
        "pt": "Mitigação: privacidade (implementação)",
    },
}


_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_RADIX = {"0x": 16, "0o": 8, "0b": 2}


class _ChoiceTexts(dict[str, dict[str, str]]):
    """Spanish and Portuguese for the bank's choice texts, looked up by trimmed English."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.strip(), default)


@functools.cache
def choice_translations() -> _ChoiceTexts:
    """Spanish and Portuguese of every choice text of the bank, by (trimmed) English text."""
    import yaml

    raw = yaml.safe_load((_DIR / "choices-es-pt.yaml").read_text(encoding="utf-8"))
    return _ChoiceTexts({str(k).strip(): dict(v) for k, v in raw.items()})


@functools.cache
def _question_texts() -> dict[str, dict[str, str]]:
    import yaml

    raw = yaml.safe_load((_DIR / "questions-es-pt.yaml").read_text(encoding="utf-8"))
    return {str(k): dict(v) for k, v in raw.items()}


def question_title(question: AiaQuestion, lang: str) -> str:
    """A question's title in ``lang``: the bank's en/fr, auditkit's es/pt, else English.

    Implementation-phase questions share the (present-tense) translation of their Design twin.
    """
    if lang in question.title:
        return question.title[lang]
    texts = _question_texts()
    twin = question.name.replace("Implementation", "Design")
    found = texts.get(question.name, texts.get(twin, {})).get(lang)
    return found or question.title.get("en", question.name)


def _js_number(text: str) -> float:
    """JavaScript's ``Number(text)``: blank is 0, a malformed number is NaN."""
    stripped = text.strip()
    if stripped == "":
        return 0.0
    if stripped in ("Infinity", "+Infinity", "-Infinity"):
        return -math.inf if stripped.startswith("-") else math.inf
    if _DECIMAL.fullmatch(stripped):
        return float(stripped)
    base = _RADIX.get(stripped[:2].lower())
    if base is not None:
        try:
            return float(int(stripped[2:], base))
        except ValueError:
            return math.nan
    return math.nan


@functools.lru_cache(maxsize=4096)
def _string_weight(value: str) -> float:
    """The tool's ``parseEmbeddedValue``: the number after the last hyphen, else 0."""
    hyphen = value.rfind("-")
    if hyphen == -1:
        return 0.0
    number = _js_number(value[hyphen + 1 :])
    return 0.0 if math.isnan(number) else number


def choice_weight(value: Any) -> float:
    """The tool's ``getValue``: the weight an answer carries.

    >>> choice_weight("item1-3"), choice_weight("item2"), choice_weight(["item1-1", "item5-3"])
    (3.0, 0.0, 4.0)
    """
    if isinstance(value, list):
        total = 0.0
        for element in value:
            if isinstance(element, bool):
                continue
            if isinstance(element, int | float):
                total += element
            elif isinstance(element, str):
                total += choice_weight(element)
        return total
    if isinstance(value, str):
        return _string_weight(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return 0.0


def _js_round(value: float) -> float:
    """JavaScript's ``Math.round``: halves go towards +infinity."""
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


@dataclass(frozen=True)
class AiaQuestion:
    """One question of the bank."""

    name: str
    type: str
    page: str
    score_type: ScoreType
    title: Mapping[str, str]
    choices: tuple[tuple[str, Mapping[str, str]], ...] = ()
    visible_if: str | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The choice values, e.g. ``("item1-3", "item2-0")``."""
        return tuple(value for value, _ in self.choices)

    @functools.cached_property
    def max_weight(self) -> float:
        """The tool's ``getMaxScoreForQuestion``."""
        weights = [choice_weight(value) for value in self.values]
        if self.type == "checkbox":
            return float(sum(weights))
        return max([0.0, *weights])


@dataclass(frozen=True)
class AiaBank:
    """The question bank: every answerable question in page order."""

    questions: tuple[AiaQuestion, ...]
    page_titles: Mapping[str, Mapping[str, str]]
    page_visible_if: Mapping[str, str] = field(default_factory=dict)

    @functools.cached_property
    def by_name(self) -> dict[str, AiaQuestion]:
        return {q.name: q for q in self.questions}

    @functools.cached_property
    def scored(self) -> tuple[AiaQuestion, ...]:
        """The questions that count for the raw or the mitigation score."""
        return tuple(q for q in self.questions if q.score_type != "none")

    def page_title(self, page: str, lang: str) -> str:
        """A page's title in ``lang`` (en/fr from the bank, es/pt from auditkit)."""
        titles = dict(self.page_titles.get(page, {}))
        titles.update(PAGE_TITLES.get(page, {}))
        return titles.get(lang) or titles.get("en") or page


def _score_type(name: str) -> ScoreType | None:
    if name.endswith("-RS"):
        return "risk"
    if name.endswith("-MS"):
        return "mitigation"
    if name.endswith("-NS"):
        return "none"
    return None


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {("en" if k == "default" else k): str(v) for k, v in value.items()}
    return {"en": str(value)} if value is not None else {}


def _walk(container: Mapping[str, Any], page: str, parent: str) -> list[AiaQuestion]:
    questions: list[AiaQuestion] = []
    for element in container.get("elements", []):
        kind = element.get("type")
        if kind == "panel":
            questions.extend(_walk(element, page, element.get("name", "")))
            continue
        if kind == "html":
            continue
        name = element["name"]
        score_type: ScoreType = "none"
        if kind in _SELECT:
            score_type = _score_type(name) or _score_type(parent) or "none"
        choices = tuple(
            (str(c["value"]), _text(c.get("text", c["value"])))
            if isinstance(c, dict)
            else (str(c), {"en": str(c)})
            for c in element.get("choices", [])
        )
        questions.append(
            AiaQuestion(
                name=name,
                type=str(kind),
                page=page,
                score_type=score_type,
                title=_text(element.get("title", name)),
                choices=choices,
                visible_if=element.get("visibleIf"),
            )
        )
    return questions


@functools.cache
def load_bank() -> AiaBank:
    """The AIA v1.0.1 question bank shipped with auditkit."""
    survey = json.loads((_DIR / "survey-enfr.json").read_text(encoding="utf-8"))
    questions: list[AiaQuestion] = []
    titles: dict[str, dict[str, str]] = {}
    visible: dict[str, str] = {}
    for page in survey["pages"]:
        titles[page["name"]] = _text(page.get("title"))
        if page.get("visibleIf"):
            visible[page["name"]] = str(page["visibleIf"])
        questions.extend(_walk(page, page["name"], page["name"]))
    return AiaBank(questions=tuple(questions), page_titles=titles, page_visible_if=visible)


@dataclass(frozen=True)
class SectionScore:
    """One section (page) of the questionnaire: the tool's ``getScoreBySection``."""

    section: str
    kind: Literal["risk", "mitigation"]
    questions: int
    answered: int
    score: float
    maximum: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "questions": self.questions,
            "answered": self.answered,
            "score": _number(self.score),
            "maximum": _number(self.maximum),
        }


@dataclass(frozen=True)
class AiaScore:
    """The result of ``calculateFinalScore`` plus the section scores."""

    raw_score: float
    max_raw_score: float
    mitigation_score: float
    max_mitigation_score: float
    deduction_applied: bool
    total_score: float
    level: int
    answered: int
    sections: tuple[SectionScore, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, numbers as integers where they are whole."""
        return {
            "aia_version": AIA_VERSION,
            "raw_score": _number(self.raw_score),
            "max_raw_score": _number(self.max_raw_score),
            "raw_percent": round(100 * self.raw_score / self.max_raw_score, 1),
            "mitigation_score": _number(self.mitigation_score),
            "max_mitigation_score": _number(self.max_mitigation_score),
            "mitigation_threshold": _number(0.8 * self.max_mitigation_score),
            "deduction_applied": self.deduction_applied,
            "total_score": _number(self.total_score),
            "level": self.level,
            "level_thresholds": [_number(self.max_raw_score * t) for t in (0.25, 0.5, 0.75)],
            "answered": self.answered,
            "sections": [s.to_dict() for s in self.sections],
        }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def score_answers(data: Mapping[str, Any], bank: AiaBank | None = None) -> AiaScore:
    """Score AIA answers exactly as the official tool v1.0.1 does.

    Parameters
    ----------
    data : Mapping
        Question name to answer, as in the ``data`` object of the tool's saved file (choice
        values such as ``"item1-3"``, lists of them for checkboxes). Validate it first with
        :func:`auditkit.risk._questionnaire.validate_aia_answers`; this function scores whatever
        it is given, as the tool does.
    """
    bank = bank or load_bank()
    raw = max_raw = mitigation = max_mitigation = 0.0
    answered = 0
    per_page: dict[str, list[float]] = {}
    kinds: dict[str, Literal["risk", "mitigation"]] = {}
    for question in bank.scored:
        value = choice_weight(data.get(question.name))
        maximum = question.max_weight
        if question.score_type == "risk":
            raw += value
            max_raw += maximum
        else:
            mitigation += value
            max_mitigation += maximum
        present = question.name in data and data[question.name] not in (None, [], "")
        answered += present
        row = per_page.setdefault(question.page, [0, 0, 0.0, 0.0])
        row[0] += 1
        row[1] += present
        row[2] += value
        row[3] += maximum
        kinds[question.page] = "risk" if question.score_type == "risk" else "mitigation"
    max_mitigation_per_phase = max_mitigation / 2
    deduction = mitigation >= 0.8 * max_mitigation_per_phase
    total = _js_round((1 - 0.15) * raw) if deduction else raw
    if total <= max_raw * 0.25:
        level = 1
    elif total <= max_raw * 0.5:
        level = 2
    elif total <= max_raw * 0.75:
        level = 3
    else:
        level = 4
    sections = tuple(
        SectionScore(
            section=page,
            kind=kinds[page],
            questions=int(row[0]),
            answered=int(row[1]),
            score=row[2],
            maximum=row[3],
        )
        for page, row in per_page.items()
    )
    return AiaScore(
        raw_score=raw,
        max_raw_score=max_raw,
        mitigation_score=mitigation,
        max_mitigation_score=max_mitigation_per_phase,
        deduction_applied=deduction,
        total_score=total,
        level=level,
        answered=answered,
        sections=sections,
    )


def requirements_for_level(level: int) -> list[dict[str, str]]:
    """The Directive on Automated Decision-Making's requirements at an AIA impact level.

    From the official tool's ``src/plugins/en.json`` (Appendix C of the Directive), in English:
    notice, explanation, peer review, GBA Plus, training, human involvement, approval.

    >>> [r["requirement"] for r in requirements_for_level(3)][:2]
    ['Notice', 'Explanation']
    """
    document = json.loads((_DIR / "requirements-en.json").read_text(encoding="utf-8"))
    return [
        {"requirement": str(block["title"]), "text": str(block["elements"][level - 1]["text"])}
        for block in document["requirements"]["elements"]
    ]
