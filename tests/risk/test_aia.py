"""AIA v1.0.1 scoring against an independent re-implementation of the official algorithm.

The oracle below reads the SurveyJS bank itself and follows ``calculateFinalScore`` of the
official tool (canada-ca/aia-eia-js, ``src/store.ts``) step by step; it shares no code with
``auditkit.risk._aia``.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from auditkit._errors import PlaybookError
from auditkit.risk._aia import score_answers
from auditkit.risk._questionnaire import assess, load_answers, parse_answers

BANK = Path(__file__).resolve().parents[2] / "auditkit" / "risk" / "aia" / "survey-enfr.json"


def _oracle_questions() -> list[dict]:
    """Every select question with its score kind ('RS'/'MS'/None), from the raw bank."""
    survey = json.loads(BANK.read_text(encoding="utf-8"))
    found = []

    def visit(container: dict, parent_name: str) -> None:
        for element in container.get("elements", []):
            if element["type"] == "panel":
                visit(element, element["name"])
            elif element["type"] in ("radiogroup", "dropdown", "checkbox"):
                kind = None
                for name in (element["name"], parent_name):
                    if name.endswith(("-RS", "-MS", "-NS")):
                        kind = name[-2:]
                        break
                found.append(
                    {
                        "name": element["name"],
                        "type": element["type"],
                        "kind": kind if kind in ("RS", "MS") else None,
                        "values": [
                            c["value"] if isinstance(c, dict) else c for c in element["choices"]
                        ],
                    }
                )

    for page in survey["pages"]:
        visit(page, page["name"])
    return found


QUESTIONS = _oracle_questions()


def _weight(value: str) -> int:
    _head, sep, tail = value.rpartition("-")
    return int(tail) if sep else 0


def oracle(data: dict) -> tuple[int, int, int, int]:
    """(raw, mitigation, total, level) the way the official tool computes them."""
    raw = max_raw = mit = max_mit = 0
    for q in QUESTIONS:
        if q["kind"] is None:
            continue
        answer = data.get(q["name"])
        got = (
            sum(_weight(v) for v in answer)
            if isinstance(answer, list)
            else (_weight(answer) if isinstance(answer, str) else 0)
        )
        weights = [_weight(v) for v in q["values"]]
        best = sum(weights) if q["type"] == "checkbox" else max(weights)
        if q["kind"] == "RS":
            raw, max_raw = raw + got, max_raw + best
        else:
            mit, max_mit = mit + got, max_mit + best
    total = math.floor(0.85 * raw + 0.5) if mit >= 0.8 * max_mit / 2 else raw
    share = total / max_raw
    level = 1 if share <= 0.25 else 2 if share <= 0.5 else 3 if share <= 0.75 else 4
    return raw, mit, total, level


def _ours(data: dict) -> tuple[int, int, int, int]:
    s = score_answers(data)
    return int(s.raw_score), int(s.mitigation_score), int(s.total_score), s.level


def _all(kind: str, pick) -> dict:
    return {q["name"]: pick(q) for q in QUESTIONS if q["kind"] == kind}


def _max_choice(q: dict):
    if q["type"] == "checkbox":
        return list(q["values"])
    return max(q["values"], key=_weight)


DESIGN_MAX = {
    k: v
    for k, v in _all("MS", _max_choice).items()
    if "Design" in k  # the Design fork only
}


def test_bank_maxima_match_the_published_figures() -> None:
    """The raw maximum is 167 and the mitigation maximum 77 per phase (v1.0.1)."""
    s = score_answers({})
    assert (s.max_raw_score, s.max_mitigation_score) == (167, 77)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # nothing answered
        ({}, (0, 0, 0, 1)),
        # 3 + 3 + 4 + 4 + three sectors (1 each) = 17, no mitigation: 17 <= 41.75 -> I
        (
            {
                "riskProfile1": "item1-3",
                "riskProfile2": "item1-3",
                "impact30": "item1-4",
                "aboutDataSource5": "item1-4",
                "decisionSector1": ["item1-1", "item2-1", "item3-1"],
            },
            (17, 0, 17, 1),
        ),
        # every risk answer at its maximum: 167 -> IV
        (_all("RS", _max_choice), (167, 0, 167, 4)),
        # full mitigation on the Design fork: 167 * 0.85 = 141.95 -> 142, still IV
        ({**_all("RS", _max_choice), **DESIGN_MAX}, (167, 77, 142, 4)),
        # raw 10 with full mitigation: 8.5 rounds half up to 9 (JavaScript Math.round)
        (
            {"impact30": "item1-4", "impact3": "item1-4", "impact22": "item1-2", **DESIGN_MAX},
            (10, 77, 9, 1),
        ),
        # mitigation 62 >= 61.6 gets the deduction; 61 does not
        (
            {
                **_all("RS", _max_choice),
                **{**DESIGN_MAX, "fairnessDesign21": ["item1-1"]},
                "dataQualityDesign1": "item2-0",
                "dataQualityDesign5": "item2-0",
                "dataQualityDesign8": "item2-0",
                "dataQualityDesign10": "item2-0",
                "consultationDesign1": "item2-0",
            },
            (167, 62, 142, 4),
        ),
        (
            {
                "impact30": "item1-4",
                "impact3": "item1-4",
                "impact22": "item1-2",
                **{**DESIGN_MAX, "fairnessDesign21": []},
                "dataQualityDesign1": "item2-0",
                "dataQualityDesign5": "item2-0",
                "dataQualityDesign8": "item2-0",
                "dataQualityDesign10": "item2-0",
                "consultationDesign1": "item2-0",
            },
            (10, 61, 10, 1),
        ),
        # 84 raw: 83.5 < 84 <= 125.25 -> III without deduction, 71 -> II with it
        (
            {
                **{
                    k: v
                    for k, v in _all("RS", _max_choice).items()
                    if k.startswith(("impact", "aboutDataSource"))
                }
            },
            None,
        ),
    ],
)
def test_hand_worked_answer_sets(data: dict, expected: tuple | None) -> None:
    """Hand-computed scores, and the oracle agrees with them."""
    if expected is not None:
        assert oracle(data) == expected
    assert _ours(data) == oracle(data)


def _random_answers(rng: random.Random, p_answer: float) -> dict:
    data: dict = {}
    for q in QUESTIONS:
        if rng.random() > p_answer:
            continue
        if q["type"] == "checkbox":
            data[q["name"]] = rng.sample(q["values"], rng.randint(0, len(q["values"])))
        else:
            data[q["name"]] = rng.choice(q["values"])
    return data


@pytest.mark.parametrize("seed", range(300))
def test_random_answer_sets_match_the_oracle(seed: int) -> None:
    """Random answer sets (sparse to complete) score like the official algorithm."""
    rng = random.Random(seed)
    data = _random_answers(rng, p_answer=rng.choice([0.1, 0.5, 0.9, 1.0]))
    assert _ours(data) == oracle(data)


def test_levels_cover_all_four() -> None:
    """The random sets reach all four levels, so the thresholds are exercised."""
    levels = set()
    rng = random.Random(7)
    for _ in range(400):
        data = _random_answers(rng, rng.choice([0.2, 0.6, 1.0]))
        # bias towards high weights half of the time
        if rng.random() < 0.5:
            data.update({k: v for k, v in _all("RS", _max_choice).items() if rng.random() < 0.7})
        levels.add(oracle(data)[3])
        assert _ours(data) == oracle(data)
    assert levels == {1, 2, 3, 4}


def test_section_scores_add_up() -> None:
    """Per-section scores sum to the raw and mitigation totals."""
    data = _random_answers(random.Random(3), 1.0)
    s = score_answers(data)
    assert sum(x.score for x in s.sections if x.kind == "risk") == s.raw_score
    assert sum(x.score for x in s.sections if x.kind == "mitigation") == s.mitigation_score
    assert sum(x.maximum for x in s.sections if x.kind == "risk") == 167
    names = [x.section for x in s.sections]
    assert names[:3] == ["businessDrivers", "riskProfile", "projectAuthority"]


def test_official_saved_file_is_accepted_unchanged(tmp_path: Path) -> None:
    """The AIA tool's own saved JSON (currentPage, data, version...) is read as it is."""
    data = _random_answers(random.Random(11), 0.8)
    data.update({"projectDetailsTitle": "Pronóstico de demanda", "projectDetailsPhase": "item1"})
    saved = {"currentPage": 12, "data": data, "version": "v1.0.1", "translationsOnResult": {}}
    path = tmp_path / "SurveyResults.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    answers = load_answers(path)
    assert answers.format == "aia-tool"
    result = assess(answers)
    assert (
        result.score.raw_score,
        result.score.mitigation_score,
        result.score.total_score,
        result.score.level,
    ) == oracle(data)
    assert not result.complete  # the municipal questions are not in the tool's file


