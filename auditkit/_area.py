"""What a review area receives and returns.

A review runs its areas in order (data, fairness, performance, explain, risk). Each area is a
function ``area(config, context) -> AreaResult`` that reads what it needs through the
:class:`ReviewContext` (tables are loaded once and shared) and returns findings, tidy metric rows,
JSON-ready sections for ``findings.json`` and extra files (figures) for the output folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit._findings import Finding

if TYPE_CHECKING:
    import pandas as pd

    from auditkit._config import AuditConfig

__all__ = ["AreaResult", "InputRecord", "ReviewContext"]


@dataclass(frozen=True)
class InputRecord:
    """A file the review read, for the record and the manifest."""

    role: str
    path: str
    sha256: str
    rows: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "path": self.path, "sha256": self.sha256, "rows": self.rows}


@dataclass
class AreaResult:
    """What one area of the review produced."""

    findings: list[Finding] = field(default_factory=list)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class ReviewContext:
    """Shared state of one review: loaded tables, the inputs read, results so far."""

    config: AuditConfig
    lang: str = "en"
    options: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[str], None] = lambda _message: None
    inputs: list[InputRecord] = field(default_factory=list)
    results: dict[str, AreaResult] = field(default_factory=dict)
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def table(
        self, role: str, loader: Callable[[], tuple[pd.DataFrame, InputRecord]]
    ) -> pd.DataFrame:
        """Load a table once per review (``loader`` returns the frame and its input record)."""
        if role not in self._tables:
            frame, record = loader()
            self._tables[role] = frame
            self.inputs.append(record)
        return self._tables[role]

    def resolve(self, path: Path) -> Path:
        """A path from the config, resolved against the config's folder."""
        return self.config.resolve(path)

    @property
    def findings(self) -> list[Finding]:
        """All findings of the areas that have run so far."""
        return [f for result in self.results.values() for f in result.findings]
