"""SIDs: two capital letters and 32 lowercase hex characters (the mock mints them with
:class:`twilio_mock.core.minter.Minter`)."""

from __future__ import annotations


def check_prefix(prefix: str) -> str:
    """``prefix`` if it is capital letters; else ``ValueError``."""
    if not (prefix.isascii() and prefix.isalpha() and prefix.isupper()):
        raise ValueError(f"a SID prefix is capital letters, not {prefix!r}")
    return prefix


def looks_like_sid(value: str) -> bool:
    """Two capital letters then 32 hex characters."""
    if len(value) != 34 or not value[:2].isalpha() or not value[:2].isupper():
        return False
    try:
        int(value[2:], 16)
    except ValueError:
        return False
    return True
