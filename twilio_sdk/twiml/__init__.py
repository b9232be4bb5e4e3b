"""TwiML builders (voice, messaging, fax) and a parser, in the official package's dialect.

>>> response = VoiceResponse()
>>> say = response.say("hi", voice="alice")
>>> response.to_xml(xml_declaration=False)
'<Response><Say voice="alice">hi</Say></Response>'
"""

from __future__ import annotations

from twilio_sdk.twiml.element import (
    Element,
    GenericElement,
    TwiMLError,
    TwiMLNestingError,
    attribute_name,
    format_value,
)
from twilio_sdk.twiml.fax import FaxResponse
from twilio_sdk.twiml.messaging import MessagingResponse
from twilio_sdk.twiml.parser import TwiMLParseError, parse
from twilio_sdk.twiml.voice import VoiceResponse

#: The official package's name for the base class.
TwiML = Element

__all__ = [
    "Element",
    "FaxResponse",
    "GenericElement",
    "MessagingResponse",
    "TwiML",
    "TwiMLError",
    "TwiMLNestingError",
    "TwiMLParseError",
    "VoiceResponse",
    "attribute_name",
    "format_value",
    "parse",
]
