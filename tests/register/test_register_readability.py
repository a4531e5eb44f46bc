"""The notice reads at a secondary-school level in every language."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditkit.register import build_entry, build_notice, read_bundle, read_pilot_docs
from tests.register.readability import reading_ease, statistics

# Fernández-Huerta >= 60 ("normal"), Flesch >= 60 (plain English), Flesch-Martins >= 50 ("easy")
FLOOR = {"es": 60.0, "en": 60.0, "pt": 50.0}


def test_the_formulas_rank_known_texts():
    """Oracle: a short plain sentence scores higher than a long technical one, per language."""
    plain = {
        "es": "La casa es roja. El sol sale.",
        "en": "The cat sat on the mat. It is red.",
        "pt": "A casa é azul. O sol nasceu.",
    }
    hard = {
        "es": "La implementación metodológica de procedimientos administrativos interinstitucionales "
        "requiere evaluaciones multidimensionales extraordinariamente pormenorizadas.",
        "en": "The institutional implementation of interdepartmental administrative procedures "
        "necessitates extraordinarily comprehensive multidimensional evaluations.",
        "pt": "A implementação institucional de procedimentos administrativos interdepartamentais "
        "exige avaliações multidimensionais extraordinariamente pormenorizadas.",
    }
    for lang in FLOOR:
        assert reading_ease(plain[lang], lang) > 90 > FLOOR[lang] > reading_ease(hard[lang], lang)
    # syllables per word of a hand-counted Spanish sentence: so-li-ci-tu-des (5) lle-gan (2) = 3.5
    assert statistics("Solicitudes llegan.", "es") == (2.0, 3.5)


@pytest.mark.parametrize("lang", ["es", "pt", "en"])
def test_notice_is_readable_at_secondary_school_level(pilot: Path, lang: str):
    """Short sentences: the notice's reading ease is above the floor for its language."""
    entry = build_entry(
        read_bundle(pilot / "audit"),
        read_pilot_docs(pilot),
        lang=lang,
        standard="atrs",
        generated="2026-12-01",
    )
    text = build_notice(entry).text()
    per_sentence, _ = statistics(text, lang)
    assert per_sentence <= 12
    assert reading_ease(text, lang) >= FLOOR[lang]
