"""The impact questionnaire: answers files, their validation and what they imply.

Two kinds of answers file are read, JSON or YAML alike:

* the file Canada's AIA tool saves (``{"currentPage": ..., "data": {...}}``), unchanged;
* auditkit's own answers file::

      schema: auditkit.answers/1
      aia:                      # AIA answers by question name (or aia_file: SurveyResults.json)
        projectDetailsPhase: item1
        riskProfile1: item2-0
      municipal:                # the municipal classification questions
        prohibited_uses: [none]
        profiling: no

Every answer to a choice question must be one of its choices. The municipal questions
(``playbooks/municipal-questions.yaml``) do not change the AIA score: they stop prohibited uses,
raise the tier to a floor, or make items blocking at every tier.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from auditkit._config import yes_no
from auditkit._errors import PlaybookError
from auditkit._resources import resource_path
from auditkit._validation import explain_validation_error
from auditkit.risk._aia import AiaBank, AiaScore, load_bank, score_answers
from auditkit.risk._playbook import SOURCE_KEYS, Text

__all__ = [
    "ANSWERS_SCHEMA",
    "Answers",
    "Assessment",
    "Choice",
    "MunicipalQuestion",
    "QuestionSet",
    "Trigger",
    "assess",
    "load_answers",
    "load_municipal_questions",
    "parse_answers",
]

ANSWERS_SCHEMA = "auditkit.answers/1"
_AIA_FILE_KEYS = ("currentPage", "data", "translationsOnResult", "version")
_OWN_KEYS = ("schema", "aia", "aia_file", "municipal")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Strict):
    """A possible answer and what choosing it implies."""

    value: str = Field(min_length=1)
    text: Text
    prohibited: bool = False
    floor: int | None = Field(default=None, ge=1, le=4)
    blocking_items: list[str] = Field(default_factory=list)
    exclusive: bool = False


class MunicipalQuestion(_Strict):
    """A classification question auditkit adds to the AIA."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["radiogroup", "checkbox"]
    title: Text
    question: Text
    sources: dict[str, list[str]] = Field(default_factory=dict)
    choices: list[Choice] = Field(min_length=2)

    @model_validator(mode="after")
    def _valid(self) -> MunicipalQuestion:
        values = [c.value for c in self.choices]
        if len(set(values)) != len(values):
            raise ValueError(f"choice values repeat in question {self.id!r}: {values}")
        unknown = sorted(set(self.sources) - set(SOURCE_KEYS))
        if unknown:
            raise ValueError(f"unknown source {unknown}; expected some of {list(SOURCE_KEYS)}")
        return self

    def choice(self, value: str) -> Choice:
        return next(c for c in self.choices if c.value == value)


class QuestionSet(_Strict):
    """The municipal questions file."""

    schema_: Literal["auditkit.questions/1"] = Field(alias="schema")
    questions: list[MunicipalQuestion] = Field(min_length=1)

    def get(self, question_id: str) -> MunicipalQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


@functools.cache
def load_municipal_questions() -> QuestionSet:
    """The municipal classification questions shipped with auditkit."""
    from auditkit._config import load_yaml

    path = resource_path("playbooks") / "municipal-questions.yaml"
    raw = load_yaml(path, error=PlaybookError)
    try:
        return QuestionSet.model_validate(raw)
    except ValidationError as err:  # pragma: no cover - the bundled file is tested
        message = explain_validation_error(err, QuestionSet, raw=raw, entries={"questions": "id"})
        raise PlaybookError(message, file=path) from err


@dataclass(frozen=True)
class Answers:
    """Validated answers: AIA answers by question name and municipal answers by id."""

    aia: Mapping[str, Any]
    municipal: Mapping[str, Any]
    format: Literal["aia-tool", "auditkit"]
    files: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()  # lax mode only: what strict validation would have refused


@dataclass(frozen=True)
class Trigger:
    """A municipal answer that stops deployment, raises the tier or makes items blocking."""

    question: str
    value: str
    floor: int | None
    prohibited: bool
    blocking_items: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.value,
            "floor": self.floor,
            "prohibited": self.prohibited,
            "blocking_items": list(self.blocking_items),
        }


