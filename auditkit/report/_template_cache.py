"""The compiled report templates kept between runs, in the user's own cache folder.

Compiling ``report.html.j2`` and ``report.md.j2`` (Jinja: lexing, parsing, generating Python and
compiling it) costs more than rendering them. Jinja's documented answer is a bytecode cache
(:class:`jinja2.FileSystemBytecodeCache`); this module gives the report environments one, made
safe:

* it lives in a per-user folder: ``$AUDITKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/auditkit``
  (``~/.cache/auditkit``; ``%LOCALAPPDATA%\\auditkit\\cache`` on Windows), under
  ``templates/<environment>-<key>/``. These two folders are ``0700`` (made so when auditkit
  finds them open to others); when they are not the user's own, the cache is not used;
* what a compiled template depends on is in the key: Jinja's version, Python's bytecode tag,
  auditkit's version and every option of the environment (escaping, ``finalize``, whitespace
  control…). Jinja itself checks each entry's template source (its checksum) and its format, so
  a cached template is always the one Jinja would compile now: the reports are the same bytes
  with or without the cache;
* an entry that cannot be read (truncated, damaged, foreign) is ignored and compiled again, and
  a folder that cannot be written costs only the compile time: the cache never fails a review;
* ``AUDITKIT_NO_CACHE=1`` turns it off (nothing is read or written).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2
    from jinja2.bccache import Bucket

__all__ = ["cache_root", "template_cache"]

_PRIVATE = 0o700


def cache_root() -> Path | None:
    """auditkit's cache folder for this user, or None when ``AUDITKIT_NO_CACHE`` is set.

    >>> import os
    >>> os.environ["AUDITKIT_CACHE_DIR"] = "/tmp/ak-cache"
    >>> str(cache_root())
    '/tmp/ak-cache'
    >>> del os.environ["AUDITKIT_CACHE_DIR"]
    """
    if os.environ.get("AUDITKIT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("AUDITKIT_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        return Path(base) / "auditkit" / "cache" if base else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "auditkit"
    try:
        return Path.home() / ".cache" / "auditkit"
    except RuntimeError:  # no home folder to be found
        return None


def _private_folder(path: Path) -> bool:
    """``path`` exists (created ``0700`` if missing), is a folder of this user's, and nobody
    else may write to it."""
    try:
        path.mkdir(mode=_PRIVATE, parents=False, exist_ok=True)
        info = path.lstat()
        if not stat.S_ISDIR(info.st_mode):
            return False
        if os.name != "posix":
            return True
        if info.st_uid != os.getuid():
            return False
        if info.st_mode & 0o077:
            path.chmod(_PRIVATE)
        return not path.lstat().st_mode & 0o077
    except OSError:
        return False


def _fingerprint(environment: jinja2.Environment) -> str:
    """What the code Jinja generates for a template depends on, besides the template's source."""
    import jinja2

    from auditkit._version import __version__

    finalize = environment.finalize
    parts = [
        jinja2.__version__,
        sys.implementation.cache_tag or sys.version,
        __version__,
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        environment.autoescape,
        None if finalize is None else f"{finalize.__module__}.{finalize.__qualname__}",
        f"{environment.undefined.__module__}.{environment.undefined.__qualname__}",
        sorted(environment.extensions),
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def template_cache(environment: jinja2.Environment, kind: str) -> jinja2.BytecodeCache | None:
    """A bytecode cache for ``environment`` (``kind``: ``html`` or ``markdown``), or None.

    None when the cache is turned off or its folder cannot be made private to the user; the
    environment then compiles its templates each run, as without a cache.
    """
    import jinja2

    root = cache_root()
    if root is None:
        return None
    folder = root / "templates" / f"{kind}-{_fingerprint(environment)}"
    try:  # the root may be the user's own folder (AUDITKIT_CACHE_DIR): used as it is
        root.mkdir(mode=_PRIVATE, parents=True, exist_ok=True)
    except OSError:
        return None
    # auditkit's own folders in it: private to the user, or not used
    if not (_private_folder(root / "templates") and _private_folder(folder)):
        return None

    class _SafeCache(jinja2.FileSystemBytecodeCache):
        """Jinja's file cache, where an entry that cannot be used is compiled again."""

        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry is a cache miss, never an error
                bucket.reset()
            if bucket.code is not None and not isinstance(bucket.code, types.CodeType):
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            # a full disk or a read-only folder: the next run compiles again
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return _SafeCache(str(folder))
