"""The output folder of a review: what may be replaced, and the atomic swap of the whole folder.

A review owns its ``--out`` folder and nothing else. Before anything is written, the folder is
checked, after following every link:

* it is a folder (or does not exist yet) and is not the current folder or one of its parents;
* it holds none of the review's inputs (``-o .`` next to ``audit.yaml`` is refused);
* it is empty, or holds exactly a bundle an earlier review wrote: every file in it is listed in
  its ``manifest.json`` with the same SHA-256, and there is nothing else (no other file, no link,
  no device). A user's own ``report.md`` or ``findings.json`` is never replaced.

Anything else is refused with an :class:`~auditkit._errors.InputDataError` (exit code 2) that says
why, and nothing is written. A manifest is only ever used to *recognise* files; no path it lists
is ever opened for writing or removed, so a planted manifest cannot reach outside ``--out``.

The new bundle is written into a staging folder next to ``--out`` and swapped in whole: with
Linux's ``renameat2(RENAME_EXCHANGE)`` the two folders trade places in one step; elsewhere two
renames, undone if the second fails. Ctrl-C is held back during the swap, so an interruption
leaves the old bundle or the new one, never a mix. The old bundle is then removed file by file,
only the files whose hashes were checked.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath
from types import FrameType

from auditkit._errors import AuditkitError, InputDataError
from auditkit._io import file_sha256
from auditkit.review._manifest import MANIFEST_NAME, read_manifest

__all__ = [
    "OutputFolder",
    "check_output_name",
    "discard",
    "prepare_output_folder",
    "staging_folder",
    "swap_in",
]

_MAX_NAME_BYTES = 255
_HINT = "Choose a new or empty folder for --out (for example audit/ next to audit.yaml)."


def check_output_name(name: str) -> str:
    """Check that a bundle file name is a plain relative path; return it.

    Raises
    ------
    ValueError
        Absolute, with ``..`` or ``.`` parts, a backslash, a NUL or an over-long part.

    Examples
    --------
    >>> check_output_name("figures/fairness.svg")
    'figures/fairness.svg'
    """
    pure = PurePosixPath(name)
    if (
        not name
        or pure.is_absolute()
        or "\\" in name
        or "\x00" in name
        or pure.as_posix() != name
        or any(part in ("", ".", "..") for part in name.split("/"))
        or any(len(part.encode("utf-8")) > _MAX_NAME_BYTES for part in pure.parts)
    ):
        raise ValueError(f"unsafe output file name {name!r}")
    return name


class OutputFolder:
    """A checked ``--out``: its real path and the earlier bundle files it may replace."""

    def __init__(self, path: Path, previous: Mapping[str, str]) -> None:
        self.path = path
        self.previous = dict(previous)


def _refuse(message: str, out: Path) -> InputDataError:
    return InputDataError(f"--out {out}: {message}", hint=_HINT)


def _contains(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def _walk(folder: Path, out: Path) -> dict[str, Path]:
    """Every regular file under ``folder`` (relative name -> path); links and devices refused."""
    found: dict[str, Path] = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(root) / name
            relative = path.relative_to(folder).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                raise _refuse(
                    f"it holds a link, {relative}, which no review writes; auditkit does not "
                    "replace a folder with links in it.",
                    out,
                )
            if stat.S_ISDIR(mode):
                continue
            if not stat.S_ISREG(mode):
                raise _refuse(f"it holds {relative}, which is not a regular file.", out)
            found[relative] = path
    return found


def prepare_output_folder(out: Path, *, inputs: Iterable[Path] = ()) -> OutputFolder:
    """Check ``out`` before a review writes into it (see the module docstring).

    Parameters
    ----------
    out : Path
        The ``--out`` folder as the user gave it.
    inputs : iterable of Path
        Every file the review reads (config, tables, answers, model...).

    Raises
    ------
    InputDataError
        The folder may not be written; the message says why and what to do.
    """
    try:
        for part in out.parts:
            if len(part.encode("utf-8")) > _MAX_NAME_BYTES:
                raise _refuse(
                    f"a folder name of {len(part.encode('utf-8'))} bytes is longer than the "
                    f"{_MAX_NAME_BYTES} bytes file systems allow.",
                    out,
                )
        real = out.resolve()
        if _contains(real, Path.cwd().resolve()):
            raise _refuse(
                "it is the current folder or one of its parents; a review replaces its --out "
                "folder as a whole.",
                out,
            )
        for source in inputs:
            source = Path(source).resolve()
            if _contains(real, source):
                what = "it is" if source == real else "it holds"
                raise _refuse(
                    f"{what} {source.name}, an input of this review; a review replaces its "
                    "--out folder as a whole and never overwrites its inputs.",
                    out,
                )
        if os.path.lexists(real) and not real.is_dir():
            raise _refuse("it exists and is not a folder.", out)
        if not real.exists():
            parent = real.parent
            if parent.exists() and not parent.is_dir():
                raise _refuse(f"{parent} is not a folder.", out)
            return OutputFolder(real, {})
        files = _walk(real, out)
        if not files:
            return OutputFolder(real, {})
        try:
            manifest = read_manifest(real)
        except AuditkitError:
            shown = ", ".join(sorted(files)[:5]) + (" ..." if len(files) > 5 else "")
            raise _refuse(
                f"it already holds files that no auditkit review wrote ({shown}); auditkit "
                "never replaces them.",
                out,
            ) from None
        listed = manifest["files"]
        if "findings.json" not in files or "findings.json" not in listed:
            raise _refuse(
                f"its {MANIFEST_NAME} does not come with the findings.json of a review; "
                "auditkit never replaces files it did not write.",
                out,
            )
        previous: dict[str, str] = {}
        for name, path in sorted(files.items()):
            if name == MANIFEST_NAME:
                continue
            entry = listed.get(name)
            if not isinstance(entry, dict) or entry.get("sha256") != file_sha256(path):
                raise _refuse(
                    f"{name} was added or changed after the earlier review (it does not match "
                    f"its {MANIFEST_NAME}); auditkit never replaces a file it did not write.",
                    out,
                )
            previous[name] = str(entry["sha256"])
        return OutputFolder(real, previous)
    except OSError as err:
        raise _refuse(f"it cannot be used ({err.strerror or err}).", out) from None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False when not available here."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back until the block is done, then raise it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def staging_folder(folder: OutputFolder) -> Path:
    """A new empty folder next to ``--out`` with the usual permissions, to write the bundle."""
    parent = folder.path.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.path.name[:40]}-new-", dir=parent))
    mask = os.umask(0)
    os.umask(mask)
    staging.chmod(0o777 & ~mask)
    return staging


def swap_in(staging: Path, folder: OutputFolder) -> None:
    """Put ``staging`` in place of ``folder.path`` at once, then remove the earlier bundle."""
    target = folder.path
    with _sigint_held():
        if not target.exists():
            os.rename(staging, target)
            return
        if _exchange(staging, target):
            old = staging
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}-old-", dir=target.parent))
            os.rename(target, old)  # replaces the empty folder just made
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(old, target)
                raise
    _remove_old(old, folder.previous)


def _remove_old(old: Path, previous: Mapping[str, str]) -> None:
    """Remove the earlier bundle's files (only those whose hash was checked), then its folders.

    Best effort: the new bundle is already in place, so a file that cannot be removed stays in
    the hidden folder next to ``--out`` rather than failing the review.
    """
    try:
        for root, dirs, files in os.walk(old, topdown=False, followlinks=False):
            for name in files:
                path = Path(root) / name
                relative = path.relative_to(old).as_posix()
                if relative == MANIFEST_NAME or (
                    relative in previous
                    and stat.S_ISREG(os.lstat(path).st_mode)
                    and file_sha256(path) == previous[relative]
                ):
                    path.unlink()
            for name in dirs:
                with suppress(OSError):
                    (Path(root) / name).rmdir()
        old.rmdir()
    except (OSError, InputDataError):  # an unreadable old file stays in the hidden folder
        return


def discard(staging: Path) -> None:
    """Remove a staging folder this review made and did not swap in."""
    shutil.rmtree(staging, ignore_errors=True)
