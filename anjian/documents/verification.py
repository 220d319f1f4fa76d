"""一文一码: the verification code printed on every issued document (issue 14 item 2).

Sixteen characters of Crockford-style base32 (no I, L, O, U): 80 random bits from ``secrets``, so
a code cannot be guessed or walked. Printed in four groups (``7KQ2-M9XD-…``); read back with the
dashes, spaces and letter case the reader typed. The public page (``views.verify``) shows whether
the document is genuine and current, never its content or anyone's personal data.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
LENGTH = 16  # 16 × 5 = 80 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def printed(code: str | None) -> str:
    code = code or ""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str | None) -> str | None:
    """A code as the reader typed it, or ``None`` when it cannot be one (the same "not found")."""
    raw = "".join((text or "").split()).replace("-", "").upper().translate(_READ_AS)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw
