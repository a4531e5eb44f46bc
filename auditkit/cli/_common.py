"""Pieces every command shares: error handling and the consoles.

Exit codes, for every command: 0 ok, 1 the gate failed (or verify found a change, or scan found
personal data), 2 a usage or input error, 130 interrupted by Ctrl-C. No error prints a
traceback: :func:`guarded` turns every failure into one paragraph on stderr. Set
``AUDITKIT_DEBUG=1`` to see the traceback of an unexpected error.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import click
import typer

from auditkit._errors import AuditkitError

__all__ = ["EXIT_INTERRUPTED", "EXIT_USAGE", "echo_error", "guarded"]

P = ParamSpec("P")
R = TypeVar("R")

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def echo_error(message: str) -> None:
    """Print a one-paragraph error to stderr, personal data masked.

    Every message a command prints goes through :func:`auditkit.privacy.redact` here: a message
    that quotes a value (``Groups found: B, C, ana.ruiz@example.com``) must not carry it.
    """
    from auditkit.privacy import redact

    typer.echo(f"Error: {redact(message)}", err=True)


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn every error into a message on stderr and an exit code, never a traceback.

    :class:`AuditkitError` prints its message (exit 2). Errors of the operating system (a path
    that cannot be created, a name too long, a full disk), truncated or damaged input and
    exhausted memory are input errors too (exit 2) and name the file when there is one. Ctrl-C
    exits 130. Anything else is a bug: a one-line message and exit 2 (the traceback with
    ``AUDITKIT_DEBUG=1``).
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.ClickException):
            raise
        except AuditkitError as err:
            echo_error(str(err))
            raise typer.Exit(code=err.exit_code) from None
        except KeyboardInterrupt:
            echo_error("interrupted; no output folder was left half-written.")
            raise typer.Exit(code=EXIT_INTERRUPTED) from None
        except OSError as err:
            where = err.filename if err.filename is not None else None
            detail = err.strerror or _first_line(err)
            echo_error(f"{where}: {detail}." if where else f"{detail}.")
            raise typer.Exit(code=EXIT_USAGE) from None
        except (EOFError, zlib.error, UnicodeError) as err:
            echo_error(f"an input is truncated, damaged or not UTF-8 ({_first_line(err)}).")
            raise typer.Exit(code=EXIT_USAGE) from None
        except (MemoryError, RecursionError):
            echo_error("an input is too large or too deeply nested to be read.")
            raise typer.Exit(code=EXIT_USAGE) from None
        except Exception as err:
            if os.environ.get("AUDITKIT_DEBUG"):
                raise
            echo_error(
                f"auditkit stopped on an unexpected {type(err).__name__} (its text is not "
                "shown: it may quote input values). "
                "Check the inputs; if they look right this is a bug: run again with "
                "AUDITKIT_DEBUG=1 and report the traceback."
            )
            raise typer.Exit(code=EXIT_USAGE) from None

    return wrapper
