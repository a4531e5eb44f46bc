"""Facts from a baked pilot's ``docs/model_card.md`` and ``docs/datasheet.md``.

The template writes both files in the pilot's language as Markdown bullets ``- **Label:** text``
under ``## Section`` headings. This module reads those bullets by their label in Spanish,
Portuguese or English and keeps only what the team wrote: a value that is still a placeholder
(``[completar]``, ``[to complete]``) counts as unknown, and the part of a bullet before a
placeholder is kept (``Gobierno de Guadalajara — contacto: [completar]`` gives the owner, not the
contact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from auditkit._errors import InputDataError

__all__ = ["PilotDocs", "parse_card", "read_pilot_docs"]

MODEL_CARD = "docs/model_card.md"
DATASHEET = "docs/datasheet.md"

# label (lower case, without the colon) -> field, for the three languages of the template
_LABELS: dict[str, str] = {
    # model card
    "responsable": "owner",
    "responsável": "owner",
    "owner": "owner",
    "contacto": "contact",
    "contato": "contact",
    "contact": "contact",
    "tipo": "model_type",
    "type": "model_type",
    "algoritmo": "algorithm",
    "algorithm": "algorithm",
    "línea base": "baseline",
    "linha de base": "baseline",
    "baseline": "baseline",
    "líneas base": "baseline",
    "linhas de base": "baseline",
    "baselines": "baseline",
    "versión y trazabilidad": "lineage",
    "versão e rastreabilidade": "lineage",
    "version and lineage": "lineage",
    "usos fuera de alcance": "out_of_scope",
    "usos fora do escopo": "out_of_scope",
    "out of scope": "out_of_scope",
    # datasheet
    "para qué": "data_purpose",
    "para quê": "data_purpose",
    "purpose": "data_purpose",
    "quién lo creó": "data_creator",
    "quem criou": "data_creator",
    "created by": "data_creator",
    "cada fila": "data_rows",
    "cada linha": "data_rows",
    "each row": "data_rows",
    "datos personales": "personal_data",
    "dados pessoais": "personal_data",
    "personal data": "personal_data",
    "fuente real": "data_source",
    "fonte real": "data_source",
    "real source": "data_source",
    "sesgos conocidos": "known_biases",
    "vieses conhecidos": "known_biases",
    "known biases": "known_biases",
}
# unlabelled bullets of these sections
_SECTIONS: dict[str, str] = {
    "uso previsto": "intended_use",
    "intended use": "intended_use",
    "preprocesamiento": "preprocessing",
    "pré-processamento": "preprocessing",
    "preprocessing": "preprocessing",
}
# "Responsable de mantenimiento: ..." is an unlabelled bullet with its own colon
_INLINE: dict[str, str] = {
    "responsable de mantenimiento": "maintainer",
    "responsável pela manutenção": "maintainer",
    "maintainer": "maintainer",
}
_PLACEHOLDER = re.compile(r"\*{0,2}\[(?:completar|to complete)[^\]]*\]\*{0,2}", re.IGNORECASE)
_BULLET = re.compile(r"^- (?:\*\*(?P<label>[^*]+?):\*\*\s*)?(?P<text>.*)$")
_CONTACT_SPLIT = re.compile(r"\s+[—–-]\s+(contacto|contato|contact):\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PilotDocs:
    """What the pilot's own documents say (texts in the pilot's language)."""

    folder: Path | None
    fields: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # field -> "docs/model_card.md"

    def get(self, name: str) -> str | None:
        """The text of ``name`` or None when the documents do not say."""
        return self.fields.get(name)


def _clean(text: str) -> str | None:
    """Drop everything from the first placeholder on; None when nothing is left."""
    cut = _PLACEHOLDER.search(text)
    if cut:
        text = text[: cut.start()]
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(
        r"[\s.;,:—–-]*\b(financiamiento|financiamento|funding)\s*:?\s*$",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = text.replace("**", "").replace("`", "").strip().rstrip(" —–-:;,")
    return text or None


def _bullets(markdown: str) -> list[tuple[str, str | None, str]]:
    """(section, label, text) for every bullet, continuation lines joined."""
    items: list[tuple[str, str | None, str]] = []
    section = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        match = _BULLET.match(line)
        if match:
            label = match.group("label")
            items.append((section, label.strip().lower() if label else None, match["text"]))
        elif items and line.startswith("  ") and line.strip():
            last = items[-1]
            items[-1] = (last[0], last[1], f"{last[2]} {line.strip()}")
        elif not line.strip() and items and items[-1][0] == section:
            continue
    return items


def parse_card(markdown: str) -> dict[str, str]:
    """The known fields of a model card or datasheet written from auditkit's template.

    Examples
    --------
    >>> parse_card("## Model details\\n- **Owner:** City of Recife — contact: **[to complete]**\\n")
    {'owner': 'City of Recife'}
    >>> parse_card("## Intended use\\n- Plan crews per zone.\\n- **Out of scope:** fines.\\n")
    {'intended_use': 'Plan crews per zone.', 'out_of_scope': 'fines.'}
    """
    found: dict[str, str] = {}
    for section, label, text in _bullets(markdown):
        if label is not None:
            name = _LABELS.get(label)
            if name is None:
                continue
            if name == "owner":
                parts = _CONTACT_SPLIT.split(text, maxsplit=1)
                if len(parts) == 3:
                    contact = _clean(parts[2])
                    if contact:
                        found.setdefault("contact", contact)
                    text = parts[0]
            value = _clean(text)
        else:
            inline = text.split(":", 1)
            if len(inline) == 2 and inline[0].strip().lower() in _INLINE:
                name, value = _INLINE[inline[0].strip().lower()], _clean(inline[1])
            elif section in _SECTIONS:
                name, value = _SECTIONS[section], _clean(text)
            else:
                continue
        if value and name not in found:
            found[name] = value
    return found


def read_pilot_docs(folder: Path | None) -> PilotDocs:
    """Read ``docs/model_card.md`` and ``docs/datasheet.md`` of a pilot folder.

    A missing document leaves its fields unknown (the register lists them as missing); a
    folder that does not exist is an input error.

    Raises
    ------
    InputDataError
        ``folder`` is given but is not a folder, or a document is not UTF-8 text.
    """
    if folder is None:
        return PilotDocs(folder=None)
    if not folder.is_dir():
        raise InputDataError(
            "--pilot: expected the folder of a baked pilot (with docs/model_card.md and "
            "docs/datasheet.md); " + ("found a file." if folder.exists() else "it does not exist."),
            file=folder,
        )
    fields: dict[str, str] = {}
    sources: dict[str, str] = {}
    for relative in (MODEL_CARD, DATASHEET):
        path = folder / relative
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise InputDataError(f"is not UTF-8 text: {err}.", file=path) from err
        for name, value in parse_card(text).items():
            if name not in fields:
                fields[name] = value
                sources[name] = relative
    return PilotDocs(folder=folder, fields=fields, sources=sources)
