"""The languages auditkit speaks: one spelling for the config, the CLI and the catalogues.

Kept free of imports so that the CLI can use it in its option types at start-up.

>>> LANGUAGES
('es', 'pt', 'en')
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["LANGUAGES", "Language"]

Language = Literal["es", "pt", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