@dataclass(frozen=True)
class Assessment:
    """What the answers say: the AIA score, the triggers and what is still unanswered."""

    score: AiaScore
    aia_answered: bool
    municipal: Mapping[str, Any]
    unanswered: tuple[str, ...]
    triggers: tuple[Trigger, ...] = field(default_factory=tuple)

    @property
    def prohibited(self) -> tuple[Trigger, ...]:
        return tuple(t for t in self.triggers if t.prohibited)

    @property
    def floor(self) -> int:
        """The highest floor any trigger sets (1 when none)."""
        return max([1, *(t.floor for t in self.triggers if t.floor is not None)])

    @property
    def complete(self) -> bool:
        """Every classification question is answered and the AIA has answers."""
        return self.aia_answered and not self.unanswered

    def to_dict(self) -> dict[str, Any]:
        return {
            "aia": self.score.to_dict(),
            "aia_answered": self.aia_answered,
            "municipal": dict(sorted(self.municipal.items())),
            "unanswered": list(self.unanswered),
            "triggers": [t.to_dict() for t in self.triggers],
            "floor": self.floor,
        }


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def _describe(values: list[tuple[str, str]]) -> str:
    return ", ".join(f"'{v}' ({t})" if t and t != v else f"'{v}'" for v, t in values)


def validate_aia_answers(
    data: Any,
    bank: AiaBank,
    *,
    file: Path | None = None,
    problems: list[str] | None = None,
) -> dict[str, Any]:
    """Check every AIA answer names a question of the bank and is one of its choices.

    With ``problems`` (a list), nothing is raised: each problem is appended to it and the answer
    is kept, to be scored exactly as the official tool would score it (the tool validates
    nothing: an unknown name is ignored, a value weighs what follows its last hyphen).
    """
    if not isinstance(data, dict):
        raise PlaybookError(
            f"the AIA answers must be a mapping of question name to answer; found "
            f"{type(data).__name__}.",
            file=file,
        )

    def problem(message: str, hint: str | None = None) -> None:
        if problems is None:
            raise PlaybookError(message, file=file, hint=hint)
        problems.append(message)

    known = sorted(bank.by_name)
    for name, value in data.items():
        name = str(name)
        base = name.removesuffix("-Comment")
        question = bank.by_name.get(name) or (bank.by_name.get(base) if base != name else None)
        if question is None:
            problem(
                f"'{name}' is not a question of the AIA v1.0.1 bank.{_suggest(name, known)}",
                "Question names are those of the official tool (auditkit questionnaire init "
                "writes them all).",
            )
            continue
        if name != question.name or question.type not in ("radiogroup", "dropdown", "checkbox"):
            continue
        if question.score_type == "none" and question.name != "projectDetailsPhase":
            continue  # not scored (e.g. the federal department list): kept as given
        if value is None:
            continue
        choices = [(v, t.get("en", "")) for v, t in question.choices]
        allowed = {v for v, _ in choices}
        if question.type == "checkbox":
            ok = isinstance(value, list) and all(isinstance(v, str) and v in allowed for v in value)
            if not ok:
                problem(
                    f"AIA question '{name}' takes a list of choices; found {value!r}. Expected "
                    f"some of: {_describe(choices)}."
                )
        elif not (isinstance(value, str) and value in allowed):
            problem(
                f"AIA question '{name}': {value!r} is not one of the choices. Expected one of: "
                f"{_describe(choices)}."
            )
    return {str(k): v for k, v in data.items()}


