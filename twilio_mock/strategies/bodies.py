"""SMS message bodies by encoding and segment count, counted as the mock counts them."""

from __future__ import annotations

from hypothesis import strategies as st

from twilio_mock.behaviours import segments
from twilio_mock.behaviours.messaging_data import MAX_BODY

_BASIC = sorted(segments.GSM_BASIC)
_EXTENSION = sorted(segments.GSM_EXTENSION)
_GSM = st.one_of(st.sampled_from(_BASIC), st.sampled_from(_BASIC), st.sampled_from(_EXTENSION))
_NOT_GSM = st.one_of(
    st.characters(min_codepoint=0x100, max_codepoint=0xD7FF),  # the BMP: one UTF-16 unit
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji: two units each
    st.sampled_from("çжあ"),
).filter(lambda c: c not in segments.GSM_ALL and not c.isspace())
_GSM_VISIBLE = st.sampled_from([c for c in _BASIC if not c.isspace()])
_ENCODINGS = {"gsm7": "GSM-7", "ucs2": "UCS-2"}


def _pattern(encoding: str | None) -> st.SearchStrategy[str]:
    """A few characters the body repeats, the first one visible (a blank body is a missing
    one); a UCS-2 pattern starts with a non-GSM character."""
    gsm = st.builds(str.__add__, _GSM_VISIBLE, st.lists(_GSM, max_size=23).map("".join))
    ucs2 = st.builds(str.__add__, _NOT_GSM, st.lists(st.one_of(_GSM, _NOT_GSM), max_size=23).map("".join))
    if encoding == "gsm7":
        return gsm
    if encoding == "ucs2":
        return ucs2
    return st.one_of(gsm, ucs2)


def _repeat(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


def _first(pattern: str, test: int, at_least: int) -> int:
    """The shortest repetition of ``pattern`` whose segment count is at least ``test``."""
    low, high = at_least, 160 * test + 160
    while low < high:
        mid = (low + high) // 2
        if segments.count(_repeat(pattern, mid)) >= test:
            high = mid
        else:
            low = mid + 1
    return low


@st.composite
def _with_segments(draw: st.DrawFn, encoding: str | None, count: int) -> str:
    pattern = draw(_pattern(encoding))
    low = _first(pattern, count, 1) if count > 1 else 1  # the first character decides UCS-2
    high = _first(pattern, count + 1, 1) - 1
    return _repeat(pattern, draw(st.integers(low, max(low, high))))


@st.composite
def _free(draw: st.DrawFn, encoding: str | None, low: int, high: int) -> str:
    pattern = draw(_pattern(encoding))
    if draw(st.booleans()):  # short bodies of any characters, often
        chars = {"gsm7": _GSM, "ucs2": st.one_of(_GSM, _NOT_GSM)}.get(
            encoding or "", st.one_of(_GSM, _NOT_GSM)
        )
        body = draw(st.lists(chars, min_size=low, max_size=min(high, max(low, 200))).map("".join))
        if encoding == "ucs2" and segments.is_gsm(body):
            body = pattern[0] + body[1:] if body else pattern[0]
        return body if body.strip() else pattern[0] + body[1:]
    return _repeat(pattern, draw(st.integers(low, high)))


def message_bodies(
    encoding: str | None = None, segments: int | None = None, over_limit: bool = False
) -> st.SearchStrategy[str]:
    """Message bodies: ``encoding`` ``"gsm7"`` (the basic alphabet and the extension characters,
    which count twice), ``"ucs2"`` (at least one character outside GSM-7) or ``None`` (either);
    ``segments``: exactly that many segments; ``over_limit``: longer than the 1600-character
    limit (error 21617). Bodies are never blank; with many ``segments`` a body can pass the
    limit too (11 GSM-7 segments)."""
    if encoding not in (None, "gsm7", "ucs2"):
        raise ValueError(f"encoding is 'gsm7', 'ucs2' or None, not {encoding!r}")
    if over_limit:
        if segments is not None:
            raise ValueError("over_limit and segments do not go together")
        return _free(encoding, MAX_BODY + 1, MAX_BODY + 200)
    if segments is None:
        return _free(encoding, 1, MAX_BODY)
    if segments < 1:
        raise ValueError("segments is at least 1")
    return _with_segments(encoding, segments)
