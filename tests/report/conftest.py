"""Fixtures of the report tests: a real headless Chromium, and where its artefacts go."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# Flags that work in containers and CI: no sandbox (root), no GPU, no network chatter.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


@dataclass
class BrowserRun:
    """What one headless Chromium invocation produced."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def console(self) -> list[str]:
        """Lines the page wrote to its DevTools console (errors, CSP violations, failed loads)."""
        return [line for line in self.stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="session")
def chromium_binary() -> str:
    """Debian's chromium; the test fails (not skips) without it: CI must install it."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("chromium is not installed: apt-get install -y chromium chromium-driver")
    return binary


@pytest.fixture
def chromium(chromium_binary: str, tmp_path: Path) -> Callable[..., BrowserRun]:
    """Run headless Chromium on a page with extra flags, in a fresh profile."""
    counter = iter(range(1000))

    def run(page: Path, *flags: str) -> BrowserRun:
        profile = tmp_path / f"chromium-profile-{next(counter)}"
        command = [
            chromium_binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            *flags,
            page.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        return BrowserRun(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="session")
def artefacts_dir() -> Path:
    """build/test-artifacts/report: screenshots and PDFs kept for a human to look at."""
    folder = Path(__file__).resolve().parents[2] / "build" / "test-artifacts" / "report"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
