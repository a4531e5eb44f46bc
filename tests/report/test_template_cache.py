"""The report templates' bytecode cache: same output, private folders, damaged entries ignored."""

from __future__ import annotations

import marshal
import os
import stat
import sys
from pathlib import Path

import jinja2
import pytest

from auditkit.report import _escape
from auditkit.report._template_cache import cache_root, template_cache

CONTEXT = {"value": "<b>Ñandú</b> | x", "rows": [1, 2, 3]}
TEMPLATE = "{% for r in rows %}\n{{ value }} {{ r }}\n{% endfor %}\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("AUDITKIT_CACHE_DIR", str(root))
    monkeypatch.delenv("AUDITKIT_NO_CACHE", raising=False)
    return root


def _fresh(kind: str, templates: Path | None = None) -> jinja2.Environment:
    """A new environment as the reports build it (not the process's cached one)."""
    env = (
        _escape._environment("html", True, None)
        if kind == "html"
        else _escape._environment("markdown", False, _escape.escape_markdown)
    )
    if templates is not None:
        env.loader = jinja2.FileSystemLoader(templates)
    return env


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates ``env`` compiles from source (a cache hit compiles nothing)."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None, *a, **k):  # type: ignore[no-untyped-def]
        compiled.append(str(name))
        return original(self, source, name, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return compiled


def _entries(root: Path) -> list[Path]:
    return sorted((root / "templates").glob("*/__jinja2_*.cache"))


def test_second_environment_reads_compiled_templates(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run compiles and stores; the next loads the code and renders the same bytes."""
    compiled = _compiles(monkeypatch)
    first = _fresh("markdown").get_template("report.md.j2")
    assert "report.md.j2" in compiled
    assert _entries(cache), "the compiled templates are stored"
    compiled.clear()
    second = _fresh("markdown").get_template("report.md.j2")
    assert compiled == [], "a stored template is not compiled again"
    assert first.root_render_func.__code__.co_code == second.root_render_func.__code__.co_code


def test_output_identical_with_and_without_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.j2").write_text(TEMPLATE, encoding="utf-8")
    outputs = []
    for _ in range(2):  # compiled and stored, then read from the cache
        for kind in ("html", "markdown"):
            outputs.append(_fresh(kind, tmp_path / "t").get_template("page.j2").render(CONTEXT))
    monkeypatch.setenv("AUDITKIT_NO_CACHE", "1")
    plain = [
        _fresh(k, tmp_path / "t").get_template("page.j2").render(CONTEXT)
        for k in ("html", "markdown")
    ]
    assert outputs == plain * 2
    assert "&lt;b&gt;" in plain[0] and "\\|" in plain[1]  # each environment's own escaping


def test_environments_with_other_options_use_other_folders(cache: Path) -> None:
    """HTML (autoescape) and Markdown (finalize) code never share an entry."""
    html, markdown = _fresh("html"), _fresh("markdown")
    html_dir = Path(html.bytecode_cache.directory)  # type: ignore[union-attr]
    md_dir = Path(markdown.bytecode_cache.directory)  # type: ignore[union-attr]
    assert html_dir != md_dir and html_dir.parent == md_dir.parent == cache / "templates"
    other = jinja2.Environment(autoescape=True, trim_blocks=False)
    assert Path(template_cache(other, "html").directory) != html_dir  # type: ignore[union-attr]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_folders_are_private(cache: Path) -> None:
    env = _fresh("html")
    folder = Path(env.bytecode_cache.directory)  # type: ignore[union-attr]
    for level in (folder, folder.parent):
        assert stat.S_IMODE(level.stat().st_mode) == 0o700, level
    folder.chmod(0o777)  # opened by someone: made private again before use
    assert _fresh("html").bytecode_cache is not None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "damage",
    [
        "empty",
        "garbage",
        "magic_then_truncated",
        "bad_checksum_pickle",
        "not_code",
        "truncated_code",
    ],
)
def test_damaged_entry_is_compiled_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """Whatever is wrong with an entry, the template is compiled again, renders the same and
    is stored again."""
    from jinja2.bccache import bc_magic

    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.j2").write_text(TEMPLATE, encoding="utf-8")
    expected = _fresh("markdown", tmp_path / "t").get_template("page.j2").render(CONTEXT)
    (entry,) = _entries(cache)
    good = entry.read_bytes()
    bad = {
        "empty": b"",
        "garbage": b"garbage that is not a Jinja cache entry",
        "magic_then_truncated": bc_magic,
        "bad_checksum_pickle": bc_magic + b"\x80\x05\x95not a pickle",
        # a valid header, then a marshalled list where the code should be
        "not_code": good[: len(good) - len(marshal.dumps(_code_of(good)))]
        + marshal.dumps([1, 2, 3]),
        "truncated_code": good[: len(good) - 10],
    }[damage]
    entry.write_bytes(bad)
    compiled = _compiles(monkeypatch)
    rendered = _fresh("markdown", tmp_path / "t").get_template("page.j2").render(CONTEXT)
    assert compiled == ["page.j2"], "a damaged entry is a miss: compiled again"
    assert rendered == expected
    compiled.clear()
    _fresh("markdown", tmp_path / "t").get_template("page.j2")
    assert compiled == [], "and stored again, whole"


def _code_of(entry: bytes) -> object:
    """The code object at the end of a good entry (header: magic, pickled checksum)."""
    import io
    import pickle

    from jinja2.bccache import bc_magic

    stream = io.BytesIO(entry)
    stream.read(len(bc_magic))
    pickle.load(stream)
    return marshal.load(stream)


def test_unwritable_folder_costs_only_compile_time(cache: Path) -> None:
    """A read-only cache folder: nothing stored, nothing raised."""
    if os.name == "posix" and os.geteuid() == 0:
        # root writes anyway: a file in place of the folder stands for an unusable cache
        cache.mkdir(parents=True)
        (cache / "templates").write_text("not a folder", encoding="utf-8")
        assert _fresh("html").bytecode_cache is None
    else:
        env = _fresh("html")
        folder = Path(env.bytecode_cache.directory)  # type: ignore[union-attr]
        folder.chmod(0o500)
        try:
            env.get_template("ratio_chart.svg.j2")
            assert not _entries(cache)
        finally:
            folder.chmod(0o700)
    assert _fresh("html").get_template("ratio_chart.svg.j2") is not None


def test_no_cache_variable_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITKIT_NO_CACHE", "1")
    assert cache_root() is None
    env = _fresh("html")
    assert env.bytecode_cache is None
    env.get_template("ratio_chart.svg.j2")
    assert not cache.exists(), "nothing is written"
    monkeypatch.setenv("AUDITKIT_NO_CACHE", "0")
    assert cache_root() == cache


def test_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("AUDITKIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("AUDITKIT_NO_CACHE", raising=False)
    if os.name == "nt":
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
        assert cache_root() == tmp_path / "auditkit" / "cache"
        return
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "auditkit"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "auditkit"


@pytest.mark.skipif(os.name != "posix" or sys.platform == "emscripten", reason="POSIX owners")
def test_folder_of_another_user_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder owned by someone else is never read (its code would run here)."""
    real_getuid = os.getuid
    monkeypatch.setattr(os, "getuid", lambda: real_getuid() + 1)
    assert _fresh("html").bytecode_cache is None
