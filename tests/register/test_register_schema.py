"""register.json follows register.schema.json (JSON Schema draft 2020-12), shipped in the wheel."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from auditkit._errors import InputDataError
from auditkit._resources import schema_path
from auditkit.register import make_register, validate_entry

REPO = Path(__file__).resolve().parents[2]


def _schema() -> dict:
    return json.loads((REPO / "auditkit" / "schemas" / "register.schema.json").read_text("utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema():
    """The shipped schema is itself valid, and is the file the package finds."""
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_path("register.schema.json") == REPO / "auditkit/schemas/register.schema.json"


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
@pytest.mark.parametrize("standard", ["atrs", "nl", "aia"])
def test_outputs_validate_in_every_language_and_standard(pilot: Path, lang: str, standard: str):
    """Every language and every standard gives a schema-valid register.json."""
    out = pilot.parent / "out"
    make_register(pilot / "audit", out, lang=lang, standard=standard)
    entry = json.loads((out / "register.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        _schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert list(validator.iter_errors(entry)) == []
    assert entry["standard"] == standard == entry["export"]["standard"]


def test_the_schema_refuses_what_it_does_not_define(pilot: Path):
    """An unknown field or a wrong type is refused, naming the field."""
    out = pilot.parent / "out"
    make_register(pilot / "audit", out, lang="en")
    entry = json.loads((out / "register.json").read_text(encoding="utf-8"))
    entry["risk"]["tier"] = 7
    with pytest.raises(InputDataError, match=r"field 'risk/tier'"):
        validate_entry(entry)
    entry["risk"]["tier"] = 1
    entry["overview"]["slogan"] = "invented"
    with pytest.raises(InputDataError, match=r"field 'overview'"):
        validate_entry(entry)


@pytest.mark.slow
def test_the_wheel_ships_the_schema_template_and_messages(tmp_path: Path):
    """A built wheel carries the schema, the notice template and the register messages."""
    command = [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps"]
    command += ["--no-build-isolation", "--no-index", "-q", "-w", str(tmp_path)]
    build = subprocess.run(command, capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next(tmp_path.glob("auditkit_cities-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "auditkit/schemas/register.schema.json",
        "auditkit/register/templates/notice.html.j2",
        "auditkit/i18n/es/register.yaml",
        "auditkit/i18n/pt/register.yaml",
        "auditkit/i18n/en/register.yaml",
    ):
        assert name in names, name
