"""Masking of secrets in any text that leaves the session: logs, transcripts, captions."""

from __future__ import annotations

import re

MASK = "•"
_DIGIT_RUN = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")


def mask_digits(value: str, keep_last: int = 0) -> str:
    """Replace every digit but the last `keep_last` with a bullet."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    hide = set(digits[: max(0, len(digits) - keep_last)])
    return "".join(MASK if i in hide else ch for i, ch in enumerate(value))


def mask_secrets(text: str) -> str:
    """Mask anything that looks like a card or bank account number (13-19 digits, spaces
    or dashes allowed), keeping the last four, which is all we ever read back."""
    return _DIGIT_RUN.sub(lambda m: mask_digits(m.group(0), keep_last=4), text)


def masked_entry(value: str) -> str:
    """What a secret entry becomes in any record: one bullet per key, nothing else."""
    return MASK * len(value) if value else MASK