def validate_municipal_answers(
    data: Any, questions: QuestionSet, *, file: Path | None = None
) -> dict[str, Any]:
    """Check every municipal answer; returns them normalised (checkbox answers sorted lists)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlaybookError(
            f"'municipal' must be a mapping of question id to answer; found {type(data).__name__}.",
            file=file,
        )
    known = [q.id for q in questions.questions]
    result: dict[str, Any] = {}
    for key, raw_value in data.items():
        question = questions.get(str(key))
        if question is None:
            raise PlaybookError(
                f"'municipal.{key}' is not a municipal question.{_suggest(str(key), known)} "
                f"Known questions: {', '.join(known)}.",
                file=file,
            )
        choices = [(c.value, c.text.en) for c in question.choices]
        allowed = {c.value for c in question.choices}
        value = yes_no(raw_value)
        if value is None or value == []:
            continue
        if question.type == "checkbox":
            values = [value] if isinstance(value, str) else value
            if not (isinstance(values, list) and all(yes_no(v) in allowed for v in values)):
                raise PlaybookError(
                    f"'municipal.{key}': {raw_value!r} is not a list of its choices. Expected "
                    f"some of: {_describe(choices)}.",
                    file=file,
                )
            values = sorted({str(yes_no(v)) for v in values})
            exclusive = [v for v in values if question.choice(v).exclusive]
            if exclusive and len(values) > 1:
                raise PlaybookError(
                    f"'municipal.{key}': '{exclusive[0]}' cannot be combined with other choices; "
                    f"found {values}.",
                    file=file,
                )
            result[question.id] = values
        else:
            if not (isinstance(value, str) and value in allowed):
                raise PlaybookError(
                    f"'municipal.{key}': {raw_value!r} is not one of the choices. Expected one "
                    f"of: {_describe(choices)}.",
                    file=file,
                )
            result[question.id] = value
    return result


def parse_answers(raw: Any, *, file: Path | None = None, lax: bool = False) -> Answers:
    """Validate already-parsed answers (either format); see :func:`load_answers`."""
    problems: list[str] | None = [] if lax else None
    bank = load_bank()
    questions = load_municipal_questions()
    if not isinstance(raw, dict):
        raise PlaybookError(
            f"expected a mapping (the AIA tool's saved file or an auditkit answers file); found "
            f"{type(raw).__name__}.",
            file=file,
        )
    files = (file,) if file is not None else ()
    if "data" in raw and not (set(raw) & {"aia", "aia_file", "municipal"}):
        data = raw["data"]
        if isinstance(data, str):  # some versions of the tool typed the saved data as a string
            try:
                data = json.loads(data)
            except json.JSONDecodeError as err:
                raise PlaybookError(
                    f"'data' is a string that is not JSON ({err.msg} at character {err.pos}).",
                    file=file,
                ) from err
        return Answers(
            aia=validate_aia_answers(data, bank, file=file, problems=problems),
            municipal={},
            format="aia-tool",
            files=files,
            problems=tuple(problems or ()),
        )
    unknown = sorted(str(k) for k in raw if k not in _OWN_KEYS)
    if unknown:
        raise PlaybookError(
            f"unknown key(s) {unknown} in the answers file. Valid keys are: "
            f"{', '.join(_OWN_KEYS)} (or the AIA tool's own {', '.join(_AIA_FILE_KEYS)}).",
            file=file,
        )
    schema = raw.get("schema", ANSWERS_SCHEMA)
    if schema != ANSWERS_SCHEMA:
        raise PlaybookError(f"'schema' must be '{ANSWERS_SCHEMA}'; found {schema!r}.", file=file)
    if "aia" in raw and "aia_file" in raw:
        raise PlaybookError("give either 'aia' or 'aia_file', not both.", file=file)
    aia: dict[str, Any] = {}
    if raw.get("aia_file") is not None:
        aia_path = Path(str(raw["aia_file"]))
        if not aia_path.is_absolute() and file is not None:
            aia_path = file.parent / aia_path
        inner = load_answers(aia_path, lax=lax)
        if inner.format != "aia-tool":
            raise PlaybookError(
                "'aia_file' must be a file saved by the AIA tool (with a 'data' object).",
                file=aia_path,
            )
        aia = dict(inner.aia)
        files = (*files, aia_path)
        if problems is not None:
            problems.extend(inner.problems)
    elif raw.get("aia") is not None:
        aia = validate_aia_answers(raw["aia"], bank, file=file, problems=problems)
    municipal = validate_municipal_answers(raw.get("municipal"), questions, file=file)
    return Answers(
        aia=aia,
        municipal=municipal,
        format="auditkit",
        files=files,
        problems=tuple(problems or ()),
    )


def load_answers(path: str | Path, *, lax: bool = False) -> Answers:
    """Read and validate an answers file (the AIA tool's JSON or auditkit's YAML).

    ``lax=True`` accepts AIA answers the official tool would accept without checking (unknown
    question names, values that are not a choice, e.g. from an older version of the tool) and
    scores them as the tool does; the problems are listed in :attr:`Answers.problems`.

    Raises
    ------
    PlaybookError
        If the file is missing or malformed, names an unknown question, or an answer is not one
        of the question's choices.
    """
    from auditkit._config import load_yaml

    path = Path(path)
    return parse_answers(load_yaml(path, error=PlaybookError), file=path, lax=lax)


def assess(answers: Answers | None) -> Assessment:
    """Score the AIA answers and derive the triggers of the municipal answers."""
    questions = load_municipal_questions()
    if answers is None:
        answers = Answers(aia={}, municipal={}, format="auditkit")
    score = score_answers(answers.aia)
    triggers: list[Trigger] = []
    for question in questions.questions:
        value = answers.municipal.get(question.id)
        values = value if isinstance(value, list) else [value] if value is not None else []
        for chosen in values:
            choice = question.choice(chosen)
            if choice.prohibited or choice.floor is not None or choice.blocking_items:
                triggers.append(
                    Trigger(
                        question=question.id,
                        value=chosen,
                        floor=choice.floor,
                        prohibited=choice.prohibited,
                        blocking_items=tuple(choice.blocking_items),
                    )
                )
    unanswered = tuple(q.id for q in questions.questions if q.id not in answers.municipal)
    return Assessment(
        score=score,
        aia_answered=score.answered > 0,
        municipal=dict(answers.municipal),
        unanswered=unanswered,
        triggers=tuple(triggers),
    )
