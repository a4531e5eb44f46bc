"""Pieces every command shares: error handling and the consoles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from auditkit._errors import AuditkitError

__all__ = ["echo_error", "guarded"]

P = ParamSpec("P")
R = TypeVar("R")


def echo_error(message: str) -> None:
    """Print a one-paragraph error to stderr, personal data masked.

    Every message a command prints goes through :func:`auditkit.privacy.redact` here: a message
    that quotes a value (``Groups found: B, C, ana.ruiz@example.com``) must not carry it.
    """
    from auditkit.privacy._text import redact

    typer.echo(f"Error: {redact(message)}", err=True)


def guarded(command: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`AuditkitError` into its message on stderr and exit code 2, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except AuditkitError as err:
            echo_error(str(err))
            raise typer.Exit(code=err.exit_code) from None

    return wrapper
