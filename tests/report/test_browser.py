"""report.html in a real headless Chromium: loads cleanly, renders, screenshots and prints."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditkit.report._html import SECTIONS, render_html
from tests.report.conftest import BrowserRun
from tests.report.samples import sample_review

pytestmark = pytest.mark.slow

WHEN = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _page(folder: Path, lang: str) -> Path:
    path = folder / f"report-{lang}.html"
    path.write_text(render_html(sample_review(lang), created=WHEN), encoding="utf-8")
    return path


def test_console_detector_sees_a_broken_page(
    tmp_path: Path, chromium: Callable[..., BrowserRun]
) -> None:
    """Oracle for the test below: an external image and a script do reach the console log."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; img-src data:\"></head><body>"
        '<img src="https://example.invalid/x.png"><script>console.error("x")</script></body></html>',
        encoding="utf-8",
    )
    run = chromium(page, "--dump-dom")
    assert run.returncode == 0
    assert len(run.console) >= 2, run.stderr[-2000:]


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_page_loads_without_console_errors_and_renders_every_section(
    tmp_path: Path, chromium: Callable[..., BrowserRun], artefacts_dir: Path, lang: str
) -> None:
    """The browser's DOM has the decision and every section; nothing reaches the console."""
    page = _page(tmp_path, lang)
    run = chromium(page, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.console == []
    dom = run.stdout
    assert 'data-decision="GO_WITH_CONDITIONS"' in dom
    for section in SECTIONS:
        assert re.search(rf'<section id="{section}"[^>]*>\s*<h2>[^<]+</h2>', dom), section
    assert dom.count('src="data:image/png;base64,') == 1  # the SHAP figure
    # the two fairness charts, inline: the browser built them as SVG elements with their marks
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>.*?</svg>', dom, flags=re.DOTALL)
    assert len(charts) == 2
    assert all("<title id=" in chart and "<circle " in chart for chart in charts)

    shot = artefacts_dir / f"report-{lang}.png"
    shot.unlink(missing_ok=True)
    run = chromium(page, f"--screenshot={shot}", "--window-size=1100,3000")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.console == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a blank page is a few kB


def test_prints_to_pdf_on_several_pages(
    tmp_path: Path, chromium: Callable[..., BrowserRun], artefacts_dir: Path
) -> None:
    """Printing (print CSS, A4) gives a PDF of several pages with the page breaks we asked for."""
    page = _page(tmp_path, "es")
    pdf = artefacts_dir / "report-es.pdf"
    pdf.unlink(missing_ok=True)
    run = chromium(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.console == []
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", content))
    # fairness, checklist and versions each start a page: at least four pages
    assert pages >= 4, pages


def test_real_review_in_each_language_loads_cleanly(
    tmp_path: Path, chromium: Callable[..., BrowserRun], artefacts_dir: Path, repo_root: Path
) -> None:
    """The example pilot with its risk section, reviewed by the CLI: a real decision renders."""
    from typer.testing import CliRunner

    from auditkit.cli import app

    config = repo_root / "examples/audits/demand-forecast/audit-riesgo.yaml"
    for lang in ("es", "pt", "en"):
        out = tmp_path / lang
        result = CliRunner().invoke(
            app,
            [
                "review",
                "-c",
                str(config),
                "-o",
                str(out),
                "--lang",
                lang,
                "--fail-on",
                "never",
                "-q",
            ],
        )
        assert result.exit_code == 0, result.output
        run = chromium(out / "report.html", "--dump-dom")
        assert run.returncode == 0 and run.console == [], run.stderr[-2000:]
        decision = json.loads((out / "decision.json").read_text(encoding="utf-8"))
        assert f">{decision['label']}<" in run.stdout
        for section in SECTIONS:
            assert f'<section id="{section}"' in run.stdout
        shot = artefacts_dir / f"example-{lang}.png"
        shot.unlink(missing_ok=True)
        assert (
            chromium(
                out / "report.html", f"--screenshot={shot}", "--window-size=1100,3000"
            ).returncode
            == 0
        )
        assert shot.stat().st_size > 20_000
