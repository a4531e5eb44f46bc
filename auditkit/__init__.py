"""auditkit: pilot AI responsibly in city government.

Two halves that belong together: a project scaffold that makes an AI pilot tracked and
reproducible from day one (``auditkit new``, the cookiecutter template), and an audit that checks
data, fairness, explainability and risk before anything is deployed (``auditkit review``).

The audit speaks in *findings*: each names the checklist (playbook) item it serves, a status,
a severity and the aggregate evidence behind it. A *disaggregated metric* is a model metric
computed separately for every group of an equity attribute (zones by marginalisation stratum,
residents by sex or age band); a *disparity* is a group's metric relative to a reference group.

Heavy libraries load only when used: ``import auditkit`` is cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from auditkit._errors import (
    AuditkitError,
    ConfigError,
    InputDataError,
    ModelLoadError,
    PlaybookError,
    TemplateError,
)
from auditkit._findings import Finding
from auditkit._version import __version__

__all__ = [
    "AuditConfig",
    "AuditkitError",
    "ConfigError",
    "Finding",
    "InputDataError",
    "ModelLoadError",
    "PlaybookError",
    "TemplateError",
    "__version__",
    "load_config",
    "run_review",
    "write_review",
]

_LAZY = {
    "AuditConfig": "auditkit._config",
    "load_config": "auditkit._config",
    "run_review": "auditkit.review",
    "write_review": "auditkit.report",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'auditkit' has no attribute {name!r}")
