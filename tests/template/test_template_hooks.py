"""The template's hooks, called directly: answers are checked, the answers file is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.template.conftest import load_hook

pre = load_hook("pre_gen_project")
post = load_hook("post_gen_project")

GOOD = {
    "language": "es",
    "city": "Zapopan",
    "country": "MX",
    "project_name": "Demanda de servicios Zapopan",
    "project_slug": "zapopan-demanda-servicios",
    "service_categories": "alumbrado, basura, baches",
    "equity_attribute": "estrato_marginacion",
    "mlflow_tracking_uri": "sqlite:///mlflow.db",
    "organization": "Gobierno de Zapopan",
    "auditkit_source": "auditkit-cities @ git+https://github.com/auditkit-cities/auditkit@v0.1.0",
}


def test_good_answers_pass():
    """The defaults of a Spanish pilot are accepted."""
    assert pre.validate(GOOD) == []


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("project_slug", "Zapopan Demanda", "lowercase letters, digits and single hyphens"),
        ("project_slug", "zapopan--demanda", "single hyphens"),
        ("project_slug", "1zapopan", "starting with a letter"),
        ("project_slug", "json", "reserved or already used by Python"),
        ("project_slug", "mlflow", "reserved"),
        ("country", "mx", "Use capital letters"),
        ("country", "XX", "ISO 3166-1 alpha-2"),
        ("country", "MEX", "ISO 3166-1 alpha-2"),
        ("language", "fr", "one of es, pt, en"),
        ("service_categories", "alumbrado", "at least two"),
        ("service_categories", "alumbrado,, baches", "at least two non-empty"),
        ("service_categories", "Alumbrado Público, baches", "lowercase letters"),
        ("service_categories", "baches, baches", "repeated"),
        ("equity_attribute", "Estrato Marginación", "column name"),
        ("mlflow_tracking_uri", "file:./mlruns", "must start with"),
        ("city", " ", "city must not be empty"),
        ("city", "Zapopan\nCentro", "one line without control characters"),
        ("project_name", "Demanda\tZapopan", "one line"),
        ("organization", "", "organization must not be empty"),
        # the unrelated project that owns the name "auditkit" on the package index
        ("auditkit_source", "auditkit", "an unrelated project"),
        ("auditkit_source", "auditkit==0.1.0", "an unrelated project"),
        ("auditkit_source", "auditkit-cities", "must pin where auditkit comes from"),
        ("auditkit_source", "auditkit-cities @ ./wheel", "after ' @ ' comes a URL"),
        ("auditkit_source", 'auditkit-cities @ git+https://x/y@main"; rm -rf /', "without quotes"),
    ],
)
def test_bad_answer_is_explained(key, value, match):
    """Each bad answer gives a message that names the field and the expected form."""
    errors = pre.validate({**GOOD, key: value})
    assert len(errors) == 1
    assert match in errors[0]
    assert key.split("_")[0] in errors[0]


@pytest.mark.parametrize(
    "source",
    [
        "auditkit-cities @ git+https://github.com/auditkit-cities/auditkit@0123456789abcdef",
        "auditkit-cities @ https://example.org/auditkit_cities-0.1.0-py3-none-any.whl",
        "dist/auditkit_cities-0.1.0-py3-none-any.whl",
        "git+https://github.com/auditkit-cities/auditkit@v0.1.0",
    ],
)
def test_pinned_auditkit_sources_pass(source):
    """Direct references and wheel files are pinned sources."""
    assert pre.check_auditkit_source(source) is None


def test_quotes_apostrophes_and_backslashes_are_accepted():
    """Names with quotes, apostrophes and backslashes are fine: the template escapes them."""
    name = 'O\'Higgins "Centro" \\ Sur'
    assert pre.validate({**GOOD, "city": name, "project_name": name, "organization": name}) == []


def test_iso_table_is_complete():
    """All 249 officially assigned ISO 3166-1 alpha-2 codes, and only those."""
    assert len(pre.ISO_3166_ALPHA_2) == 249
    assert {"MX", "BR", "CO", "UY", "AR", "US", "PT", "ES"} <= pre.ISO_3166_ALPHA_2
    assert not {"UK", "EU", "XK", "ZZ"} & pre.ISO_3166_ALPHA_2


def test_pre_hook_main_exit_code(capsys):
    """main() prints every problem to stderr and returns 1, or returns 0."""
    assert pre.main(json.dumps(GOOD)) == 0
    assert pre.main(json.dumps({**GOOD, "country": "XX", "language": "fr"})) == 1
    err = capsys.readouterr().err
    assert err.count("ERROR:") == 2


def test_post_hook_removes_pycache_and_writes_public_answers(tmp_path: Path):
    """__pycache__ folders go; the answers file keeps public keys and no absolute path."""
    (tmp_path / "src" / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "__pycache__").mkdir()
    context = {
        **GOOD,
        "_template": "/home/someone/auditkit/template",
        "_output_dir": "/home/someone/projects",
        "_repo_dir": "/home/someone/auditkit/template",
        "__package": "zapopan_demanda_servicios",
    }
    assert post.main(json.dumps(context), tmp_path) == 0
    assert not list(tmp_path.rglob("__pycache__"))
    answers = json.loads((tmp_path / post.ANSWERS_FILE).read_text(encoding="utf-8"))
    assert answers == dict(sorted(GOOD.items()))
    assert "/home/someone" not in (tmp_path / post.ANSWERS_FILE).read_text(encoding="utf-8")
