"""The bundled playbook and the playbook schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from auditkit._checks import CHECKS
from auditkit._errors import PlaybookError
from auditkit.risk._playbook import bundled_playbook_path, load_playbook

# The automatic items and the checks that compute them, as fixed by the check registry.
EXPECTED_AUTO = {
    "FAI-01": "fairness.group_coverage",
    "FAI-02": "fairness.disparity",
    "FAI-03": "fairness.intersectional",
    "FAI-04": "fairness.proxy_features",
    "VAL-01": "performance.baseline_skill",
    "VAL-02": "performance.interval_coverage",
    "VAL-03": "data.leakage",
    "DAT-03": "data.representativeness",
    "DAT-04": "data.quality",
    "DAT-05": "data.freshness",
    "LEG-04": "privacy.personal_data",
    "LEG-05": "privacy.small_cells",
    "EXP-01": "explain.global_importance",
    "EXP-02": "explain.group_drivers",
    "EXP-03": "explain.reason_codes",
    "INT-01": "risk.prohibited_use",
    "INT-02": "risk.classification",
    "INT-03": "risk.impact_assessment",
}
SECTIONS = [
    "INT",
    "PUR",
    "LEG",
    "GOV",
    "ENG",
    "DAT",
    "VAL",
    "FAI",
    "EXP",
    "HUM",
    "TPP",
    "OPS",
    "EVA",
]
# Words that give away English left behind in a Spanish or Portuguese text.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|which|should|is there|are there|does|has been)\b", re.I
)


def _raw() -> dict:
    return yaml.safe_load(bundled_playbook_path().read_text(encoding="utf-8"))


def test_bundled_playbook_size_and_sections() -> None:
    """60-80 items covering every required section, in the documented order."""
    playbook = load_playbook()
    assert 60 <= len(playbook.items) <= 80
    assert [s.code for s in playbook.sections] == SECTIONS
    assert {i.section for i in playbook.items} == set(SECTIONS)


def test_every_item_has_three_languages() -> None:
    """Title and question are non-empty in es, pt and en for every item (read from the raw YAML)."""
    for item in _raw()["items"]:
        for field in ("title", "question"):
            assert set(item[field]) == {"es", "pt", "en"}, (item["id"], field)
            assert all(isinstance(t, str) and t.strip() for t in item[field].values())
            assert item[field]["es"] != item[field]["en"] or field == "title"


def test_no_english_left_in_spanish_or_portuguese() -> None:
    """Spanish and Portuguese questions contain no common English words."""
    for item in load_playbook().items:
        for lang in ("es", "pt"):
            text = item.question.get(lang)
            assert not ENGLISH_WORDS.search(text), (item.id, lang, text)


def test_auto_items_bind_to_existing_checks() -> None:
    """Every auto item names a registered check whose item is that item, and vice versa."""
    playbook = load_playbook()
    auto = {i.id: i.auto_check for i in playbook.items if i.check == "auto"}
    assert auto == EXPECTED_AUTO
    for item_id, check in auto.items():
        assert check in CHECKS
        assert CHECKS[check].item == item_id
    bound_items = {info.item for info in CHECKS.values() if info.item != "*"}
    assert bound_items <= {i.id for i in playbook.items}


def test_tiers_and_sources() -> None:
    """Tiers are 1-4, blocking never before applying, every item cites a framework."""
    for item in load_playbook().items:
        assert 1 <= item.min_tier <= 4
        assert item.blocking_from_tier is None or item.min_tier <= item.blocking_from_tier <= 4
        assert item.sources


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "custom.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _one_item(**changes: object) -> dict:
    raw = _raw()
    item = next(i for i in raw["items"] if i["id"] == "PUR-02")
    item = {**item, **changes}
    return {**raw, "items": [item]}


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        (
            {"title": {"es": "Alternativas", "en": "Alternatives"}},
            r"item 'PUR-02', field 'title.pt'",
        ),
        ({"check": "robot"}, r"field 'check'.*'auto', 'artefact' or 'human'"),
        ({"check": "auto"}, r"needs 'auto_check'"),
        ({"check": "auto", "auto_check": "fairness.nope"}, r"'fairness.nope' is not a registered"),
        (
            {"check": "auto", "auto_check": "fairness.disparity"},
            r"reports on item 'FAI-02', not 'PUR-02'",
        ),
        ({"min_tier": 3, "blocking_from_tier": 2}, r"below min_tier"),
        ({"min_tier": 5}, r"field 'min_tier'.*less than or equal to 4"),
        ({"id": "PUR-2"}, r"'FAI-02'.*'PUR-2'"),
        ({"section": "XYZ", "id": "XYZ-01"}, r"not declared: \['XYZ'\]"),
        ({"sources": {"wikipedia": ["AI"]}}, r"unknown source \['wikipedia'\]"),
        ({"colour": "red"}, r"field 'colour': is not a known field"),
    ],
)
def test_invalid_playbooks(tmp_path: Path, changes: dict, match: str) -> None:
    """Each schema violation names the file, the item, the field and what was expected."""
    path = _write(tmp_path, _one_item(**changes))
    with pytest.raises(PlaybookError, match=match) as info:
        load_playbook(path)
    assert str(path.resolve()) in str(info.value)


def test_duplicate_ids(tmp_path: Path) -> None:
    """An id used twice is reported."""
    raw = _one_item()
    raw["items"] = raw["items"] * 2
    with pytest.raises(PlaybookError, match=r"item ids appear twice: \['PUR-02'\]"):
        load_playbook(_write(tmp_path, raw))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("items: [\n  - id: X\n bad", r"not valid YAML at line"),
        ("- just\n- a list\n", r"expected a mapping"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, match: str) -> None:
    """Malformed YAML and a wrong top-level shape are clear PlaybookErrors."""
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlaybookError, match=match):
        load_playbook(path)


def test_missing_file(tmp_path: Path) -> None:
    """A missing playbook file is a PlaybookError naming it."""
    with pytest.raises(PlaybookError, match="file not found"):
        load_playbook(tmp_path / "nope.yaml")


def test_unknown_item_suggests() -> None:
    """Looking up an unknown id suggests the closest one."""
    with pytest.raises(PlaybookError, match="Did you mean 'FAI-02'"):
        load_playbook().item("FAI-2")


def test_risk_public_api_is_sorted_and_resolves() -> None:
    """auditkit.risk exports a sorted __all__ (constants, classes, functions) that resolves."""
    import auditkit.risk as risk

    def kind(member: str) -> tuple[int, str]:
        return (0 if member.isupper() else 1 if member[0].isupper() else 2), member

    assert list(risk.__all__) == sorted(risk.__all__, key=kind)
    assert all(getattr(risk, name) is not None for name in risk.__all__)
