"""Opening an MLflow tracking store: checked URI, bounded timeouts, a safe first creation.

Several reviews started at once against a new SQLite file (a CI matrix, a city's nightly batch)
would otherwise all run MLflow's database migrations together and fail with "table experiments
already exists" or alembic errors, leaving a half-migrated file that breaks every later run.
:func:`tracking_client` prevents that:

* the first creation of a SQLite store is serialised with an exclusive lock on a sibling file
  (``mlflow.db.lock`` next to ``mlflow.db``);
* a new store is built and migrated under a temporary name in the same folder and renamed into
  place only when complete, so the store file never exists half-migrated, even when the process
  creating it is killed;
* the other writers wait for the lock, then open the finished store.

:data:`TRACKING_DEFAULTS` bounds MLflow's HTTP retries and timeouts (MLflow's own default retries
for minutes on a dead server) and keeps MLflow's "View run at" lines off stdout; they apply to the
CLI and to library callers alike, and never override a variable the user set.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from auditkit._errors import TrackingError

if TYPE_CHECKING:
    from mlflow import MlflowClient

__all__ = [
    "SUPPORTED_SCHEMES",
    "TRACKING_DEFAULTS",
    "check_tracking_uri",
    "sqlite_path",
    "tracking_client",
    "tracking_defaults",
]

TRACKING_DEFAULTS: dict[str, str] = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "60",
    "MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT": "true",
}

# Tracking stores MLflow 3 can write runs to (file: only with MLFLOW_ALLOW_FILE_STORE=true).
SUPPORTED_SCHEMES: tuple[str, ...] = (
    "sqlite",
    "postgresql",
    "mysql",
    "mssql",
    "http",
    "https",
    "databricks",
    "file",
)


@contextmanager
def tracking_defaults() -> Iterator[None]:
    """Set :data:`TRACKING_DEFAULTS` for the block, leaving variables the user set alone."""
    added = [name for name in TRACKING_DEFAULTS if name not in os.environ]
    os.environ.update({name: TRACKING_DEFAULTS[name] for name in added})
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def check_tracking_uri(uri: str | None) -> None:
    """Refuse a tracking URI MLflow cannot log to, before any work is done.

    Raises
    ------
    TrackingError
        The scheme is not one of :data:`SUPPORTED_SCHEMES`, or the URI is malformed.

    Examples
    --------
    >>> check_tracking_uri("sqlite:///mlflow.db")
    >>> check_tracking_uri("ftp://x")
    Traceback (most recent call last):
    ...
    auditkit._errors.TrackingError: --tracking-uri 'ftp://x': MLflow cannot log to the 'ftp' ...
    """
    if uri is None:
        return
    scheme, separator, _rest = uri.partition(":")
    base = scheme.split("+", 1)[0].lower()
    if not separator or base not in SUPPORTED_SCHEMES:
        raise TrackingError(
            f"--tracking-uri '{uri[:200]}': MLflow cannot log to the '{base or uri[:20]}' "
            f"scheme; use one of {', '.join(SUPPORTED_SCHEMES)} (for example "
            "sqlite:///mlflow.db or http://host:5000)."
        )
    database = sqlite_path(uri)
    if database is not None and not database.parent.is_dir():
        raise TrackingError(
            f"--tracking-uri '{uri[:200]}': the folder of the SQLite tracking store, "
            f"{database.parent}, does not exist.",
            hint="Create it, or point --tracking-uri at an existing folder.",
        )


def sqlite_path(uri: str) -> Path | None:
    """The database file of a ``sqlite:///`` URI (relative to the working folder), else None.

    Examples
    --------
    >>> sqlite_path("sqlite:///mlflow.db")
    PosixPath('mlflow.db')
    >>> sqlite_path("sqlite:////srv/mlflow.db?timeout=30")
    PosixPath('/srv/mlflow.db')
    >>> sqlite_path("sqlite:///:memory:") is None, sqlite_path("http://h") is None
    (True, True)
    """
    if not uri.lower().startswith("sqlite:///"):
        return None
    name = uri[len("sqlite:///") :].split("?", 1)[0]
    if not name or name == ":memory:":
        return None
    return Path(name)


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    """An exclusive lock on ``lock_file`` held for the block (POSIX; no lock elsewhere)."""
    try:
        import fcntl
    except ImportError:  # Windows: MLflow's own store creation, unserialised
        yield
        return
    with lock_file.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _open(uri: str) -> MlflowClient:
    """A client whose store is open (MLflow creates and migrates a SQL store on first use)."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    client.search_experiments(max_results=1)
    return client


def _dispose(uri: str) -> None:
    """Close MLflow's cached connections to ``uri`` (the temporary store is renamed away)."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    engines = getattr(SqlAlchemyStore, "_engine_map", None)
    if isinstance(engines, dict) and uri in engines:
        engines.pop(uri).dispose()


def _create_sqlite(database: Path) -> None:
    """Build and migrate a new store under a temporary name, then rename it into place."""
    # a new name every time: MLflow caches a store per URI for the life of the process
    token = secrets.token_hex(4)
    temporary = database.with_name(f".{database.name}.creating-{os.getpid()}-{token}")
    uri = f"sqlite:///{temporary.resolve()}"
    try:
        try:
            _open(uri)
        finally:
            _dispose(uri)
        if database.exists():  # an empty file (touch mlflow.db): replace it
            os.replace(temporary, database)
        else:  # never over a store someone else just created outside the lock
            with suppress(FileExistsError):
                os.link(temporary, database)
    finally:
        with suppress(OSError):
            temporary.unlink(missing_ok=True)


def tracking_client(tracking_uri: str | None = None) -> tuple[MlflowClient, str]:
    """An MLflow client on an open store, and the URI it uses.

    Parameters
    ----------
    tracking_uri : str, optional
        Default MLflow's (``MLFLOW_TRACKING_URI``, else ``sqlite:///mlflow.db`` in the working
        folder).

    Raises
    ------
    TrackingError
        The URI is not supported, the server does not answer, or the store refused to open.
    """
    import mlflow

    check_tracking_uri(tracking_uri)
    uri = tracking_uri or mlflow.get_tracking_uri()
    check_tracking_uri(uri)
    if uri.startswith(("http://", "https://")):
        _check_server(uri)
    database = sqlite_path(uri)
    try:
        if database is None:
            return _open(uri), uri
        with _locked(database.with_name(database.name + ".lock")):
            if not database.exists() or database.stat().st_size == 0:
                _create_sqlite(database)
            return _open(uri), uri
    except TrackingError:
        raise
    except Exception as err:  # MlflowException, SQLAlchemy and OS errors alike
        text = str(err).strip().splitlines()
        raise TrackingError(
            f"the MLflow tracking store at {uri} could not be opened: {type(err).__name__}"
            + (f": {text[0][:300]}" if text else "")
        ) from err


def _check_server(uri: str) -> None:
    """Fail fast, with a clear message, when the tracking server does not answer."""
    import requests

    try:
        response = requests.get(uri.rstrip("/") + "/health", timeout=10)
    except requests.RequestException as err:
        raise TrackingError(
            f"the MLflow tracking server at {uri} is unreachable ({type(err).__name__})."
        ) from err
    if response.status_code != 200:
        raise TrackingError(
            f"the MLflow tracking server at {uri} answered /health with HTTP "
            f"{response.status_code}."
        )
