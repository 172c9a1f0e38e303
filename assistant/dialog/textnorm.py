"""Text normalisation shared by intent matching and number parsing."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^\w\s'#*$.,]", re.UNICODE)


def fold(text: str) -> str:
    """Lower case, NFKC, accents kept apart so "español" and "espanol" meet, spaces folded."""
    text = unicodedata.normalize("NFKC", text).lower()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", stripped)
    text = text.replace("-", " ").replace("’", "'")
    return " ".join(_PUNCT.sub(" ", text).split())


def words(text: str) -> list[str]:
    """The words of `text`, folded, without sentence punctuation."""
    return [w.strip(".,'") for w in fold(text).split() if w.strip(".,'")]
