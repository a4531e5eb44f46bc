"""Playbooks: checklists as data, one item per question, in Spanish, Portuguese and English.

A playbook is a YAML file with ``sections`` and ``items``. Each item says how it is checked:

``auto``
    computed by a registered check of ``auditkit review`` (``auto_check`` names it; the item id
    must be the one the check registers in :data:`auditkit._checks.CHECKS`);
``artefact``
    a file or link must exist and be complete;
``human``
    an attestation by a named person, with an evidence link.

``min_tier`` is the risk tier (1-4, shown as I-IV) from which the item applies and
``blocking_from_tier`` the tier from which a failing item stops deployment (``null``: never).
The bundled playbook is ``playbooks/city-pilot.yaml``; custom playbooks follow the same schema.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditkit._checks import CHECKS
from auditkit._errors import PlaybookError
from auditkit._resources import resource_path
from auditkit._validation import explain_validation_error

__all__ = [
    "PLAYBOOK_SCHEMA",
    "SOURCE_KEYS",
    "CheckKind",
    "Item",
    "Playbook",
    "Section",
    "Text",
    "bundled_playbook_path",
    "load_playbook",
    "roman",
]

PLAYBOOK_SCHEMA = "auditkit.playbook/1"
CheckKind = Literal["auto", "artefact", "human"]
# Frameworks an item may cite: Canada's AIA and Directive on Automated Decision-Making, NIST AI RMF,
# EU AI Act, GovEx Ethics & Algorithms Toolkit, UK ATRS, Deon and Brazil's AI bill PL 2338/2023.
SOURCE_KEYS: tuple[str, ...] = (
    "aia",
    "atrs",
    "br_pl2338",
    "dadm",
    "deon",
    "eu_ai_act",
    "govex",
    "nist",
)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ID = re.compile(r"^[A-Z]{3}-\d{2}$")
# Errors are located by entry: an item by its id, a section by its position.
_ENTRIES = {"items": "id", "sections": None}


def roman(tier: int) -> str:
    """The tier as a Roman numeral.

    >>> roman(3)
    'III'
    """
    return _ROMAN[tier]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in the three languages of auditkit."""

    es: str = Field(min_length=1)
    pt: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``es``, ``pt`` or ``en``)."""
        return str(getattr(self, lang))


class Section(_Strict):
    """A group of items, e.g. ``FAI`` (fairness and equity)."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    title: Text


class Item(_Strict):
    """One question of the checklist."""

    id: str
    section: str
    check: CheckKind
    auto_check: str | None = None
    min_tier: int = Field(ge=1, le=4)
    blocking_from_tier: int | None = Field(ge=1, le=4)
    title: Text
    question: Text
    sources: dict[str, list[str]] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError(
                f"expected a section code and two digits such as 'FAI-02'; got {value!r}"
            )
        return value

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = sorted(set(value) - set(SOURCE_KEYS))
        if unknown:
            raise ValueError(f"unknown source {unknown}; expected some of {list(SOURCE_KEYS)}")
        empty = sorted(key for key, refs in value.items() if not refs)
        if empty:
            raise ValueError(f"source lists must not be empty: {empty}")
        return value

    @model_validator(mode="after")
    def _binding(self) -> Item:
        if self.check == "auto":
            if self.auto_check is None:
                raise ValueError(
                    "an 'auto' item needs 'auto_check', the name of a registered check"
                )
            info = CHECKS.get(self.auto_check)
            if info is None:
                raise ValueError(
                    f"auto_check {self.auto_check!r} is not a registered check; expected one of "
                    f"{sorted(CHECKS)}"
                )
            if info.item != self.id:
                raise ValueError(
                    f"auto_check {self.auto_check!r} reports on item {info.item!r}, not {self.id!r}"
                )
        elif self.auto_check is not None:
            raise ValueError(f"only 'auto' items have 'auto_check'; this item is {self.check!r}")
        if self.blocking_from_tier is not None and self.blocking_from_tier < self.min_tier:
            raise ValueError(
                f"blocking_from_tier ({self.blocking_from_tier}) is below min_tier "
                f"({self.min_tier}); an item cannot block before it applies"
            )
        if not self.id.startswith(self.section + "-"):
            raise ValueError(f"the id {self.id!r} must start with its section {self.section!r}")
        return self

    def applies(self, tier: int) -> bool:
        """True when the item applies at ``tier``."""
        return tier >= self.min_tier

    def blocks(self, tier: int) -> bool:
        """True when a failure of this item stops deployment at ``tier``."""
        return self.blocking_from_tier is not None and tier >= self.blocking_from_tier


class Playbook(_Strict):
    """A checklist: sections and their items."""

    schema_: Literal["auditkit.playbook/1"] = Field(alias="schema")
    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: Text
    sections: list[Section] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Playbook:
        codes = [s.code for s in self.sections]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise ValueError(f"section codes appear twice: {repeated}")
        ids = [i.id for i in self.items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"item ids appear twice: {repeated}")
        return self

    def item(self, item_id: str) -> Item:
        """The item with ``item_id``; :class:`PlaybookError` with a suggestion when unknown."""
        for candidate in self.items:
            if candidate.id == item_id:
                return candidate
        raise PlaybookError(unknown_item_message(item_id, [i.id for i in self.items]))

    def section(self, code: str) -> Section:
        """The section with ``code``."""
        return next(s for s in self.sections if s.code == code)


def unknown_item_message(item_id: str, known: list[str]) -> str:
    """``unknown item 'FAI-2'; did you mean 'FAI-02'?`` with the list when nothing is close."""
    import difflib

    close = difflib.get_close_matches(item_id, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else f" Known items: {', '.join(known)}."
    return f"unknown playbook item '{item_id}'.{hint}"


def bundled_playbook_path() -> Path:
    """The playbook shipped with auditkit."""
    return resource_path("playbooks") / "city-pilot.yaml"


def load_playbook(path: str | Path | None = None) -> Playbook:
    """Load and validate a playbook (the bundled one when ``path`` is None).

    Raises
    ------
    PlaybookError
        If the file is missing, not YAML or breaks the schema; the message names the file, the
        item id, the field, what was expected and what was found.
    """
    resolved = Path(path).resolve() if path is not None else bundled_playbook_path()
    try:
        stat = resolved.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, 0)
    return _load(resolved, stamp)


@functools.lru_cache(maxsize=16)
def _load(path: Path, _stamp: tuple[int, int]) -> Playbook:
    from auditkit._config import load_yaml

    raw = load_yaml(path, error=PlaybookError)
    if not isinstance(raw, dict):
        raise PlaybookError(
            f"expected a mapping with 'schema', 'id', 'version', 'title', 'sections' and 'items'; "
            f"found {type(raw).__name__}.",
            file=path,
        )
    try:
        playbook = Playbook.model_validate(raw)
    except ValidationError as err:
        message = explain_validation_error(err, Playbook, raw=raw, entries=_ENTRIES)
        raise PlaybookError(message, file=path) from err
    codes = {s.code for s in playbook.sections}
    stray = sorted({i.section for i in playbook.items} - codes)
    if stray:
        raise PlaybookError(
            f"items use sections that are not declared: {stray}; declared: {sorted(codes)}.",
            file=path,
        )
    return playbook
