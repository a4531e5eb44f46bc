"""Borrar los datos personales de los mensajes ANTES de aprender nada de ellos.

Nombres, teléfonos, correos, identificaciones oficiales y domicilios se reemplazan por marcadores
de su tipo (``[phone]``, ``[person_name]``...) con los detectores de auditkit (``auditkit.privacy``:
los mismos que usa ``auditkit scan``). Todo lo que sigue (vocabulario, tablas, modelo, artefactos
registrados) se construye sobre el texto ya borrado.
"""

from __future__ import annotations

import pandas as pd
from auditkit.privacy import PLACEHOLDERS, redact_texts

KINDS = tuple(PLACEHOLDERS)


def redact(messages: pd.DataFrame, *, country: str) -> tuple[pd.DataFrame, dict[str, int]]:
    """Return a copy of ``messages`` whose ``text`` is redacted, and the number of values per kind."""
    texts, counts = redact_texts(messages["text"].tolist(), country=country)
    out = messages.copy()
    out["text"] = pd.Series(texts, index=messages.index, dtype="string")
    return out, {f"redacted_{kind}": int(counts.get(kind, 0)) for kind in KINDS}
