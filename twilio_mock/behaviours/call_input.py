"""The caller's input queued for a call's ``<Gather>`` and ``<Record>``: by call SID first, then
by its parties' numbers (``backend.voice.press``/``say`` given ahead of time)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twilio_mock.behaviours import calls

if TYPE_CHECKING:
    from twilio_mock.core.backend import Core

Run = dict[str, Any]


def take_input(core: Core, sid: str, state: Run) -> dict[str, Any] | None:
    voice = calls.voice_of(core)
    record = calls.find(core, str(state["account"]), sid) or {}
    for key in (sid, record.get("to"), record.get("from")):
        queue = voice.inputs.get(str(key)) if key else None
        if queue:
            item = queue.pop(0)
            if not queue:
                voice.inputs.pop(str(key), None)
            return item
    return None
