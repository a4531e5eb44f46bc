"""The one pydantic-error translator: the sentences of audit.yaml and of lists of entries."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from auditkit._validation import explain_validation_error, valid_keys


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Fairness(_Strict):
    seed: int = 0
    band: tuple[float, float] = (0.8, 1.25)


class _Config(_Strict):
    name: str
    fairness: _Fairness = Field(default_factory=_Fairness)
    source: str | None = Field(default=None, exclude=True)


class _Item(_Strict):
    id: str
    min_tier: int = Field(ge=1, le=4)


class _Section(_Strict):
    code: str


class _Book(_Strict):
    version: int
    sections: list[_Section] = Field(default_factory=list)
    items: list[_Item] = Field(default_factory=list)


def _explain(model: type[BaseModel], raw: Any, **options: Any) -> str:
    with pytest.raises(ValidationError) as info:
        model.model_validate(raw)
    return explain_validation_error(info.value, model, raw=raw, **options)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"name": "x", "fairness": {"sed": 1}},
            "unknown key 'fairness.sed' in fairness. Valid keys are: seed, band. "
            "Did you mean 'seed'?",
        ),
        (
            {"name": "x", "colour": 1},
            "unknown key 'colour' in the top level. Valid keys are: name, fairness.",
        ),
        ({}, "the key 'name' is required but missing."),
        (
            {"name": "x", "fairness": {"seed": "many"}},
            "'fairness.seed': Input should be a valid integer, unable to parse string as an "
            "integer (found 'many').",
        ),
    ],
)
def test_configuration_sentences(raw: Any, expected: str) -> None:
    """A configuration names the dotted key, the valid keys and what was found."""
    assert _explain(_Config, raw) == expected


ENTRIES = {"items": "id", "sections": None}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            {"version": 1, "items": [{"id": "PUR-02", "min_tier": 5}]},
            "item 'PUR-02', field 'min_tier': Input should be less than or equal to 4 (found 5).",
        ),
        (
            {"version": 1, "items": [{"min_tier": 1}]},
            "item #1, field 'id': is required but missing.",
        ),
        (
            {"version": 1, "sections": [{"code": "PUR", "colour": "red"}]},
            "section #1, field 'colour': is not a known field.",
        ),
        ({"version": [1]}, "top level, field 'version': Input should be a valid integer."),
    ],
)
def test_entry_sentences(raw: Any, expected: str) -> None:
    """A list of entries names the entry by its id (or position), then the field."""
    assert _explain(_Book, raw, entries=ENTRIES) == expected


def test_several_problems_are_one_message() -> None:
    """Every problem is reported at once, one sentence each."""
    message = _explain(_Config, {"fairness": {"sed": 1}})
    assert message.startswith("the key 'name' is required but missing. unknown key")


def test_valid_keys_leave_out_excluded_fields() -> None:
    """Fields kept off the file (where it was read from) are not offered as keys."""
    assert valid_keys(_Config) == ["name", "fairness"]
