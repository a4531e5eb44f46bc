"""Files a command writes into a folder it shares with other files: never replace a stranger's.

``auditkit compare -o`` and ``auditkit register -o`` write a few named files into a folder that
may hold other things (a transparency folder, a shared drive). Unlike a review's ``--out``, the
folder is not replaced as a whole: only the command's own files are written, and a file of that
name is replaced only when this command wrote it. Each folder keeps a ledger,
``auditkit-outputs.json``, with the SHA-256 of every file auditkit wrote there; before anything
is written:

* the folder is new, or a folder (after following links) that is not inside a review bundle;
* every output name that already exists is a regular file (no link, no device) listed in the
  ledger with the same SHA-256: a user's own ``compare.csv`` or ``notice.md``, or a file edited
  after auditkit wrote it, is never replaced;
* files of an earlier run that this run no longer writes (``compare.png`` when there is no
  equity gap) are removed only under the same condition.

Otherwise an :class:`~auditkit._errors.InputDataError` (exit code 2) says which file and why, and
nothing is written. The ledger only ever *recognises* files: the names it lists are never opened,
and only the command's own fixed names are written or removed. The new files are written next
to the folder first and moved into place one by one (each move atomic); the ledger accepts the
old and the new content until the last move, so an interrupted run can be run again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from auditkit._errors import InputDataError
from auditkit._io import file_sha256

__all__ = ["LEDGER_NAME", "write_owned_files"]

LEDGER_NAME = "auditkit-outputs.json"
_SCHEMA = "auditkit.outputs/1"


def _plain(name: str) -> bool:
    """A file name of its own, in the folder itself (no folder part, not . or ..)."""
    return bool(name) and "/" not in name and "\\" not in name and name not in (".", "..")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_ledger(folder: Path, option: str) -> dict[str, list[str]]:
    """Name -> accepted SHA-256s; an unreadable or foreign ledger is refused, never trusted."""
    path = folder / LEDGER_NAME
    if not os.path.lexists(path):
        return {}
    if not stat.S_ISREG(os.lstat(path).st_mode):
        raise InputDataError(
            f"{option} {folder}: {LEDGER_NAME} is not a regular file.",
            hint="Choose another folder, or remove it if you put it there.",
        )
    try:
        document = json.loads(path.read_bytes()[: 1 << 20])
    except (OSError, ValueError, UnicodeDecodeError):
        document = None
    files = document.get("files") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("schema") != _SCHEMA
        or not isinstance(files, dict)
        or not all(
            isinstance(v, list) and all(isinstance(h, str) for h in v) for v in files.values()
        )
    ):
        raise InputDataError(
            f"{option} {folder}: {LEDGER_NAME} is not the list of files auditkit wrote there "
            f"(expected schema '{_SCHEMA}').",
            hint="Choose another folder; auditkit never replaces files it cannot recognise.",
        )
    return {str(name): list(hashes) for name, hashes in files.items()}


def _ledger_bytes(files: Mapping[str, Iterable[str]]) -> bytes:
    document = {
        "schema": _SCHEMA,
        "note": "SHA-256 of the files auditkit wrote in this folder; it replaces only these.",
        "files": {name: sorted(set(hashes)) for name, hashes in sorted(files.items())},
    }
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _current_hash(path: Path, option: str, folder: Path) -> str | None:
    """SHA-256 of the regular file at ``path``; None when absent; refuse anything else."""
    if not os.path.lexists(path):
        return None
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise InputDataError(
            f"{option} {folder}: {path.name} exists and is not a regular file (a link, a "
            "folder or a device); auditkit does not replace it.",
            hint="Choose another folder for the outputs.",
        )
    return file_sha256(path)


def write_owned_files(
    outputs: Mapping[str, bytes],
    folder: Path,
    *,
    option: str = "--out",
    retired: Iterable[str] = (),
    forbidden: Iterable[Path] = (),
) -> list[Path]:
    """Write ``outputs`` (plain file name -> content) into ``folder`` (see the module docstring).

    Parameters
    ----------
    outputs : mapping of str to bytes
        The files to write, by plain name (no folders).
    folder : Path
        The folder, created if missing.
    option : str
        The command-line option that named the folder, for messages.
    retired : iterable of str
        Names this command may have written before and does not write now: removed when (and
        only when) the ledger recognises them.
    forbidden : iterable of Path
        Folders the outputs must not go into (a review bundle: files added to it make
        ``auditkit verify`` fail).

    Returns
    -------
    list of Path
        The written files, in name order.

    Raises
    ------
    InputDataError
        The folder is a file, lies in a forbidden folder, or an existing file of an output's name
        was not written by auditkit (or was changed since); nothing was written.
    """
    for name in (*outputs, *retired):
        if not _plain(name) or name == LEDGER_NAME:
            raise ValueError(f"unsafe output file name {name!r}")
    if os.path.lexists(folder) and not folder.is_dir():
        raise InputDataError(
            f"{option} {folder}: expected a folder for the outputs; found a file.",
            hint="Choose a new folder or an existing one.",
        )
    real = folder.resolve()
    for other in forbidden:
        other = Path(other).resolve()
        if real == other or other in real.parents:
            raise InputDataError(
                f"{option} {folder}: expected a folder outside the review bundle {other}; files "
                "added to the bundle make `auditkit verify` fail.",
                hint="Write next to the bundle, e.g. -o transparency/ or -o compare/.",
            )
    try:
        ledger = _read_ledger(real, option) if real.is_dir() else {}
        for name in outputs:
            found = _current_hash(real / name, option, folder)
            if found is None:
                continue
            if found not in ledger.get(name, []):
                raise InputDataError(
                    f"{option} {folder}: {name} is already there and auditkit did not write it "
                    f"(or it was changed since; {LEDGER_NAME} does not list its content). "
                    "auditkit never replaces a file it did not write.",
                    hint=f"Choose another folder, or move {name} away first.",
                )
        new = {name: _sha256(content) for name, content in outputs.items()}
        real.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{real.name[:40]}-new-", dir=real.parent))
        try:
            for name, content in outputs.items():
                (staging / name).write_bytes(content)
            # while files move, the ledger accepts the earlier content and the new one
            both = {**ledger, **{n: [*ledger.get(n, []), h] for n, h in new.items()}}
            (staging / LEDGER_NAME).write_bytes(_ledger_bytes(both))
            os.replace(staging / LEDGER_NAME, real / LEDGER_NAME)
            written = []
            for name in sorted(outputs):
                os.replace(staging / name, real / name)
                written.append(real / name)
            for name in retired:  # an earlier run's file, removed only when recognised
                path = real / name
                if name not in outputs and os.path.lexists(path):
                    mode = os.lstat(path).st_mode
                    if stat.S_ISREG(mode) and file_sha256(path) in ledger.get(name, []):
                        path.unlink()
            final = {
                name: hashes
                for name, hashes in ledger.items()
                if name not in new and _plain(name) and os.path.lexists(real / name)
            }
            final.update({name: [digest] for name, digest in new.items()})
            (staging / LEDGER_NAME).write_bytes(_ledger_bytes(final))
            os.replace(staging / LEDGER_NAME, real / LEDGER_NAME)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as err:
        raise InputDataError(
            f"{option} {folder}: the outputs could not be written ({err.strerror or err}).",
            hint="Check that the folder and its parent are writable.",
        ) from None
    return written
