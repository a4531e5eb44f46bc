"""Pydantic validation errors as sentences a city official can act on.

One translator for every file auditkit validates with pydantic. Two ways of naming the place
of a problem, chosen by the shape of the file:

* a configuration (``audit.yaml``) names the key by its dotted path, lists the valid keys of an
  unknown one and suggests the closest:
  ``unknown key 'fairness.sed' in fairness. Valid keys are: ... Did you mean 'seed'?``;
* a list of entries (a playbook's items and sections, the municipal questions) names the entry,
  by its id when it has one, then the field: ``item 'PUR-02', field 'min_tier': ...``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["explain_validation_error", "valid_keys"]


def valid_keys(model: type[BaseModel]) -> list[str]:
    """The keys a file may use for ``model`` (fields excluded from the file are left out)."""
    return [name for name, info in model.model_fields.items() if not info.exclude]


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The pydantic model that holds the key at ``loc`` (for listing the valid keys)."""
    current: Any = model
    for part in loc:
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        annotation = info.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        current = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _key_sentence(model: type[BaseModel], error: Mapping[str, Any], message: str) -> str:
    """A configuration's problem, named by the key's dotted path."""
    loc = tuple(error["loc"])
    key = ".".join(str(p) for p in loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        valid = valid_keys(_model_at(model, loc[:-1]) or model)
        close = difflib.get_close_matches(str(loc[-1]), valid, n=1)
        where = ".".join(str(p) for p in loc[:-1]) or "the top level"
        sentence = f"unknown key '{key}' in {where}. Valid keys are: {', '.join(valid)}."
        return sentence + (f" Did you mean '{close[0]}'?" if close else "")
    if error["type"] == "missing":
        return f"the key '{key}' is required but missing."
    return f"'{key}': {message} (found {error.get('input')!r})."


def _entry_sentence(
    raw: Any, entries: Mapping[str, str | None], error: Mapping[str, Any], message: str
) -> str:
    """A problem in a list of entries, named by the entry (by its id if it has one), then field."""
    loc = list(error["loc"])
    where = "top level"
    if len(loc) >= 2 and loc[0] in entries and isinstance(loc[1], int):
        name, index, id_key = str(loc[0]), loc[1], entries[str(loc[0])]
        listed = raw.get(name) if isinstance(raw, dict) else None
        entry_id = None
        if id_key and isinstance(listed, list) and index < len(listed):
            entry = listed[index]
            entry_id = entry.get(id_key) if isinstance(entry, dict) else None
        label = name.removesuffix("s")
        where = f"{label} {entry_id!r}" if entry_id else f"{label} #{index + 1}"
        loc = loc[2:]
    field = ".".join(str(p) for p in loc) or "(whole entry)"
    if error["type"] == "missing":
        message = "is required but missing"
    elif error["type"] == "extra_forbidden":
        message = "is not a known field"
    elif "input" in error and not isinstance(error["input"], dict | list):
        message += f" (found {error['input']!r})"
    return f"{where}, field '{field}': {message}."


def explain_validation_error(
    err: ValidationError,
    model: type[BaseModel],
    *,
    raw: Any = None,
    entries: Mapping[str, str | None] | None = None,
) -> str:
    """Turn a pydantic error into sentences: where, what was expected, what was found.

    Parameters
    ----------
    err : ValidationError
        What ``model.model_validate(raw)`` raised.
    model : type of BaseModel
        The model the file was validated against (it gives the valid keys of a section).
    raw : Any, optional
        The data as read (it gives the ids of the entries).
    entries : mapping, optional
        For a file that is lists of entries: list field -> the key holding an entry's id (or
        None to number the entries), e.g. ``{"items": "id", "sections": None}``. Without it,
        problems are named by their key's dotted path.

    Examples
    --------
    >>> from pydantic import BaseModel, ConfigDict
    >>> class Section(BaseModel):
    ...     model_config = ConfigDict(extra="forbid")
    ...     seed: int = 0
    >>> class File(BaseModel):
    ...     model_config = ConfigDict(extra="forbid")
    ...     fairness: Section
    >>> try:
    ...     File.model_validate({"fairness": {"sed": 1}})
    ... except ValidationError as err:
    ...     print(explain_validation_error(err, File))
    unknown key 'fairness.sed' in fairness. Valid keys are: seed. Did you mean 'seed'?
    """
    sentences = []
    for error in err.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if entries is None:
            sentences.append(_key_sentence(model, error, message))
        else:
            sentences.append(_entry_sentence(raw, entries, error, message))
    return " ".join(sentences)
