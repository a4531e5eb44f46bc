"""Reject bad answers before anything is written (standard library only).

cookiecutter renders this file, runs it, and aborts the bake (removing the output folder)
when it exits with a non-zero code. The checks are plain functions so they can be tested by
importing this file; the rendered answers arrive as one JSON string at the bottom.
"""

from __future__ import annotations

import json
import keyword
import re
import sys

LANGUAGES = ("es", "pt", "en")
PILOT_TYPES = ("demand-forecast", "request-triage")

# ISO 3166-1 alpha-2, officially assigned codes (249).
ISO_3166_ALPHA_2 = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
COLUMN_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Package names that would shadow what the pilot imports.
RESERVED_PACKAGES = frozenset(
    {"auditkit", "mlflow", "numpy", "pandas", "sklearn", "skops", "yaml", "pytest", "test", "tests"}
)


def check_pilot_type(pilot_type: str) -> str | None:
    """Return an error message for a pilot type the template does not have, or None."""
    if pilot_type not in PILOT_TYPES:
        return f"pilot_type must be one of {', '.join(PILOT_TYPES)}; found {pilot_type!r}."
    return None


def check_slug(slug: str) -> str | None:
    """Return an error message for a bad ``project_slug``, or None."""
    if not SLUG_PATTERN.match(slug):
        return (
            f"project_slug must be lowercase letters, digits and single hyphens, starting with "
            f"a letter (e.g. 'zapopan-demanda-servicios'); found {slug!r}."
        )
    package = slug.replace("-", "_")
    if keyword.iskeyword(package) or package in RESERVED_PACKAGES or package in sys.stdlib_module_names:
        return (
            f"project_slug {slug!r} gives the Python package name {package!r}, which is reserved "
            f"or already used by Python; add the city, e.g. 'zapopan-{slug}'."
        )
    return None


def check_country(country: str) -> str | None:
    """Return an error message for a country that is not an ISO 3166-1 alpha-2 code, or None."""
    if country not in ISO_3166_ALPHA_2:
        hint = " Use capital letters." if country.upper() in ISO_3166_ALPHA_2 else ""
        return (
            f"country must be an ISO 3166-1 alpha-2 code such as MX, BR, CO or UY; "
            f"found {country!r}.{hint}"
        )
    return None


def check_language(language: str) -> str | None:
    """Return an error message for a language other than es, pt or en, or None."""
    if language not in LANGUAGES:
        return f"language must be one of {', '.join(LANGUAGES)}; found {language!r}."
    return None


def check_categories(categories: str) -> str | None:
    """Return an error message for a bad comma-separated list of service categories, or None."""
    items = [item.strip() for item in categories.split(",")]
    if len(items) < 2 or any(not item for item in items):
        return (
            "service_categories must list at least two non-empty categories separated by "
            f"commas (e.g. 'alumbrado, basura, baches'); found {categories!r}."
        )
    bad = [item for item in items if not COLUMN_PATTERN.match(item)]
    if bad:
        return (
            "each service category must be lowercase letters, digits and underscores "
            f"(they become labels in data and reports); found {bad}."
        )
    if len(set(items)) != len(items):
        return f"service_categories has repeated entries: {categories!r}."
    return None


def check_equity_attribute(name: str) -> str | None:
    """Return an error message for an equity attribute that is not a clean column name."""
    if not COLUMN_PATTERN.match(name):
        return (
            "equity_attribute is a column name: lowercase letters, digits and underscores, "
            f"starting with a letter (e.g. 'estrato_marginacion'); found {name!r}."
        )
    return None


def check_tracking_uri(uri: str) -> str | None:
    """Return an error message for an MLflow tracking URI without a known scheme, or None."""
    schemes = ("sqlite:///", "http://", "https://", "postgresql://", "mysql://", "databricks")
    if not uri.startswith(schemes):
        return (
            f"mlflow_tracking_uri must start with one of {', '.join(schemes)} "
            f"(default 'sqlite:///mlflow.db'); found {uri!r}."
        )
    return None


# Distribution names that are not auditkit: "auditkit" on the package index is another project.
FOREIGN_DISTRIBUTIONS = frozenset({"auditkit"})
SHELL_UNSAFE = frozenset('"`$\\\n\r')


def check_text(name: str, value: str) -> str | None:
    """Return an error message for a free-text answer that is empty or holds control characters.

    Quotes, apostrophes and backslashes are fine: the template escapes them for Python, TOML,
    YAML and Markdown.
    """
    if not value.strip():
        return f"{name} must not be empty."
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return f"{name} must be one line without control characters (tabs, line breaks); found {value!r}."
    return None


def check_auditkit_source(source: str) -> str | None:
    """Return an error message for an auditkit requirement that is not pinned, or None.

    CI installs auditkit with ``pip install "<source>"``: it must be a direct reference (``NAME @
    git+https://...@<commit or tag>``, ``NAME @ https://.../x.whl``) or a wheel or folder path, never
    a bare name that the package index resolves to another project.
    """
    text = source.strip()
    if not text or any(char in SHELL_UNSAFE for char in text):
        return (
            "auditkit_source must be one pip requirement without quotes, backticks, '$' or "
            f"backslashes; found {source!r}."
        )
    name, at, url = text.partition(" @ ")
    if at:
        if not url.strip().startswith(("git+", "https://", "http://", "file:")):
            return f"auditkit_source: after ' @ ' comes a URL (git+https://...@<commit>); found {url!r}."
        return None
    if text.endswith(".whl") or text.startswith(("git+", "./", "../", "/")):
        return None
    bare = re.split(r"[<>=!~\[; ]", text, maxsplit=1)[0].lower().replace("_", "-")
    hint = " ('auditkit' on the package index is an unrelated project)" if bare in FOREIGN_DISTRIBUTIONS else ""
    return (
        "auditkit_source must pin where auditkit comes from: "
        "'auditkit-cities @ git+https://<repository>@<commit or tag>', a wheel file or a folder"
        f"{hint}; found {source!r}."
    )


def validate(answers: dict[str, str]) -> list[str]:
    """All error messages for a set of answers (empty when they are fine)."""
    checks = [
        check_language(answers.get("language", "")),
        check_pilot_type(answers.get("pilot_type", PILOT_TYPES[0])),
        check_slug(answers.get("project_slug", "")),
        check_country(answers.get("country", "")),
        check_categories(answers.get("service_categories", "")),
        check_equity_attribute(answers.get("equity_attribute", "")),
        check_tracking_uri(answers.get("mlflow_tracking_uri", "")),
        check_auditkit_source(answers.get("auditkit_source", "")),
    ]
    for name in ("city", "project_name", "organization"):
        checks.append(check_text(name, answers.get(name, "")))
    return [message for message in checks if message]


def main(rendered: str) -> int:
    """Validate the rendered answers; print every problem and return the exit code."""
    errors = validate(json.loads(rendered))
    for message in errors:
        print(f"ERROR: {message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(r'{{ cookiecutter | tojson }}'))
