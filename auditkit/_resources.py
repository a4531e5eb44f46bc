"""Where the bundled playbooks, template and schemas live.

In a wheel they are force-included under ``auditkit/_bundled/``; in an editable install or a
source checkout they stay at the repository's top level. Look in the package first, then in the
checkout.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_path", "schema_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent


def resource_path(name: str) -> Path:
    """Return the path of a bundled resource (``"playbooks"``, ``"template"``, ...).

    Raises
    ------
    FileNotFoundError
        If neither the installed package nor the source checkout has it.
    """
    for candidate in (_PACKAGE_DIR / "_bundled" / name, _REPO_DIR / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"auditkit's bundled {name!r} was not found in {_PACKAGE_DIR / '_bundled'} nor in "
        f"{_REPO_DIR}. Reinstall auditkit-cities from the source you installed it from "
        "(pip install --force-reinstall ...)."
    )


def schema_path(name: str) -> Path:
    """Return the path of a JSON Schema shipped in ``auditkit/schemas/``.

    The schemas live inside the package, so wheels and editable installs find them at the same
    place.

    Raises
    ------
    FileNotFoundError
        If the schema is not there.
    """
    path = _PACKAGE_DIR / "schemas" / name
    if not path.is_file():
        raise FileNotFoundError(
            f"auditkit's schema {name!r} was not found in {path.parent}. Reinstall auditkit."
        )
    return path
