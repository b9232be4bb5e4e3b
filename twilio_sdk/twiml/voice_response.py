"""``from twilio_sdk.twiml.voice_response import VoiceResponse, ...``: the official import path."""

from typing import Any

from twilio_sdk.twiml import voice as _voice
from twilio_sdk.twiml.voice import VoiceResponse

__all__ = ["VoiceResponse"]


def __getattr__(name: str) -> Any:
    return getattr(_voice, name)
