"""Exceptions raised by auditkit.

Every error a user can cause is an :class:`AuditkitError`; the CLI prints its message (one
paragraph: which file, which field, what was expected, what was found, what to do) and exits
with code 2. Anything else is a bug: the CLI prints one line naming its type and exits 2 too
(``AUDITKIT_DEBUG=1`` shows the traceback); see :mod:`auditkit.cli._common`.

Hierarchy::

    AuditkitError
    ├── ConfigError          audit.yaml and other YAML configuration
    ├── InputDataError       predictions, raw data, features and other tables
    ├── PlaybookError        playbooks and questionnaires
    ├── ModelLoadError       models that cannot or may not be loaded
    ├── TemplateError        project scaffolding
    └── TrackingError        the MLflow tracking server or store (unreachable, unknown run)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AuditkitError",
    "ConfigError",
    "InputDataError",
    "ModelLoadError",
    "PlaybookError",
    "TemplateError",
    "TrackingError",
]


class AuditkitError(Exception):
    """A problem with what the user gave us; the message says how to fix it.

    Parameters
    ----------
    message : str
        What is wrong: the field, what was expected and what was found.
    file : str or Path, optional
        The file the problem is in; it prefixes the message.
    hint : str, optional
        What to do about it.
    """

    exit_code = 2

    def __init__(
        self, message: str, *, file: str | Path | None = None, hint: str | None = None
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.file}: {self.message}" if self.file else self.message
        if self.hint:
            text = f"{text.rstrip()} {self.hint}"
        return text


class ConfigError(AuditkitError):
    """A configuration file is missing, malformed or has invalid values."""


class InputDataError(AuditkitError):
    """A data table is missing, unreadable or does not have the expected columns and values."""


class PlaybookError(AuditkitError):
    """A playbook, questionnaire or answers file is invalid."""


class ModelLoadError(AuditkitError):
    """A model cannot be loaded, or may not be loaded without the user's explicit trust."""


class TemplateError(AuditkitError):
    """A project cannot be generated from the template."""


class TrackingError(AuditkitError):
    """MLflow tracking failed: the server is unreachable, a run is unknown, a store refused."""