def test_auditkit_yaml_with_aia_file(tmp_path: Path) -> None:
    """An auditkit answers file can point at the tool's saved file and add municipal answers."""
    data = _random_answers(random.Random(5), 1.0)
    (tmp_path / "aia.json").write_text(
        json.dumps({"currentPage": 0, "data": data}), encoding="utf-8"
    )
    (tmp_path / "answers.yaml").write_text(
        "aia_file: aia.json\nmunicipal:\n  prohibited_uses: [none]\n  high_risk_uses: [none]\n"
        "  profiling: no\n  auto_action: yes\n  significant_effect: no\n  vendor_black_box: no\n"
        "  territorial_allocation: reports\n  resident_chatbot: yes\n",
        encoding="utf-8",
    )
    result = assess(load_answers(tmp_path / "answers.yaml"))
    assert result.complete
    assert result.floor == 2
    assert {(t.question, t.value) for t in result.triggers} == {
        ("auto_action", "yes"),
        ("territorial_allocation", "reports"),
        ("resident_chatbot", "yes"),
    }
    assert _ours(data) == oracle(data)


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        ({"aia": {"riskProfil1": "item1-3"}}, r"'riskProfil1' is not a question.*'riskProfile1'"),
        (
            {"aia": {"riskProfile1": "item3-3"}},
            r"'riskProfile1': 'item3-3' is not one of the choices.*'item1-3' \(Yes\)",
        ),
        ({"aia": {"decisionSector1": "item1-1"}}, r"'decisionSector1' takes a list"),
        ({"aia": {"decisionSector1": ["item9-9"]}}, r"'decisionSector1' takes a list"),
        ({"data": {"impact30": 4}}, r"'impact30': 4 is not one of the choices"),
        ({"municipal": {"profilling": "yes"}}, r"'municipal.profilling'.*'profiling'"),
        ({"municipal": {"profiling": "maybe"}}, r"'municipal.profiling': 'maybe' is not one"),
        (
            {"municipal": {"prohibited_uses": ["none", "social_scoring"]}},
            r"'none' cannot be combined",
        ),
        ({"aia": {}, "aia_file": "x.json"}, r"either 'aia' or 'aia_file'"),
        ({"answers": {}}, r"unknown key\(s\) \['answers'\]"),
        ({"schema": "v2"}, r"'schema' must be 'auditkit.answers/1'"),
        ([1, 2], r"expected a mapping"),
    ],
)
def test_bad_answers(raw: object, match: str) -> None:
    """Each bad answer is a PlaybookError saying what was expected and what was found."""
    with pytest.raises(PlaybookError, match=match):
        parse_answers(raw, file=Path("answers.yaml"))


