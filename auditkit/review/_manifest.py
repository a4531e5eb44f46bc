"""The manifest of a review bundle, and checking a bundle against it.

Every review writes ``manifest.json`` next to its outputs: the SHA-256 of every output file and
of every input the review read, the versions of auditkit and of the libraries that computed the
results, and when the review was written. Anything that depends on the clock lives here, never in
``findings.json``, so that identical inputs keep giving a byte-identical ``findings.json``.

:func:`verify_bundle` recomputes the hashes of a bundle folder and reports every file that was
changed, removed or added after the review. The manifest protects the bundle against accidental
or casual changes; it is not a signature (whoever can rewrite the files can rewrite the manifest),
so keep a copy of its hash elsewhere (``auditkit review --log-mlflow`` records it in MLflow).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from auditkit._area import InputRecord
from auditkit._errors import InputDataError
from auditkit._io import check_input_file, file_sha256, input_limits, reading
from auditkit._version import __version__

__all__ = [
    "LIBRARIES",
    "MANIFEST_NAME",
    "MANIFEST_SCHEMA",
    "REQUIRED_FILES",
    "BundleCheck",
    "build_manifest",
    "library_versions",
    "read_bundle_json",
    "read_manifest",
    "review_time",
    "verify_bundle",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = "auditkit.manifest/1"
# Every review writes these; a manifest without them is not a review's.
REQUIRED_FILES: tuple[str, ...] = ("findings.json", "report.md", "report.html")

# Distributions whose versions can change a review's results or its rendering.
LIBRARIES: tuple[str, ...] = (
    "babel",
    "fairlearn",
    "jinja2",
    "matplotlib",
    "mlflow",
    "numpy",
    "pandas",
    "pyarrow",
    "pydantic",
    "scikit-learn",
    "scipy",
    "shap",
)


def review_time() -> datetime:
    """When the review is written: now (UTC), or ``SOURCE_DATE_EPOCH`` when it is set.

    ``SOURCE_DATE_EPOCH`` is the reproducible-builds convention for pinning the clock, so that a
    whole bundle (not only ``findings.json``) can be rebuilt byte for byte.
    """
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isdigit():
        return datetime.fromtimestamp(int(pinned), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


@functools.cache
def library_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`LIBRARIES` (None when it is not installed).

    Looked up once per process: the manifest and report.html both name them.
    """
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def build_manifest(
    outputs: Mapping[str, bytes],
    inputs: Sequence[InputRecord],
    *,
    created: datetime | None = None,
) -> dict[str, Any]:
    """The content of ``manifest.json`` for a bundle made of ``outputs``.

    Parameters
    ----------
    outputs : mapping of str to bytes
        Every file of the bundle (relative POSIX path -> content), except the manifest itself.
    inputs : sequence of InputRecord
        The files the review read, with their hashes.
    created : datetime, optional
        Time of the review; default :func:`review_time`.

    Examples
    --------
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> m = build_manifest({"findings.json": b"{}\\n"}, [], created=when)
    >>> m["files"]["findings.json"]["sha256"][:12], m["created"]
    ('ca3d163bab05', '2026-01-01T00:00:00Z')
    """
    if MANIFEST_NAME in outputs:
        raise ValueError(f"{MANIFEST_NAME} cannot list itself")
    when = created or review_time()
    return {
        "schema": MANIFEST_SCHEMA,
        "created": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "auditkit_version": __version__,
        "python": platform.python_version(),
        "libraries": dict(library_versions()),
        "files": {
            name: {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}
            for name, content in sorted(outputs.items())
        },
        "inputs": [record.to_dict() for record in inputs],
    }


def read_manifest(folder: Path) -> dict[str, Any]:
    """Read and sanity-check the manifest of a bundle folder.

    Raises
    ------
    InputDataError
        The folder or its manifest is missing or is not an auditkit manifest.
    """
    if not folder.is_dir():
        raise InputDataError(
            "expected the folder of a review (the --out of auditkit review); "
            + ("found a file." if folder.exists() else "it does not exist."),
            file=folder,
        )
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise InputDataError(
            f"has no {MANIFEST_NAME}, so it cannot be verified.",
            file=folder,
            hint="Only folders written by auditkit review (0.1 or later) carry a manifest.",
        )
    manifest = read_bundle_json(path)
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("schema") != MANIFEST_SCHEMA
        or not isinstance(files, dict)
        or not all(isinstance(v, dict) and isinstance(v.get("sha256"), str) for v in files.values())
    ):
        raise InputDataError(
            f"is not an auditkit manifest (expected schema '{MANIFEST_SCHEMA}' and a 'files' "
            "mapping of path to sha256); the manifest itself was damaged or replaced.",
            file=path,
        )
    return manifest


