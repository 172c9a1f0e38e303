"""The US TTY character set (ITA2 US variant, ITU-T V.18 Annex A): text to 5-bit codes and back.

Two shifts share 32 codes: LTRS gives letters, FIGS gives digits and punctuation. US TTYs
put $ on D, ' on J, " on Z, # on H, & on G, ! on F, ; on V and the bell on S.

Sending (`text_to_codes`) adapts any text to what a TTY can show:
- letters are upper-cased and accents dropped (É → E, Ñ → N, ß → SS);
- a line break of any kind becomes CR LF, a tab a space;
- a few characters become words or look-alikes: @ → " AT ", % → " PERCENT", + → " PLUS ",
  = → " EQUALS ", * → ".", _ → "-", brackets → parentheses, \\ and | → "/", typographic
  quotes and dashes → their plain forms;
- anything else (other scripts, emoji, control characters) is dropped.

The first code of every transmission is a shift, the current shift is sent again at least
every 72 characters (a receiver that missed it recovers), and by default FIGS is sent again
after a space when figures follow, for the many TTYs that fall back to letters on a space.

Receiving (`BaudotDecoder`) keeps the figures shift across a space, so "555 1212" reads as
sent even from a TTY that does not repeat FIGS.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

LTRS = 0x1F
FIGS = 0x1B
SPACE = 0x04
CR = 0x08
LF = 0x02
NUL = 0x00

LETTERS = "\x00E\nA SIU\rDRJNFCKTZLWHYPQOBG\x00MXV\x00"
"""Character for each code in letters shift (NUL where a code is a shift or blank)."""

FIGURES = "\x003\n- \a87\r$4',!:(5\")2#6019?&\x00./;\x00"
"""Character for each code in figures shift."""

SHIFT_REPEAT = 72
"""Most characters sent without repeating the current shift."""

_BOTH = {" ": SPACE, "\r": CR, "\n": LF}
_LETTER_CODES = {ch: code for code, ch in enumerate(LETTERS) if ch.isalpha()}
_FIGURE_CODES = {ch: code for code, ch in enumerate(FIGURES) if ch not in _BOTH and ch != "\x00"}
_SUBSTITUTES = {
    "@": " AT ",
    "%": " PERCENT",
    "+": " PLUS ",
    "=": " EQUALS ",
    "*": ".",
    "_": "-",
    "[": "(",
    "{": "(",
    "<": "(",
    "]": ")",
    "}": ")",
    ">": ")",
    "\\": "/",
    "|": "/",
    "\t": " ",
    "`": "'",
    "\u00b4": "'",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00df": "SS",
}


def normalize_text(text: str) -> str:
    """`text` reduced to characters a US TTY can send, line breaks as CR LF (see module doc)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\r\n".join(_normalize_line(line) for line in lines)


def _normalize_line(line: str) -> str:
    out = []
    for ch in line:
        replaced = _SUBSTITUTES.get(ch)
        if replaced is not None:
            out.append(replaced)
            continue
        for base in unicodedata.normalize("NFKD", ch):
            if unicodedata.combining(base):
                continue
            upper = _SUBSTITUTES.get(base, base.upper())
            out.extend(c for c in upper if c in _LETTER_CODES or c in _FIGURE_CODES or c in " \a")
    return "".join(out)


def text_to_codes(text: str, *, refigure_after_space: bool = True) -> list[int]:
    """The 5-bit codes that send `text`, shifts included.

    Args:
        text: any text; see `normalize_text` for what becomes of characters a TTY lacks.
        refigure_after_space: send FIGS again after a space when figures follow, for TTYs
            that return to letters on a space.
    """
    codes: list[int] = []
    shift: int | None = None
    since_shift = 0
    after_space = False
    for ch in normalize_text(text):
        if ch in _BOTH:
            needed = shift if shift is not None else LTRS
            code = _BOTH[ch]
        elif ch in _LETTER_CODES:
            needed, code = LTRS, _LETTER_CODES[ch]
        else:
            needed, code = FIGS, _FIGURE_CODES[ch]
        repeat = since_shift >= SHIFT_REPEAT - 1
        refigure = refigure_after_space and after_space and needed == FIGS
        if needed != shift or repeat or refigure:
            codes.append(needed)
            shift, since_shift = needed, 0
        codes.append(code)
        since_shift += 1
        after_space = code == SPACE
    return codes


@dataclass(slots=True)
class BaudotDecoder:
    """Turns received codes into characters, following LTRS and FIGS.

    Starts in letters shift. A space does not change the shift.
    """

    figures: bool = False
    """Whether the figures shift is in force."""

    def decode(self, code: int) -> str:
        """The character `code` stands for now; "" for shifts and blanks.

        Raises:
            ValueError: `code` is not a 5-bit code.
        """
        if not 0 <= code < 32:
            raise ValueError(f"not a 5-bit Baudot code: {code}")
        if code in (LTRS, FIGS):
            self.figures = code == FIGS
            return ""
        ch = (FIGURES if self.figures else LETTERS)[code]
        return "" if ch == "\x00" else ch

    def decode_all(self, codes: list[int]) -> str:
        """Decode a run of codes."""
        return "".join(self.decode(code) for code in codes)
