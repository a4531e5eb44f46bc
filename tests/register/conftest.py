"""Fixtures for auditkit register: the example pilot's bundle, copied so tests may alter it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "guadalajara-demanda-servicios"


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry's date is the pinned clock (reproducible-builds convention), 2026-12-01."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")


@pytest.fixture
def pilot(tmp_path: Path) -> Path:
    """A copy of the baked example pilot's bundle and documents (the only files register reads)."""
    folder = tmp_path / "pilot"
    shutil.copytree(EXAMPLE / "audit", folder / "audit")
    shutil.copytree(EXAMPLE / "docs", folder / "docs")
    return folder