def test_malformed_answers_file(tmp_path: Path) -> None:
    """Malformed YAML is a PlaybookError with the line."""
    path = tmp_path / "answers.yaml"
    path.write_text("aia:\n  riskProfile1: [item1-3\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="not valid YAML at line"):
        load_answers(path)


def test_lax_mode_scores_what_the_tool_would(tmp_path: Path) -> None:
    """--lax keeps unknown names and non-choice values and scores them as the tool does."""
    data = {
        "impact30": "item1-4",
        "oldQuestion7": "item1-3",
        "impact3": "item9-2",
        "riskProfile1": 5,
    }
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"currentPage": 0, "data": data}), encoding="utf-8")
    with pytest.raises(PlaybookError):
        load_answers(path)
    answers = load_answers(path, lax=True)
    assert len(answers.problems) == 3
    # the tool ignores unknown names, reads the suffix of any string and takes numbers as they are
    assert _ours(dict(answers.aia)) == oracle_js(data) == (11, 0, 11, 1)


def oracle_js(data: dict) -> tuple[int, int, int, int]:
    """The oracle, extended with the tool's getValue for numbers (lax inputs)."""
    numbers = {k: v for k, v in data.items() if isinstance(v, int)}
    strings = {k: v for k, v in data.items() if not isinstance(v, int)}
    raw, mit, total, level = oracle(strings)
    extra = sum(
        v
        for k, v in numbers.items()
        if any(q["name"] == k and q["kind"] == "RS" for q in QUESTIONS)
    )
    return raw + extra, mit, total + extra, level


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_answers_template_has_no_english_left(lang: str) -> None:
    """Every question title and choice the es/pt template shows has its own translation."""
    from auditkit.risk._aia import choice_translations, load_bank, question_title
    from auditkit.risk._render import answers_template

    shown = [
        q
        for q in load_bank().questions
        if q.score_type != "none" or q.name == "projectDetailsPhase"
    ]
    for question in shown:
        assert question_title(question, lang) != question.title["en"], question.name
        for _, text in question.choices:
            assert choice_translations().get(text["en"], {}).get(lang), (question.name, text["en"])
    template = answers_template(lang)
    for english in ("Will you", "Have you", "Is the system", "(Check all that apply)"):
        assert english not in template


def test_example_questionnaire_matches_the_oracle(repo_root: Path) -> None:
    """The committed example answers score the same with the oracle (45 raw, level II)."""
    answers = load_answers(repo_root / "examples/audits/demand-forecast/cuestionario.yaml")
    assert _ours(dict(answers.aia)) == oracle(dict(answers.aia)) == (45, 32, 45, 2)


def test_tool_file_variants(tmp_path: Path) -> None:
    """'data' saved as a JSON string is read; unscored selects (department) are not checked."""
    data = {"impact30": "item1-4", "projectDetailsDepartment-NS": "999"}
    path = tmp_path / "saved.json"
    path.write_text(json.dumps({"currentPage": 2, "data": json.dumps(data)}), encoding="utf-8")
    answers = load_answers(path)
    assert _ours(dict(answers.aia)) == oracle(data) == (4, 0, 4, 1)
