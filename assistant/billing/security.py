"""PIN hashing and payment tokens: the only places a secret is touched, and only briefly.

PINs are kept as salted scrypt hashes with a per-account salt; the scheme is stored beside
each hash so the cost can be raised later without breaking existing PINs. A payment method
is kept as a random token plus its brand and last four digits; the token stands for what a
payment processor would hold, so the full number never needs to be stored here.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PIN_SCHEME = "scrypt:16384:8:1"
"""scrypt with N=2**14, r=8, p=1: about 50 ms per check, 16 MB of memory."""


@dataclass(frozen=True, slots=True)
class PinHash:
    """A stored PIN: scheme, salt and digest, none of which reveals the PIN."""

    scheme: str
    salt: bytes
    digest: bytes


def _derive(pin: str, scheme: str, salt: bytes) -> bytes:
    name, n, r, p = scheme.split(":")
    if name != "scrypt":
        raise ValueError(f"unknown PIN hash scheme {scheme!r}")
    return hashlib.scrypt(pin.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=32)


def hash_pin(pin: str) -> PinHash:
    """Hash a PIN with a fresh random salt."""
    salt = secrets.token_bytes(16)
    return PinHash(PIN_SCHEME, salt, _derive(pin, PIN_SCHEME, salt))


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Compare a keyed PIN with a stored hash in constant time."""
    return hmac.compare_digest(_derive(pin, stored.scheme, stored.salt), stored.digest)


def new_token() -> bytes:
    """A random payment-method token: unguessable and unrelated to the card or account."""
    return secrets.token_bytes(16)