def read_bundle_json(path: Path) -> Any:
    """A JSON file of a bundle, within the input limits (size, nesting), or a clear error.

    Raises
    ------
    InputDataError
        Missing, not a regular file, too large, nested too deeply or not valid JSON.
    """
    check_input_file(
        path,
        role="JSON",
        max_bytes=input_limits().json_bytes,
        setting="AUDITKIT_MAX_JSON_MB",
    )
    with reading(path, role="JSON"):
        text = path.read_text(encoding="utf-8")
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise InputDataError(
                f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg}); the "
                "file was damaged or replaced.",
                file=path,
            ) from None


@dataclass
class BundleCheck:
    """What :func:`verify_bundle` found: files changed, missing or extra since the review."""

    folder: Path
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)
    manifest_sha256: str = ""

    @property
    def ok(self) -> bool:
        """True when every listed file is present and unchanged, nothing was added, and the
        manifest agrees with findings.json and decision.json."""
        return not (self.changed or self.missing or self.extra or self.inconsistent)

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "ok": self.ok,
            "checked": self.checked,
            "changed": self.changed,
            "missing": self.missing,
            "extra": self.extra,
            "inconsistent": self.inconsistent,
            "manifest_sha256": self.manifest_sha256,
        }


def _bundle_files(folder: Path) -> list[str]:
    names = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        # a link to a folder is not walked into: it is a file no review wrote
        links = [name for name in dirs if (Path(root) / name).is_symlink()]
        for name in [*files, *links]:
            relative = (Path(root) / name).relative_to(folder).as_posix()
            if relative != MANIFEST_NAME:
                names.append(relative)
    return sorted(names)


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return (
        bool(name)
        and not name.startswith("/")
        and "\\" not in name
        and "\x00" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )


def _cross_check(folder: Path, manifest: dict[str, Any], check: BundleCheck) -> None:
    """The manifest must agree with the documents it lists (their hashes were checked first)."""
    listed = manifest["files"]
    inputs = manifest.get("inputs")
    if not isinstance(inputs, list):
        check.inconsistent.append("manifest.json: 'inputs' is missing or not a list")
        inputs = None
    for required in REQUIRED_FILES:
        if required not in listed:
            check.inconsistent.append(f"manifest.json lists no {required}")
    intact = set(listed) - set(check.changed) - set(check.missing)
    documents = [name for name in ("findings.json", "decision.json") if name in intact]
    for name in documents:
        try:
            document = read_bundle_json(folder / name)
        except InputDataError:
            check.inconsistent.append(f"{name} cannot be read as JSON")
            continue
        if not isinstance(document, dict):
            check.inconsistent.append(f"{name} is not a JSON object")
            continue
        if "inputs" not in document:
            check.inconsistent.append(
                f"{name} names no inputs, so the manifest's cannot be checked (a bundle written "
                "before auditkit cross-checked them: run the review again)"
            )
        elif inputs is not None and document["inputs"] != inputs:
            check.inconsistent.append(
                f"the inputs listed in manifest.json differ from those in {name}"
            )
        if name == "findings.json" and document.get("auditkit_version") != manifest.get(
            "auditkit_version"
        ):
            check.inconsistent.append(
                "the auditkit version in manifest.json differs from the one in findings.json"
            )


def verify_bundle(folder: Path) -> BundleCheck:
    """Compare a review folder with its ``manifest.json``, and the manifest with its documents.

    Every file listed in the manifest must be present with the same SHA-256, and no other file
    may be in the folder (hidden files and sub-folders included). The manifest itself is
    cross-checked: it must list ``findings.json`` and the reports, its list of inputs (with their
    hashes) must equal the one in ``findings.json`` and ``decision.json``, and its auditkit
    version the one in ``findings.json``. Names that are not plain relative paths are never
    opened. ``manifest_sha256`` is the bundle's digest, for an approval record to quote.

    Raises
    ------
    InputDataError
        The folder has no readable manifest.
    """
    manifest = read_manifest(folder)
    listed: dict[str, dict[str, Any]] = manifest["files"]
    check = BundleCheck(folder=folder, manifest_sha256=file_sha256(folder / MANIFEST_NAME))
    present = set(_bundle_files(folder))
    for name in sorted(listed):
        if not _safe_name(name):
            check.inconsistent.append(f"manifest.json lists a path outside the folder: {name!r}")
            continue
        path = folder / name
        if name not in present or not path.is_file():
            check.missing.append(name)
            continue
        check.checked += 1
        if path.is_symlink() or file_sha256(path) != listed[name]["sha256"]:
            check.changed.append(name)
    check.extra = sorted(present - set(listed))
    _cross_check(folder, manifest, check)
    return check
