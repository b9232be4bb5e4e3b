"""How many SMS segments a body takes (ref §10 "Segments and length").

GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table: 160
septets in one segment, 153 per segment of a longer message; an extension character (``^ { } \\
[ ~ ] | €``, and form feed) takes two septets (unconfirmed, ref §10). Any other character makes the
whole body UCS-2: 70 UTF-16 units in one segment, 67 per segment beyond; a character outside the
BMP takes two units (unconfirmed). A character is never split across two segments (an escape and
its character, or a surrogate pair, stay together: what encoders do; unconfirmed for Twilio).
"""

from __future__ import annotations

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
GSM_ALL = GSM_BASIC | GSM_EXTENSION
GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm(body: str) -> bool:
    """Whether ``body`` can be sent in GSM-7."""
    return set(body) <= GSM_ALL


def encoding(body: str) -> str:
    """``"GSM-7"`` or ``"UCS-2"``."""
    return "GSM-7" if is_gsm(body) else "UCS-2"


def _cost(char: str, gsm: bool) -> int:
    if gsm:
        return 2 if char in GSM_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def units(body: str) -> int:
    """Septets (GSM-7) or UTF-16 code units (UCS-2) the body takes."""
    gsm = is_gsm(body)
    if gsm and not (GSM_EXTENSION & set(body)):
        return len(body)
    return sum(_cost(c, gsm) for c in body)


def count(body: str) -> int:
    """The number of segments (at least 1, an empty body included)."""
    gsm = is_gsm(body)
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    total = units(body)
    if total <= single:
        return 1
    if gsm and not (GSM_EXTENSION & set(body)):
        return -(-total // part)
    segments, used = 1, 0
    for char in body:
        cost = _cost(char, gsm)
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments
